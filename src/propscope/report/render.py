"""Turn analyses into the output formats of ``propscope analyze``."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from propscope.techniques import BY_LABEL
from propscope.types import Analysis


def to_json(analysis: Analysis, source: str | None = None) -> dict[str, Any]:
    d = analysis.to_dict()
    if source is not None:
        d["source"] = source
    return d


def render_json(items: list[tuple[str, Analysis]], *, as_list: bool | None = None) -> str:
    """One object for one input, else a list of objects that name their source.

    ``as_list`` says which shape to use; by default, a list when there is more than one item.
    The caller passes it so the shape depends on the inputs given, not on how many of them
    could be read.
    """
    if not (len(items) > 1 if as_list is None else as_list):
        return json.dumps(to_json(items[0][1]), ensure_ascii=False, indent=2)
    return json.dumps([to_json(a, src) for src, a in items], ensure_ascii=False, indent=2)


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
    for col in ("#", "technique", "start", "end", "score", "text"):
        spans.add_column(col, overflow="fold")
    for i, s in enumerate(analysis.spans, 1):
        name = BY_LABEL[s.technique].name if s.technique in BY_LABEL else s.technique
        frag = analysis.text[s.start : s.end].replace("\n", " ")
        if len(frag) > 80:
            frag = frag[:77] + "..."
        spans.add_row(str(i), name, str(s.start), str(s.end), f"{s.score:.2f}", frag)
    counts: dict[str, int] = {}
    for s in analysis.spans:
        counts[s.technique] = counts.get(s.technique, 0) + 1
    tech = Table(title="Techniques")
    tech.add_column("technique")
    tech.add_column("spans", justify="right")
    for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        tech.add_row(BY_LABEL[label].name if label in BY_LABEL else label, str(n))
    footer = Text(
        f"model: {analysis.model.name} {analysis.model.version}; "
        f"{len(analysis.text)} characters, {len(analysis.spans)} spans"
    )
    parts: list[Any] = [text, Text(""), spans, tech, footer]
    for w in analysis.warnings:
        parts.append(Text(f"{w['code']}: {w['message']}", style="yellow"))
    return Group(*parts)


def print_text(console: Console, analysis: Analysis, source: str | None = None) -> None:
    if source:
        console.rule(source)
    console.print(rich_view(analysis, source))
