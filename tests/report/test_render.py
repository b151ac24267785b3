"""Renderers of an analysis."""

from __future__ import annotations

import json

from propscope.report.render import render_json, render_jsonl, render_ptc
from propscope.types import Analysis, ModelInfo, Span

A = Analysis(
    text="\ufeffOur country, “evil”.",
    model=ModelInfo("m", "1"),
    spans=(Span(1, 12, "Flag-Waving"), Span(14, 20, "Loaded_Language")),
)


def test_render_json_one_item_is_an_object_without_source() -> None:
    d = json.loads(render_json([("a.txt", A)]))
    assert "source" not in d
    assert [s["text"] for s in d["spans"]] == ["Our country", "“evil”"]


def test_render_json_several_items_is_a_list_with_sources() -> None:
    items = json.loads(render_json([("a.txt", A), ("b.txt", A)]))
    assert [i["source"] for i in items] == ["a.txt", "b.txt"]


def test_render_json_list_shape_can_be_forced_for_one_item() -> None:
    items = json.loads(render_json([("a.txt", A)], as_list=True))
    assert [i["source"] for i in items] == ["a.txt"]


def test_render_json_keeps_non_ascii() -> None:
    assert "“evil”" in render_json([("a.txt", A)])


def test_render_jsonl_is_one_line() -> None:
    line = render_jsonl("x", A)
    assert "\n" not in line
    assert json.loads(line)["source"] == "x"


def test_render_ptc() -> None:
    assert render_ptc("42", A) == "42\tFlag-Waving\t1\t12\n42\tLoaded_Language\t14\t20\n"


def test_text_view_lists_claims_with_their_facts() -> None:
    from rich.console import Console

    from propscope.report.render import print_text
    from propscope.types import Analysis, Claim, Fact, ModelInfo

    text = "The council spent $4 million in 2019."
    a = Analysis(
        text=text,
        model=ModelInfo("m", "1"),
        claims=(Claim(0, len(text), 0.9, (Fact(18, 28, "quantity"), Fact(32, 36, "date"))),),
        profile={"words": 7, "check_worthy_claims": 1, "top_techniques": []},
    )
    console = Console(record=True, width=200)
    print_text(console, a)
    out = console.export_text()
    assert "Check-worthy claims (1)" in out
    assert "quantity: $4 million" in out and "date: 2019" in out
    assert "1 check-worthy claims" in out
