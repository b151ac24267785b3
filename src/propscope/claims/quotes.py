"""Quotations and reported speech, with their speakers, as offsets into the original text.

Two kinds of :class:`Quote` are found:

* ``"quoted"``: the text inside quotation marks: straight ``"..."``, curly ``“...”`` and
  ``„...“``, guillemets ``«...»``, and single ``‘...’`` / ``'...'`` where they clearly are
  quotation marks (an opening mark after a space or an opening bracket, a closing mark not
  followed by a letter; so the apostrophes in ``don't`` or ``’90s`` never count).

  Marks are paired by structure, not by order: a straight ``"`` opens where it follows a
  space, the paragraph's start, an opening bracket or punctuation and precedes a non-space,
  and closes where it follows a non-space and precedes a space, punctuation or the end; a
  ``"`` after a number that marks inches (``a 12" pizza``, ``5'11"``) is no quotation mark. A
  closing mark closes the nearest opening mark before it; one that finds none (a stray mark)
  is ignored, and an opening mark that meets a new opening mark before any closing one is left
  unclosed. So an inch mark or an unclosed quotation early in a paragraph never shifts the
  pairs after it. An unclosed double quotation runs to the next opening mark of its kind or
  to the end of its paragraph (line), never further; an unclosed single one is dropped.
  Quotations never cross a paragraph break.
* ``"reported"``: the reported clause of ``X said (that) ...`` up to the end of the sentence,
  ``..., X said.`` / ``..., said X.`` from the start of the sentence, and
  ``According to X, ...`` / ``..., according to X.``.

The speaker is looked for right after a quotation (``"...," Smith said`` / ``said Smith``) and
right before it (``Smith said: "..."``), within the paragraph.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from propscope.claims._speech import (
    VERB_RE,
    Attribution,
    find_attributions,
    speaker_first_at,
    verb_first_at,
)
from propscope.segment.sentences import split_sentences
from propscope.segment.windows import LINE

WINDOW = 160  # how far from a quotation mark its speaker is looked for

_EDGE = " \t\u00a0\u2009\u202f\ufeff\u200b,"
_AFTER_QUOTE = re.compile(r"[\s,]*")
# between a reporting verb and the opening mark: a short object or adjunct, then "," or ":"
_TAIL = re.compile(r"(?:\s+[\w’'.-]+){0,3}\s*[,:]?\s*")
_ACCORDING_BEFORE = re.compile(r",\s*\Z")
# After a reporting verb: an optional short adjunct, then "that" / ":" / ",", or the clause.
_THAT = re.compile(r"(?:\s+(?!that\b)[\w’'.-]+){0,5}?\s*(?:\bthat\b|:)\s*|\s*,?\s*")
_SENTENCE_END = ".!?…\"”’' \t"
_LETTERS = re.compile(r"[A-Za-z]+")
_ELISIONS = ("em", "n", "tis", "twas", "cause", "til", "bout")
# what a straight " may open after (besides a space) and close before (besides a space)
_OPEN_AFTER = "([{<—–/:;,“‘'"
_CLOSE_BEFORE = ".,;:!?)]}>…—–-'’”"
_END_PUNCT = ".,;!?…"  # a " right after these closes, whatever follows ('"no."Then')
_FEET_INCHES = re.compile(r"""\d['’]\d{1,2}"\Z""")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation ``[start, end)`` (without its quotation marks) and, when found, its speaker
    ``[speaker_start, speaker_end)``. ``kind`` is ``"quoted"`` or ``"reported"``."""

    start: int
    end: int
    speaker_start: int | None = None
    speaker_end: int | None = None
    kind: str = "quoted"


def find_quotes(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Quote]:
    """Quotations and reported speech in ``text``, sorted by (start, end). ``sentences``: the
    text's sentences as ``split_sentences(text)`` gives them, when the caller has them already
    (each paragraph is split again otherwise)."""
    out: list[Quote] = []
    k = 0  # the first given sentence not before the paragraph
    for para in LINE.finditer(text):
        pa, pb = para.span()
        quoted = [
            _with_speaker(text, pa, pb, qa, qb, oa, cb) for qa, qb, oa, cb in _marked(text, pa, pb)
        ]
        out.extend(quoted)
        mine = None
        if sentences is not None:
            while k < len(sentences) and sentences[k][0] < pa:
                k += 1
            j = k
            while j < len(sentences) and sentences[j][0] < pb:
                j += 1
            mine = sentences[k:j]
        out.extend(_reported(text, pa, pb, quoted, mine))
    out.sort(key=lambda q: (q.start, q.end))
    return out


def quote_of(quotes: Iterable[Quote], start: int, end: int) -> Quote | None:
    """The quote that holds most of ``[start, end)`` (more than half of it), or None; among
    equal overlaps, the shortest (innermost) quote."""
    best: Quote | None = None
    best_key = (0, 0)
    length = max(1, end - start)
    for q in quotes:
        overlap = min(end, q.end) - max(start, q.start)
        if overlap * 2 <= length:
            continue
        key = (overlap, -(q.end - q.start))
        if best is None or key > best_key:
            best, best_key = q, key
    return best


class QuoteIndex:
    """``quote_of`` over fixed quotes, for many spans: the same answers, each in
    O(log n + k) for k quotes holding the span's middle, instead of a scan of every quote.

    A quote that holds more than half of ``[start, end)`` holds its middle: its start is
    before ``(start + end) / 2`` and its end after. The quotes are sorted by start (with their
    position in the given order, which breaks ties as ``quote_of``'s scan does) under a
    segment tree of their largest end, so the quotes holding a point are found without
    visiting the others."""

    def __init__(self, quotes: Iterable[Quote]) -> None:
        self._quotes = list(quotes)
        # positions, starts and ends as arrays (8 bytes a number: a long text has many quotes)
        self._order = array(
            "q", sorted(range(len(self._quotes)), key=lambda i: self._quotes[i].start)
        )
        self._starts = array("q", (self._quotes[i].start for i in self._order))
        size = 1
        while size < len(self._order):
            size *= 2
        self._size = size
        tree = array("q", [-1]) * (2 * size)  # tree[size + k]: the end of the k-th quote by start
        for k, i in enumerate(self._order):
            tree[size + k] = self._quotes[i].end
        for node in range(size - 1, 0, -1):
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
        self._max_end = tree

    def __len__(self) -> int:
        return len(self._quotes)

    def _holding(self, twice_mid: int) -> list[int]:
        """Positions (in the given order, ascending) of the quotes with ``2 * start <
        twice_mid < 2 * end``: those that hold the point ``twice_mid / 2``."""
        k = bisect_right(self._starts, (twice_mid - 1) // 2)  # 2 * start < twice_mid
        if k == 0:
            return []
        above = twice_mid // 2  # 2 * end > twice_mid
        tree, size = self._max_end, self._size
        found: list[int] = []
        stack = [(1, 0, size)]  # (node, first leaf, leaf after its last)
        while stack:
            node, lo, hi = stack.pop()
            if lo >= k or tree[node] <= above:
                continue
            if hi - lo == 1:
                found.append(self._order[lo])
                continue
            mid = (lo + hi) // 2
            stack.append((2 * node, lo, mid))
            stack.append((2 * node + 1, mid, hi))
        found.sort()
        return found

    def of(self, start: int, end: int) -> Quote | None:
        """``quote_of(quotes, start, end)``."""
        if end <= start or not self._quotes:
            return None  # no quote holds more than half of nothing
        return quote_of((self._quotes[i] for i in self._holding(start + end)), start, end)


def speaker_of(q: Quote | None, text: str) -> str | None:
    """The speaker's words, where the quote has a known speaker."""
    if q is None or q.speaker_start is None or q.speaker_end is None:
        return None
    return text[q.speaker_start : q.speaker_end]


# --- quotation marks ---------------------------------------------------------------------


def _marked(text: str, pa: int, pb: int) -> list[tuple[int, int, int, int]]:
    """(content_start, content_end, open_mark, after_close_mark) for each quotation in the
    paragraph [pa, pb); after_close_mark is -1 for an unclosed quotation."""
    spans: list[tuple[int, int, int]] = []  # (open, close or -1, content end)
    spans += _pairs(text, pa, pb, '"', '"', directional=False, closed_only=False)
    spans += _pairs(text, pa, pb, "“„‟", "”“", directional=True, closed_only=False)
    spans += _pairs(text, pa, pb, "«", "»", directional=True, closed_only=False)
    spans += _pairs(text, pa, pb, "‘", "’", directional=True, closed_only=True)
    spans += _pairs(text, pa, pb, "'", "'", directional=False, closed_only=True)
    out = []
    for o, c, e in spans:
        a, b = o + 1, e
        while a < b and text[a] in _EDGE:
            a += 1
        while b > a and (text[b - 1] in _EDGE or text[b - 1].isspace()):
            b -= 1
        if a < b:
            out.append((a, b, o, c + 1 if c >= 0 else -1))
    return out


def _pairs(
    text: str, pa: int, pb: int, openers: str, closers: str, *, directional: bool, closed_only: bool
) -> list[tuple[int, int, int]]:
    """(open, close, content end) for each quotation of one family of marks in the paragraph
    ``[pa, pb)``. Each mark is judged by what stands around it (see :func:`_can_open`); a
    closing mark closes the nearest opening mark before it, and a mark that can only open
    while one is pending leaves that one unclosed: its content then ends at the new mark (or
    at the paragraph's end), and a stray or unclosed mark never shifts the pairs after it.
    ``close`` is -1 for an unclosed quotation (kept only where not ``closed_only``)."""
    marks = set(openers) | set(closers)
    out: list[tuple[int, int, int]] = []
    pending = -1
    for i in range(pa, pb):
        ch = text[i]
        if ch not in marks:
            continue
        prev = text[i - 1] if i > pa else " "
        nxt = text[i + 1] if i + 1 < pb else " "
        if ch == '"' and _is_inch(text, i, pa, pb):
            continue
        can_open, can_close = _can_open_close(text, i, pb, ch, prev, nxt, openers, closers)
        if directional and pending >= 0 and text[pending] == "“" and ch == "“":
            can_close = False  # English “ opens; only German „ is closed by “
        if pending >= 0 and can_close:
            out.append((pending, i, i))
            pending = -1
        elif can_open:
            if pending >= 0 and not closed_only:
                out.append((pending, -1, i))
            pending = i
    if pending >= 0 and not closed_only:
        out.append((pending, -1, pb))
    return out


def _can_open_close(
    text: str, i: int, pb: int, ch: str, prev: str, nxt: str, openers: str, closers: str
) -> tuple[bool, bool]:
    """Whether the mark at ``i`` can open and whether it can close a quotation.

    Straight double quotes (``"``) face no way, so their surroundings decide: one opens after
    a space, the paragraph's start, an opening bracket, a dash, a colon or comma and before a
    non-space; one closes after a non-space and before a space, the end or punctuation, or
    right after sentence punctuation (``"no."Then``). A mark between two letters (``Don"t``)
    does neither.
    Single quotes also must not be apostrophes: one opens before a letter and after a
    non-letter (not an elision such as ``'em``), one closes after a non-space and not before a
    letter or digit. Curly marks and guillemets say which way they face."""
    if ch in "'‘’":
        can_open = (
            ch in openers
            and not prev.isalnum()
            and nxt.isalpha()
            and not _is_elision(text, i + 1, pb)
        )
        can_close = ch in closers and not prev.isspace() and not nxt.isalnum()
        return can_open, can_close
    if ch != '"':
        return ch in openers, ch in closers
    can_open = (prev.isspace() or prev in _OPEN_AFTER) and not nxt.isspace() and i + 1 < pb
    can_close = not prev.isspace() and (
        nxt.isspace() or nxt in _CLOSE_BEFORE or prev in _END_PUNCT or i + 1 >= pb
    )
    return can_open, can_close


def _is_inch(text: str, i: int, pa: int, pb: int) -> bool:
    """A ``"`` after a number that marks inches (``a 12" pizza``, ``5'11"``), not a quote."""
    if i == pa or not text[i - 1].isdigit():
        return False
    if _FEET_INCHES.search(text, max(pa, i - 6), i + 1):
        return True
    nxt = text[i + 1] if i + 1 < pb else ""
    after = text[i + 2] if i + 2 < pb else ""
    return nxt.isalpha() or nxt in "-x×" or (nxt == " " and (after.islower() or after.isdigit()))


def _is_elision(text: str, start: int, end: int) -> bool:
    """``'em``, ``'n'``, ``'tis``: an apostrophe that starts a shortened word, not a quotation."""
    m = _LETTERS.match(text, start, min(end, start + 8))
    if m is None or m.group().lower() not in _ELISIONS:
        return False
    return m.end() >= end or not text[m.end()].isalpha()


def _with_speaker(text: str, pa: int, pb: int, qa: int, qb: int, oa: int, cb: int) -> Quote:
    att = _speaker_after(text, cb, pb) if cb >= 0 else None
    if att is None:
        att = _speaker_before(text, pa, oa)
    if att is None:
        return Quote(qa, qb)
    return Quote(qa, qb, att.speaker_start, att.speaker_end)


def _speaker_after(text: str, pos: int, pb: int) -> Attribution | None:
    """``"...," Smith said`` / ``"...," said Smith`` right after the closing mark."""
    gap = _AFTER_QUOTE.match(text, pos, pb)
    p = gap.end() if gap else pos
    for v in VERB_RE.finditer(text, p, min(pb, p + 60)):
        if v.start() == p:
            return verb_first_at(text, p, min(pb, p + WINDOW))
        att = speaker_first_at(text, v.start(), v.end(), p)
        if att is not None and att.start == p:
            return att
    return None


def _speaker_before(text: str, pa: int, oa: int) -> Attribution | None:
    """``Smith said: "..."`` / ``According to Smith, "..."`` right before the opening mark."""
    lo = max(pa, oa - WINDOW)
    for v in reversed(list(VERB_RE.finditer(text, lo, oa))):
        if _TAIL.fullmatch(text, v.end(), oa):
            att = speaker_first_at(text, v.start(), v.end(), lo)
            if att is not None:
                return att
        break
    if _ACCORDING_BEFORE.search(text, lo, oa):
        for att in find_attributions(text, lo, oa):
            if att.shape == "according" and not text[att.end : oa].strip(" ,"):
                return att
    return None


# --- reported speech ---------------------------------------------------------------------


def _reported(
    text: str,
    pa: int,
    pb: int,
    quoted: list[Quote],
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[Quote]:
    out: list[Quote] = []
    if sentences is None:
        sentences = [(sa + pa, sb + pa) for sa, sb in split_sentences(text[pa:pb])]
    for sa, sb in sentences:
        if any(q.start <= sa + 1 and q.end >= sb - 2 for q in quoted):
            continue  # the whole sentence is a quotation already
        for att in find_attributions(text, sa, sb):
            q = _reported_one(text, sa, sb, att, quoted)
            if q is not None:
                out.append(q)
                break
    return out


def _reported_one(
    text: str, sa: int, sb: int, att: Attribution, quoted: list[Quote]
) -> Quote | None:
    end = sb
    while end > sa and text[end - 1] in _SENTENCE_END:
        end -= 1
    before = text[sa : att.start].rstrip()
    if att.shape == "according":
        if before.endswith(",") and not text[att.end : end].strip(" ,"):
            return _clause(text, sa, sa + len(before) - 1, att, quoted)  # "..., according to X."
        if not before and text[att.end : end].lstrip().startswith(","):
            return _clause(text, text.index(",", att.end) + 1, end, att, quoted)
        return None
    rest = text[att.end : end]
    if before.endswith(",") and "," not in rest and len(rest) <= 60:
        return _clause(text, sa, sa + len(before) - 1, att, quoted)  # "..., X said."
    if att.shape == "speaker_first" and not before.endswith((",", '"', "”", "’")):
        m = _THAT.match(text, att.end, end)
        if m is not None and m.end() < end:
            return _clause(text, m.end(), end, att, quoted)  # "X said (that) ..."
    return None


def _clause(text: str, a: int, b: int, att: Attribution, quoted: list[Quote]) -> Quote | None:
    while a < b and (text[a].isspace() or text[a] in ",:"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",:"):
        b -= 1
    if b - a < 3 or " " not in text[a:b].strip():
        return None  # a single word ("he said no") is no claim
    if text[a] in "\"“„«‘'" or any(q.start <= a + 1 and q.end >= b - 1 for q in quoted):
        return None  # a quotation with marks; it has its own Quote
    return Quote(a, b, att.speaker_start, att.speaker_end, "reported")
