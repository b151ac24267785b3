"""Renderers of an analysis."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

import propscope
from propscope.report.render import render_json, render_jsonl, render_ptc, write_json
from propscope.types import Analysis, Claim, Fact, ModelInfo, Sentence, Span

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


B = replace(
    A,
    claims=(Claim(1, 21, 0.5, (Fact(1, 12, "place"),), quoted=True, speaker="x\ny"),),
    sentences=(Sentence(1, 21, 0.25), Sentence(21, 22, 1 / 3)),
    warnings=({"code": "W001", "message": "m"},),
    source="https://example.org/a",
    main_text=True,
    min_score=0.3,
    operating_points={"balanced": 0.3},
    claims_threshold=0.32,
    id="7",
)
EMPTY = Analysis(text="", model=ModelInfo("m", "1"))


@pytest.mark.parametrize(
    ("items", "as_list"),
    [
        ([("a.txt", A)], None),
        ([("a.txt", A)], True),
        ([("b.txt", B)], None),
        ([("e.txt", EMPTY)], None),
        ([("a.txt", A), ("b.txt", B), ("e.txt", EMPTY)], None),
        ([("a.txt", A), ("b.txt", B)], False),
    ],
)
def test_write_json_writes_what_render_json_renders(
    items: list[tuple[str, Analysis]], as_list: bool | None
) -> None:
    """Streamed piece by piece (for a huge text), the same characters (issue #14)."""
    out = io.StringIO()
    write_json(items, out, as_list=as_list)
    assert out.getvalue() == render_json(items, as_list=as_list)


def test_write_json_of_a_real_analysis() -> None:
    nlp = propscope.load(Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model")
    a = nlp.analyze("They are evil thugs.\n“Fake news,” Smith said on Monday in Paris.\n" * 5)
    assert a.spans and a.sentences
    out = io.StringIO()
    write_json([("a.txt", a)], out)
    assert out.getvalue() == render_json([("a.txt", a)])


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
