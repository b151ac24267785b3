"""The shift audit: does an edit far from a span change it? (issue 11)

Each text is analysed as it is and after an edit that should change nothing but the text near
it; the edited copy's spans are mapped back to the original's offsets and compared, on the part
of the text both share, with the same measures as the swap audit (``span_agreement``: SI F1 of
the copy's spans against the original's; ``technique_agreement``: among spans matched by
overlap, the share with the same technique). The edits:

* ``prefix``: ``"Note. "`` put before the first line (every later offset moves by 6);
* ``short_line``: a line of one or two words put before the text (every token moves by a few
  positions: what a different window grid would do);
* ``long_line``: a line of about 56 tokens put before the text;
* ``drop_first``: the first paragraph (a headline, up to the first blank line) removed; only
  the rest is compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from propscope.audit.swap import Detector, _Tally, match_spans
from propscope.types import Span

SCHEMA = "propscope.audit.shift/1"
LONG_LINE = (
    "Editor's note: this story was first published by our partners at another outlet, and it "
    "has been updated since then with new reporting from our staff in the capital, including "
    "comments from officials who asked not to be named because they were not authorised to "
    "speak.\n"
)


@dataclass(frozen=True)
class Edit:
    """An edited copy: ``text``; original offset o is copy offset o + ``shift``; only the
    original's text from ``keep_from`` on is in the copy."""

    name: str
    text: str
    shift: int
    keep_from: int = 0


def edits(text: str) -> Iterator[Edit]:
    yield Edit("prefix", "Note. " + text, 6)
    yield Edit("short_line", "Updated.\n" + text, 9)
    yield Edit("long_line", LONG_LINE + text, len(LONG_LINE))
    cut = text.find("\n\n")
    if cut > 0 and text[cut + 2 :].strip():
        yield Edit("drop_first", text[cut + 2 :], -(cut + 2), cut + 2)


EDITS = ("prefix", "short_line", "long_line", "drop_first")


def back(edit: Edit, spans: Iterable[Span]) -> list[Span]:
    """The copy's spans at the original's offsets (spans inside an added prefix dropped)."""
    out = []
    for s in spans:
        start, end = s.start - edit.shift, s.end - edit.shift
        if start >= edit.keep_from:
            out.append(Span(start, end, s.technique, s.score, technique_score=s.technique_score))
    return sorted(out, key=lambda s: (s.start, s.end, s.technique))


def audit_shift(model: Detector, texts: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Agreement of each kind of edit over all ``texts`` (and all edits together)."""
    tallies = {name: _Tally() for name in EDITS}
    total = 0
    for tid, text in texts:
        total += 1
        base = sorted(model.detect(text), key=lambda s: (s.start, s.end, s.technique))
        for edit in edits(text):
            orig = [s for s in base if s.start >= edit.keep_from]
            moved = back(edit, model.detect(edit.text))
            matched = match_spans(orig, moved)
            same = sum(1 for i, j in matched if orig[i].technique == moved[j].technique)
            tallies[edit.name].add(tid, 0, orig, moved, len(matched), same)
    info = getattr(model, "info", None)
    edits_out = {}
    for name, t in tallies.items():
        d = t.to_dict()
        d.pop("names_swapped")
        d["spans_edited"] = d.pop("spans_swapped")
        edits_out[name] = d
    return {
        "schema": SCHEMA,
        "model": None if info is None else {"name": info.name, "version": info.version},
        "texts": total,
        "edits": edits_out,
    }
