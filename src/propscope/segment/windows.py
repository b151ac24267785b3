"""Split long texts into blocks and token windows; offsets always index the original string."""

from __future__ import annotations

import itertools
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

BLOCK_CHARS = 20_000

# The characters that end a line: what str.splitlines() splits on (\r\n is two of them). The
# one definition for the detector's blocks and windows, the sentence splitter, the decoder and
# the quotations: no span, sentence, claim or quotation holds one.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_ESCAPED = "".join(f"\\u{ord(c):04x}" for c in LINE_BREAKS)
LINE_BREAK = re.compile(f"[{_ESCAPED}]")  # one line break
LINE = re.compile(f"[^{_ESCAPED}]+")  # a line: a run of characters without one


def last_line_break(text: str, start: int, end: int) -> int:
    """The index of the last line break in ``text[start:end]``, or -1."""
    return max(text.rfind(c, start, end) for c in LINE_BREAKS)


def blocks(text: str, max_chars: int = BLOCK_CHARS) -> Iterator[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``max_chars`` characters, preferring line breaks
    (any of ``LINE_BREAKS``), then spaces, so memory stays bounded for any input length.
    Yields (start, end)."""
    n = len(text)
    start = 0
    while start < n:
        end = min(n, start + max_chars)
        if end < n:
            cut = last_line_break(text, start + max_chars // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + max_chars // 2, end)
            if cut > start:
                end = cut + 1
        yield start, end
        start = end


def starting_in(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> list[int]:
    """Indexes of the ranges that start in [start, end): the block a span or sentence
    belongs to is the one that holds its start. A scan of every range: for many blocks over
    the same ranges, ``StartIndex`` answers the same in logarithmic time."""
    return [i for i, (s, _e) in enumerate(ranges) if start <= s < end]


def start_order(starts: Sequence[int]) -> list[int] | None:
    """The positions of ``starts`` in increasing order (a stable sort), or None where they
    are in order already (then nothing is sorted or copied)."""
    if not any(a > b for a, b in itertools.pairwise(starts)):
        return None
    return sorted(range(len(starts)), key=starts.__getitem__)


class StartIndex:
    """``starting_in`` over fixed ranges, by bisection on their starts (sorted once): the
    same indexes, in increasing order, in O(log n + answer) per query where the ranges come
    sorted by start (sentences, decoded spans), O(log n + answer log answer) otherwise."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        starts = array("q", (s for s, _e in ranges))  # 8 bytes a range (a long text's sentences)
        self._order = start_order(starts)  # None: the ranges come sorted by start
        if self._order is not None:
            starts = array("q", (starts[i] for i in self._order))
        self._starts = starts

    def __call__(self, start: int, end: int) -> list[int]:
        lo = bisect_left(self._starts, start)
        hi = bisect_left(self._starts, end)
        if lo >= hi:
            return []
        if self._order is None:
            return list(range(lo, hi))
        return sorted(self._order[lo:hi])


def windows(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token windows [a, b) of at most ``size`` tokens, starting every ``stride`` tokens,
    covering all ``n_tokens`` tokens (the last window ends at ``n_tokens``)."""
    if n_tokens <= size:
        return [(0, n_tokens)]
    out = []
    a = 0
    while True:
        b = min(a + size, n_tokens)
        out.append((a, b))
        if b == n_tokens:
            break
        a += stride
    return out


_SENT_END = ".!?…"
_CLOSERS = "\"'”’)]»"


@dataclass(frozen=True)
class Window:
    """Tokens [a, b) go through the encoder together; tokens [lo, hi) keep its scores."""

    a: int
    b: int
    lo: int
    hi: int


def _unit_starts(text: str, offsets: np.ndarray, breaks: str) -> list[int]:
    """Token indexes that start a unit: the first token, and each token separated from the
    previous one by a character of ``breaks`` (line breaks), or, for sentences, following a
    sentence-final token and whitespace."""
    starts = [0]
    for i in range(1, len(offsets)):
        gap = text[int(offsets[i - 1, 1]) : int(offsets[i, 0])]
        if breaks:
            if any(c in breaks for c in gap):
                starts.append(i)
        elif gap and gap[-1].isspace():
            # the previous token ends a sentence, or is a closing quote or bracket after one
            k = i - 1
            prev = text[int(offsets[k, 0]) : int(offsets[k, 1])].rstrip(_CLOSERS)
            if not prev and k > 0:
                k -= 1
                prev = text[int(offsets[k, 0]) : int(offsets[k, 1])].rstrip(_CLOSERS)
            if prev and prev[-1] in _SENT_END:
                starts.append(i)
    return starts


def _pack(units: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Consecutive units joined greedily into ranges of at most ``size`` tokens (a unit
    longer than ``size`` stays alone)."""
    out: list[tuple[int, int]] = []
    for a, b in units:
        if out and b - out[-1][0] <= size:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _ranges(starts: list[int], lo: int, hi: int) -> list[tuple[int, int]]:
    """[lo, hi) cut before every start inside it."""
    inner = [s for s in starts if lo < s < hi]
    bounds = [lo, *inner, hi]
    return list(itertools.pairwise(bounds))


def anchored_windows(
    text: str, offsets: np.ndarray, size: int, stride: int, context: int = 0
) -> list[Window]:
    """Windows anchored at the text's own structure, so that an edit changes only the scores
    near it (no window depends on where the text starts).

    Each line is a window of its own, preceded by up to ``context`` tokens of the text before
    it (read by the encoder, not scored). A line longer than ``size`` tokens is cut at
    sentence ends and its sentences packed greedily into windows of at most ``size`` tokens;
    a sentence longer than that is covered by windows every ``stride`` tokens from its first
    token, each token scored by the window where it is most central. ``offsets`` are the
    tokens' character offsets into ``text``."""
    n = len(offsets)
    if n == 0:
        return []
    sent_starts: list[int] | None = None
    out: list[Window] = []
    for a, b in _ranges(_unit_starts(text, offsets, LINE_BREAKS), 0, n):
        if b - a <= size:
            out.append(Window(max(0, a - context, b - size), b, a, b))
            continue
        if sent_starts is None:
            sent_starts = _unit_starts(text, offsets, "")
        for sa, sb in _pack(_ranges(sent_starts, a, b), size):
            if sb - sa <= size:
                out.append(Window(sa, sb, sa, sb))
                continue
            out += [
                Window(w.a + sa, w.b + sa, w.lo + sa, w.hi + sa)
                for w in grid_windows(sb - sa, size, stride)
            ]
    return out


def central_ranges(wins: list[tuple[int, int]], half: int) -> list[tuple[int, int]]:
    """The tokens each window of a grid gives scores to: all of the first and last window's
    edge, and ``half`` tokens less at every edge shared with a neighbour."""
    out = []
    for wi, (a, b) in enumerate(wins):
        lo = a if wi == 0 else a + half
        hi = b if wi == len(wins) - 1 else b - half
        out.append((lo, max(hi, lo)))
    return out


def grid_windows(n_tokens: int, size: int, stride: int) -> list[Window]:
    """The sliding grid (windows every ``stride`` tokens from token 0) as ``Window``s."""
    grid = windows(n_tokens, size, stride)
    half = (size - stride) // 2
    return [
        Window(a, b, lo, hi)
        for (a, b), (lo, hi) in zip(grid, central_ranges(grid, half), strict=True)
    ]
