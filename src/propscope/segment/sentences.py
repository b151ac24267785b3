"""Text -> sentences as (start, end) character offsets into the original text.

Every line is split on its own (PTC articles hold one sentence per line, and lists or tables
pasted as text break at line ends), then pysbd's rules split each line into sentences. pysbd's
output is used only to place *boundaries*; the pieces between boundaries come from the original
string, so the result covers every non-blank character whatever pysbd does with odd input.

Bounds, for any input:

* pysbd is fed chunks of at most :data:`CHUNK_CHARS` characters (its cost grows faster than
  linearly on some inputs, such as ``"1. 1. 1. ..."``), cut at a likely sentence end, else at a
  space;
* no sentence is longer than :data:`MAX_SENTENCE_CHARS`: longer pieces are cut at the last space
  before the limit, or hard at the limit when there is none.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

# LINE: a run without any of the line breaks str.splitlines knows (\r\n is two breaks with an
# empty line between, which is skipped as blank); the one definition of ``segment.windows``
from propscope.segment.windows import LINE

if TYPE_CHECKING:
    from collections.abc import Iterator

MAX_SENTENCE_CHARS = 1_000
CHUNK_CHARS = 1_500

# Characters trimmed from sentence edges besides Unicode whitespace: the byte-order mark and
# zero-width spaces carry no content.
_INVISIBLE = "\ufeff\u200b\u2060"
# A likely sentence end: terminal punctuation, optional closers, whitespace, then a capital,
# digit or opening quote/bracket. Used for chunking and as the fallback splitter.
_LIKELY_END = re.compile(
    r"""(?:(?<=[^\W\d_]{2})|(?<=[)\]"”’'0-9%]))[.!?…]+["”’')\]]*\s+(?=["“‘'(\[]?[A-Z0-9])"""
)
# A line without terminal punctuation followed by more text is one sentence: pysbd is skipped
_INNER_END = re.compile(r"""[.!?…]["”’')\]]*\s+\S""")


def _is_blank(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _is_blank(text[start]):
        start += 1
    while end > start and _is_blank(text[end - 1]):
        end -= 1
    return start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets ``(start, end)`` into ``text``, in order, trimmed of surrounding
    whitespace (and BOM / zero-width spaces), covering every non-blank character.

    Never raises on str input; each sentence is at most :data:`MAX_SENTENCE_CHARS` long.
    """
    out: list[tuple[int, int]] = []
    for line in LINE.finditer(text):
        a, b = _trim(text, line.start(), line.end())
        if a >= b:
            continue
        for ca, cb in _chunks(text, a, b):
            edges = [ca, *_boundaries(text, ca, cb), cb]
            pieces: list[tuple[int, int]] = []
            for i in range(len(edges) - 1):
                sa, sb = _trim(text, edges[i], edges[i + 1])
                if sa >= sb:
                    continue
                if pieces and not any(ch.isalnum() for ch in text[sa:sb]):
                    # a piece of punctuation only ("!", "..."): it ends the previous sentence
                    pieces[-1] = (pieces[-1][0], sb)
                else:
                    pieces.append((sa, sb))
            for sa, sb in pieces:
                out.extend(_cap(text, sa, sb))
    return out


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut [start, end) into pieces of at most CHUNK_CHARS, preferring a likely sentence end in
    the second half of the window, then a space, then a hard cut."""
    while end - start > CHUNK_CHARS:
        lo, hi = start + CHUNK_CHARS // 2, start + CHUNK_CHARS
        cut = -1
        for m in _LIKELY_END.finditer(text, lo, hi):
            cut = m.end()
        if cut < 0:
            cut = _last_space(text, lo, hi)
        if cut <= start:
            cut = _hard_cut(text, start + MAX_SENTENCE_CHARS)
        yield start, cut
        start, end = _trim(text, cut, end)
    if start < end:
        yield start, end


def _last_space(text: str, lo: int, hi: int) -> int:
    """Index just after the last whitespace in text[lo:hi], or -1."""
    for i in range(hi - 1, lo - 1, -1):
        if text[i].isspace():
            return i + 1
    return -1


def _hard_cut(text: str, pos: int) -> int:
    """``pos`` moved back (a little) so it does not split a combining mark or a joiner sequence
    from its base character."""
    for i in range(pos, max(pos - 8, 1), -1):
        ch = text[i] if i < len(text) else ""
        prev = text[i - 1]
        if not ch or not (
            unicodedata.combining(ch)
            or ch in "\u200d\ufe0f\ufe0e"
            or prev == "\u200d"
            or 0x1F3FB <= ord(ch) <= 0x1F3FF
        ):
            return i
    return pos


def _cap(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut a trimmed piece into pieces of at most MAX_SENTENCE_CHARS, at spaces if possible."""
    while end - start > MAX_SENTENCE_CHARS:
        hi = start + MAX_SENTENCE_CHARS
        cut = _last_space(text, start + MAX_SENTENCE_CHARS // 2, hi + 1)
        if cut <= start:
            cut = _hard_cut(text, hi)
        a, b = _trim(text, start, cut)
        if a < b:
            yield a, b
        start, end = _trim(text, cut, end)
    if start < end:
        yield start, end


def _boundaries(text: str, start: int, end: int) -> list[int]:
    """Sentence starts strictly inside (start, end), from pysbd, else from a simple regex."""
    if not _INNER_END.search(text, start, end):
        return []  # no terminal punctuation followed by more text: one sentence, skip pysbd
    try:
        return _pysbd_boundaries(text, start, end)
    except Exception:  # a third-party rule engine: fall back rather than crash
        return [m.end() for m in _LIKELY_END.finditer(text, start, end) if m.end() < end]


def _pysbd_boundaries(text: str, start: int, end: int) -> list[int]:
    import pysbd

    chunk = text[start:end]
    sents = pysbd.Segmenter(language="en", clean=False).segment(chunk)
    cuts: list[int] = []
    cursor = 0
    for sent in sents:
        s = sent.strip()
        if not s:
            continue
        # pysbd returns substrings in order; align each one from the cursor. A sentence that
        # cannot be found (pysbd rewrote it) adds no boundary: its text stays in the previous
        # piece, so nothing is lost.
        idx = chunk.find(s, cursor)
        if idx < 0:
            continue
        if idx > 0 and (not cuts or start + idx > cuts[-1]):
            cuts.append(start + idx)
        cursor = idx + len(s)
    return cuts
