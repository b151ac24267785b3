"""Renderers of an analysis."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

import propscope
from propscope.claims.profile import build_profile
from propscope.claims.quotes import Quote
from propscope.cli.common import text_console
from propscope.report.render import (
    marked_text,
    print_text,
    render_json,
    render_jsonl,
    render_ptc,
    write_json,
)
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
    assert re.search(r"^check-worthy claims +1$", out, re.M)  # the summary (whole text only)


# ---------------------------------------------------------------- the text view (issue 15)


ESC = "\x1b["
#       0         1         2         3         4         5         6         7
#       0123456789012345678901234567890123456789012345678901234567890123456789012345
VTEXT = 'Smith said: "They are evil thugs and liars." We stay calm and fair.\nOur great nation!'
VQUOTE = Quote(13, 43)
VSPANS = (
    Span(22, 26, "Loaded_Language", 0.62, True, "Smith", 0.8),
    Span(27, 32, "Name_Calling,Labeling", 0.55, True, None, 0.7),
    Span(53, 57, "Loaded_Language", 0.4, technique_score=0.9),
    Span(68, 84, "Flag-Waving", 0.9, technique_score=0.95),
    Span(72, 84, "Loaded_Language", 0.3, technique_score=0.5),
)
VSENTENCES = (Sentence(0, 44, 0.9), Sentence(45, 67, 0.25), Sentence(68, 85, 0.55))
VCLAIMS = (Claim(0, 44, 0.7, quoted=True, speaker="Smith"),)
VIEW = Analysis(
    text=VTEXT,
    model=ModelInfo("m", "1"),
    spans=VSPANS,
    claims=VCLAIMS,
    sentences=VSENTENCES,
    profile=build_profile(VTEXT, VSPANS, VSENTENCES, VCLAIMS, [VQUOTE]),
)


def test_view_text_is_what_the_test_says() -> None:
    assert [VTEXT[s.start : s.end] for s in VSPANS] == [
        "evil",
        "thugs",
        "calm",
        "Our great nation",
        "great nation",
    ]
    assert VTEXT[VQUOTE.start : VQUOTE.end] == "They are evil thugs and liars."
    assert VTEXT[68:85] == "Our great nation!"


def test_marked_text_marks_each_span_inline() -> None:
    assert marked_text(VIEW).plain == (
        'Smith said: "They are [[evil]]{Loaded_Language 0.62/0.80 quoted: Smith} '
        '[[thugs]]{Name_Calling,Labeling 0.55/0.70 quoted} and liars." '
        "We stay [[calm]]{Loaded_Language 0.40/0.90} and fair.\n"
        "[[Our great nation]]{Flag-Waving 0.90/0.95; "
        'Loaded_Language 0.30/0.50 "great nation"}!'
    )


def test_overlapping_spans_share_one_mark() -> None:
    text = "aaa bbb ccc ddd"
    spans = (
        Span(0, 7, "Doubt", 0.5),  # crosses the next one
        Span(4, 11, "Slogans", 0.6),
        Span(4, 11, "Repetition", 0.7),  # the same text as the one before
        Span(12, 15, "Doubt", 0.8),  # touches nothing
    )
    a = Analysis(text=text, model=ModelInfo("m", "1"), spans=spans)
    assert marked_text(a).plain == (
        '[[aaa bbb ccc]]{Doubt 0.50/1.00 "aaa bbb"; Repetition 0.70/1.00 "bbb ccc"; '
        'Slogans 0.60/1.00 "bbb ccc"} [[ddd]]{Doubt 0.80/1.00}'
    )


def _view(console: Console, **kw: object) -> str:
    print_text(console, VIEW, **kw)  # type: ignore[arg-type]
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_text_view_without_a_terminal_marks_spans_and_prints_the_key() -> None:
    out = _view(Console(file=io.StringIO(), width=80))
    assert ESC not in out
    assert "[[evil]]{Loaded_Language 0.62/0.80 quoted: Smith}" in out
    flat = " ".join(out.split())
    assert "Key: [[text]]{Label S/T} marks a persuasion span" in flat
    assert "span score: how sure the model is that the text is a persuasion span" in flat
    assert "technique score: how sure it is of the technique" in flat
    # the marked article keeps its lines whole, even past 80 columns
    lines = out.splitlines()
    assert any(
        line.startswith('Smith said: "They are [[evil]]') and len(line) > 80 for line in lines
    )
    assert all(len(line) <= 80 for line in lines if "[[" not in line)


def test_text_view_in_a_terminal_uses_colours_and_a_colour_key() -> None:
    out = _view(Console(file=io.StringIO(), width=80, force_terminal=True, color_system="standard"))
    assert ESC in out and "[[" not in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "Key: Flag-waving, Loaded language, Name calling or labelling; italic: quoted" in plain
    # each technique in the key is underlined (4) in a colour (3x or 9x)
    assert re.search(r"\x1b\[4;(3|9)\dmFlag-waving", out)


def test_marks_can_be_asked_for_in_a_terminal() -> None:
    console = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    out = _view(console, marks=True)
    assert ESC not in out and "[[calm]]{Loaded_Language 0.40/0.90}" in out


@pytest.mark.parametrize(
    ("env", "no_color", "plain"),
    [
        ({"FORCE_COLOR": "1"}, False, False),
        ({"FORCE_COLOR": "1"}, True, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, True),
        ({}, False, True),  # pytest's stdout is no terminal
    ],
)
def test_text_console_is_plain_without_colour(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], no_color: bool, plain: bool
) -> None:
    for k in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    console, is_plain = text_console(no_color)
    assert is_plain is plain
    assert (console.color_system is None) is plain


def _summary_row(out: str, label: str) -> list[str]:
    m = re.search(rf"^{re.escape(label)} +(.*)$", out, re.M)
    assert m, label
    return m.group(1).split()


def test_summary_figures_match_the_profile() -> None:
    out = _view(Console(file=io.StringIO(), width=80))
    p = VIEW.profile
    voices = [p, p["author"], p["quoted"]]
    assert (
        _summary_row(out, "sentences") == [str(v["sentences"]) for v in voices] == ["3", "2", "1"]
    )
    assert _summary_row(out, "words") == [str(v["words"]) for v in voices]
    assert _summary_row(out, "sentences with a technique") == [
        f"{100 * v['share_of_sentences_with_technique']:.1f}%" for v in voices
    ]
    assert _summary_row(out, "sentences with a technique") == ["100.0%", "100.0%", "100.0%"]
    assert _summary_row(out, "techniques per 1,000 words") == [
        f"{v['techniques_per_1000_words']:.2f}" for v in voices
    ]
    assert _summary_row(out, "check-worthy claims") == ["1", "0", "1"]
    assert _summary_row(out, "mean sentence score") == ["0.57", "0.40", "0.90"]
    assert "top techniques, whole text: Loaded language, Flag-waving, Name calling" in out
    assert "top techniques, quoted: Loaded language, Name calling or labelling" in out
    assert "top techniques, author: Loaded language, Flag-waving\n" in out


def test_summary_of_an_old_profile_has_the_whole_text_only() -> None:
    a = replace(VIEW, profile={"words": 9, "sentences": 3})
    console = Console(file=io.StringIO(), width=80)
    print_text(console, a)
    got = console.file.getvalue()  # type: ignore[attr-defined]
    assert _summary_row(got, "words") == ["9"]
    assert "top techniques, author" not in got


def test_each_sentence_has_its_score_and_a_bar() -> None:
    out = _view(Console(file=io.StringIO(), width=80))
    rows = re.findall(r"^ *(\d+) (\d\.\d\d) ([#.]{10}) (.*)$", out, re.M)
    assert [(n, sc, bar.count("#")) for n, sc, bar, _ in rows] == [
        ("1", "0.90", 9),
        ("2", "0.25", 2),  # round(2.5) = 2
        ("3", "0.55", 6),  # round(5.5) = 6
    ]
    assert rows[0][3] == 'Smith said: "They are evil thugs and liars."'
    assert all(len(line) <= 80 for line in out.splitlines() if re.match(r" *\d+ \d\.\d\d ", line))
