"""Quotations and reported speech, with their speakers, as offsets into the original text.

Two kinds of :class:`Quote` are found:

* ``"quoted"``: the text inside quotation marks: straight ``"..."``, curly ``“...”`` and
  ``„...“``, guillemets ``«...»``, and single ``‘...’`` / ``'...'`` where they clearly are
  quotation marks (an opening mark after a space or an opening bracket, a closing mark not
  followed by a letter; so the apostrophes in ``don't`` or ``’90s`` never count). An unclosed
  double quotation runs to the end of its paragraph (line), never further; an unclosed single
  one is dropped.
* ``"reported"``: the reported clause of ``X said (that) ...`` up to the end of the sentence,
  ``..., X said.`` / ``..., said X.`` from the start of the sentence, and
  ``According to X, ...`` / ``..., according to X.``.

The speaker is looked for right after a quotation (``"...," Smith said`` / ``said Smith``) and
right before it (``Smith said: "..."``), within the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from propscope.claims._speech import (
    VERB_RE,
    Attribution,
    find_attributions,
    speaker_first_at,
    verb_first_at,
)
from propscope.segment.sentences import LINE, split_sentences

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


@dataclass(frozen=True)
class Quote:
    """A quotation ``[start, end)`` (without its quotation marks) and, when found, its speaker
    ``[speaker_start, speaker_end)``. ``kind`` is ``"quoted"`` or ``"reported"``."""

    start: int
    end: int
    speaker_start: int | None = None
    speaker_end: int | None = None
    kind: str = "quoted"


def find_quotes(text: str) -> list[Quote]:
    """Quotations and reported speech in ``text``, sorted by (start, end)."""
    out: list[Quote] = []
    for para in LINE.finditer(text):
        pa, pb = para.span()
        quoted = [
            _with_speaker(text, pa, pb, qa, qb, oa, cb) for qa, qb, oa, cb in _marked(text, pa, pb)
        ]
        out.extend(quoted)
        out.extend(_reported(text, pa, pb, quoted))
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


def speaker_of(q: Quote | None, text: str) -> str | None:
    """The speaker's words, where the quote has a known speaker."""
    if q is None or q.speaker_start is None or q.speaker_end is None:
        return None
    return text[q.speaker_start : q.speaker_end]


# --- quotation marks ---------------------------------------------------------------------


def _marked(text: str, pa: int, pb: int) -> list[tuple[int, int, int, int]]:
    """(content_start, content_end, open_mark, after_close_mark) for each quotation in the
    paragraph [pa, pb); after_close_mark is -1 for an unclosed quotation."""
    spans: list[tuple[int, int]] = []  # (open, close or -1)
    spans += _pairs(text, pa, pb, '"', '"', directional=False, closed_only=False)
    spans += _pairs(text, pa, pb, "“„‟", "”“", directional=True, closed_only=False)
    spans += _pairs(text, pa, pb, "«", "»", directional=True, closed_only=False)
    spans += _pairs(text, pa, pb, "‘", "’", directional=True, closed_only=True)
    spans += _pairs(text, pa, pb, "'", "'", directional=False, closed_only=True)
    out = []
    for o, c in spans:
        a, b = o + 1, (c if c >= 0 else pb)
        while a < b and text[a] in _EDGE:
            a += 1
        while b > a and (text[b - 1] in _EDGE or text[b - 1].isspace()):
            b -= 1
        if a < b:
            out.append((a, b, o, c + 1 if c >= 0 else -1))
    return out


def _pairs(
    text: str, pa: int, pb: int, openers: str, closers: str, *, directional: bool, closed_only: bool
) -> list[tuple[int, int]]:
    marks = set(openers) | set(closers)
    single = "'" in marks or "‘" in marks
    out: list[tuple[int, int]] = []
    pending = -1
    for i in range(pa, pb):
        ch = text[i]
        if ch not in marks:
            continue
        prev = text[i - 1] if i > pa else " "
        nxt = text[i + 1] if i + 1 < pb else " "
        if pending < 0:
            # curly marks say which way they face; a straight one opens after a non-letter
            can_open = ch in openers if directional else not prev.isalnum() and not nxt.isspace()
            if single:
                can_open = (
                    can_open
                    and not prev.isalnum()
                    and nxt.isalpha()
                    and not _is_elision(text, i + 1, pb)
                )
            if can_open:
                pending = i
        else:
            opener = text[pending]
            if directional and (ch not in closers or (opener == "“" and ch == "“")):
                continue
            if single and (prev.isspace() or nxt.isalnum()):
                continue  # an apostrophe (don't, rock 'n' roll) or a new opening mark
            if ch == '"' and prev.isspace() and not nxt.isspace() and i + 1 < pb:
                # `"a "b"`: a mark that looks like an opener closes nothing; keep the first
                continue
            out.append((pending, i))
            pending = -1
    if pending >= 0 and not closed_only:
        out.append((pending, -1))
    return out


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


def _reported(text: str, pa: int, pb: int, quoted: list[Quote]) -> list[Quote]:
    out: list[Quote] = []
    para = text[pa:pb]
    for sa, sb in split_sentences(para):
        sa, sb = sa + pa, sb + pa
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
