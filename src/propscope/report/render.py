"""Turn analyses into the output formats of ``propscope analyze``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, TextIO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from propscope.techniques import BY_LABEL
from propscope.types import Analysis, Claim, claim_dict, sentence_dict, span_dict


def to_json(analysis: Analysis, source: str | None = None) -> dict[str, Any]:
    """The analysis JSON, naming ``source`` where the analysis does not name its own (a URL)."""
    if source is not None and analysis.source is None:
        analysis = replace(analysis, source=source)
    return analysis.to_dict()


def render_json(items: list[tuple[str, Analysis]], *, as_list: bool | None = None) -> str:
    """One object for one input, else a list of objects that name their source.

    ``as_list`` says which shape to use; by default, a list when there is more than one item.
    The caller passes it so the shape depends on the inputs given, not on how many of them
    could be read.
    """
    if not (len(items) > 1 if as_list is None else as_list):
        return json.dumps(to_json(items[0][1]), ensure_ascii=False, indent=2)
    return json.dumps([to_json(a, src) for src, a in items], ensure_ascii=False, indent=2)


def write_json(
    items: list[tuple[str, Analysis]], out: TextIO, *, as_list: bool | None = None
) -> None:
    """``render_json(items, as_list=as_list)`` written to ``out`` a piece at a time: the same
    characters, without the whole document in memory, nor the dicts of its spans, claims and
    sentences (each is made when it is written). For a text of 50 MB, the document and its
    dicts would take several times the memory of the analysis itself."""
    if not (len(items) > 1 if as_list is None else as_list):
        obj: Any = _lazy_json(items[0][1])
    else:
        obj = _Lazy(len(items), lambda: (_lazy_json(a, src) for src, a in items))
    json.dump(obj, out, ensure_ascii=False, indent=2)


class _Lazy(list):  # type: ignore[type-arg]
    """A list to ``json.dump`` whose items are made as they are written: json's encoder (the
    one it uses with ``indent``) asks a list only for its length and its items, in order."""

    def __init__(self, n: int, items: Callable[[], Iterator[Any]]) -> None:
        super().__init__()
        self._n = n
        self._items = items

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[Any]:
        return self._items()


def _lazy_json(analysis: Analysis, source: str | None = None) -> dict[str, Any]:
    """``to_json(analysis, source)`` with its spans, claims and sentences made as written."""
    bare = replace(analysis, spans=(), claims=(), sentences=())
    out = to_json(bare, source)
    t = analysis.text
    out["spans"] = _Lazy(len(analysis.spans), lambda: (span_dict(x, t) for x in analysis.spans))
    out["claims"] = _Lazy(len(analysis.claims), lambda: (claim_dict(c, t) for c in analysis.claims))
    out["sentences"] = _Lazy(
        len(analysis.sentences), lambda: (sentence_dict(x) for x in analysis.sentences)
    )
    return out


def render_jsonl(source: str, analysis: Analysis) -> str:
    return json.dumps(to_json(analysis, source), ensure_ascii=False)


def render_ptc(article_id: str, analysis: Analysis) -> str:
    return "".join(f"{article_id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in analysis.spans)


def rich_view(analysis: Analysis, source: str | None = None) -> Group:
    """The article with every span highlighted, then a table of spans and of techniques."""
    text = Text(analysis.text)
    for s in analysis.spans:
        t = BY_LABEL.get(s.technique)
        colour = t.colour if t else "yellow"
        text.stylize(f"underline {colour}", s.start, s.end)
    spans = Table(title="Spans" + (f" in {source}" if source else ""), show_lines=False)
    for col in ("#", "technique", "start", "end", "score", "text", "quoted"):
        spans.add_column(col, overflow="fold")
    for i, s in enumerate(analysis.spans, 1):
        name = BY_LABEL[s.technique].name if s.technique in BY_LABEL else s.technique
        frag = _short(analysis.text[s.start : s.end])
        quoted = ("yes" + (f" ({s.speaker})" if s.speaker else "")) if s.quoted else ""
        spans.add_row(str(i), name, str(s.start), str(s.end), f"{s.score:.2f}", frag, quoted)
    counts: dict[str, int] = {}
    for s in analysis.spans:
        counts[s.technique] = counts.get(s.technique, 0) + 1
    tech = Table(title="Techniques")
    tech.add_column("technique")
    tech.add_column("spans", justify="right")
    for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        tech.add_row(BY_LABEL[label].name if label in BY_LABEL else label, str(n))
    claims = claims_table(analysis)
    footer = Text(
        f"model: {analysis.model.name} {analysis.model.version}; "
        f"{len(analysis.text)} characters, {len(analysis.spans)} spans"
    )
    parts: list[Any] = [text, Text(""), spans, tech, claims, Text(claims_note(analysis))]
    parts += [profile_text(analysis), footer]
    for w in analysis.warnings:
        parts.append(Text(f"{w['code']}: {w['message']}", style="yellow"))
    return Group(*parts)


FACT_STYLES = {
    "quantity": "bold cyan",
    "date": "bold magenta",
    "person": "bold green",
    "organization": "bold blue",
    "place": "bold yellow",
    "attribution": "italic bold",
}


def _short(frag: str, n: int = 80) -> str:
    frag = frag.replace("\n", " ")
    return frag if len(frag) <= n else frag[: n - 3] + "..."


CLAIM_SCORE_MEANING = (
    "probability that the sentence states a check-worthy fact (calibrated on CT24)"
)


def ranked_claims(analysis: Analysis) -> list[Claim]:
    """The claims, highest score first (ties: in text order)."""
    return sorted(analysis.claims, key=lambda c: (-c.score, c.start, c.end))


def claims_note(analysis: Analysis) -> str:
    """What a claim's score means and which threshold chose the claims: how many sentences
    reached it and how many fell below."""
    t = analysis.claims_threshold
    if t is None and not analysis.claims:
        return "This model does not score sentences as claims." if analysis.sentences else ""
    note = f"Claim score: {CLAIM_SCORE_MEANING}."
    if t is not None:
        total = len(analysis.sentences)
        note += (
            f" Claims: the sentences scoring at least {round(t, 4):g} "
            f"({len(analysis.claims)} of {total}; {total - len(analysis.claims)} below)."
        )
    return note


def claims_table(analysis: Analysis) -> Table:
    """Check-worthy claims ranked by score, highest first, each with its checkable facts
    highlighted by kind (``claims_note`` says what the score means)."""
    t = Table(title=f"Check-worthy claims ({len(analysis.claims)})", show_lines=True)
    t.add_column("#")
    t.add_column("score", justify="right")
    t.add_column("claim (facts highlighted)", overflow="fold")
    t.add_column("facts", overflow="fold")
    for i, c in enumerate(ranked_claims(analysis), 1):
        sentence = Text(analysis.text[c.start : c.end])
        for f in c.facts:
            sentence.stylize(FACT_STYLES.get(f.kind, "bold"), f.start - c.start, f.end - c.start)
        if c.quoted:
            sentence.append(f"  [quoted{': ' + c.speaker if c.speaker else ''}]", style="dim")
        facts = "; ".join(f"{f.kind}: {analysis.text[f.start : f.end]}" for f in c.facts)
        t.add_row(str(i), f"{c.score:.2f}", sentence, facts)
    return t


def profile_text(analysis: Analysis) -> Text:
    p = analysis.profile
    if not p:
        return Text("")
    top = ", ".join(BY_LABEL[t].name if t in BY_LABEL else t for t in p.get("top_techniques", []))
    return Text(
        f"profile: {p.get('words', 0)} words, {p.get('techniques_per_1000_words', 0)} technique "
        f"spans per 1,000 words, {100 * p.get('share_of_sentences_with_technique', 0):.0f}% of "
        f"sentences with a technique, {p.get('check_worthy_claims', 0)} check-worthy claims"
        + (f"; most used: {top}" if top else "")
    )


def print_text(console: Console, analysis: Analysis, source: str | None = None) -> None:
    if source:
        console.rule(source)
    console.print(rich_view(analysis, source))
