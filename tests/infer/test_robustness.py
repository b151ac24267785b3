"""Offsets always index the original string, whatever the text (issue #3, robustness)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import propscope
from propscope.pipeline import Pipeline
from propscope.segment.windows import LINE_BREAKS

PIECES = [
    "The",
    "so-called",
    "experts",
    "lied",
    "again",
    ".",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\ufeff",
    "🙂",
    "👩‍👩‍👧",
    "مرحبا بالعالم",
    "שלום",
    "e\u0301",
    "naïve",
    "“quoted”",
    "—",
    "\u200f",
    "\u202e",
    "0",
    "1,000",
    "!!!",
    "Ω",
    "漢字",
    "\x00",
    "\ud83d",  # lone surrogates: a str may hold them, no tokenizer or UTF-8 encoder takes them
    "\udfff",
    "a" * 40,
]


@pytest.fixture(scope="module")
def nlp(tiny_model_dir: Path) -> Pipeline:
    return propscope.load(tiny_model_dir)


def _check(nlp: Pipeline, text: str) -> None:
    a = nlp.analyze(text)
    # lone surrogates are replaced one for one: the analysed text indexes like the original
    assert len(a.text) == len(text)
    assert all(
        x == y or (0xD800 <= ord(y) <= 0xDFFF and x == "\ufffd")
        for x, y in zip(a.text, text, strict=True)
    )
    for s in a.spans:
        assert 0 <= s.start < s.end <= len(text)
        assert a.to_dict()["spans"][a.spans.index(s)]["text"] == a.text[s.start : s.end]
    assert nlp.analyze(text) == a  # deterministic


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_spans_lie_inside_the_text(nlp: Pipeline, text: str) -> None:
    _check(nlp, text)


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text(tiny_model_dir: Path, text: str) -> None:
    _check(propscope.load(tiny_model_dir), text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\ufeffA BOM starts this evil text.",
        "no sentence breaks at all " * 300,
        "Line one is awful.\r\nLine two is worse.\r\n",
        "x" * 5000,
    ],
)
def test_edge_cases(nlp: Pipeline, text: str) -> None:
    _check(nlp, text)


def test_lone_surrogates_are_repaired_with_a_warning(nlp: Pipeline) -> None:
    a = nlp.analyze("evil \ud83d thugs \udc00")
    assert a.text == "evil \ufffd thugs \ufffd"
    assert [w["code"] for w in a.warnings] == ["W005"]
    assert "2 lone surrogate code points" in a.warnings[0]["message"]
    assert not [w for w in nlp.analyze("evil thugs").warnings if w["code"] == "W005"]


def test_empty_text_gives_empty_analysis(nlp: Pipeline) -> None:
    assert nlp.analyze("").spans == ()
    assert nlp.analyze(" \n ").to_dict()["spans"] == []


def _peak_rss_mb(code: str) -> float:
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    return float(r.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_five_megabytes_in_bounded_memory(tiny_model_dir: Path) -> None:
    code = (
        "import resource, propscope\n"
        f"nlp = propscope.load({str(tiny_model_dir)!r})\n"
        "text = ('The so-called experts lied again about everything. ' * 100000)[:5_000_000]\n"
        "a = nlp.analyze(text)\n"
        "assert all(0 <= s.start < s.end <= len(text) for s in a.spans)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    assert _peak_rss_mb(code) < 600


# --- line breaks are line breaks, whichever (issue #14, part 4) ---------------------------

BREAKS = ["\r", "\r\n", "\u2028", "\u2029", "\x85", "\v", "\f", "\n"]
ONE_CHAR_BREAKS = [b for b in BREAKS if len(b) == 1 and b != "\n"]
SENTENCES = [
    "They are evil thugs who lie to everyone",
    "Our great nation will never surrender to them!",
    "The so-called experts lied again and again.",
    "Shameful, disgusting, outrageous lies",
    "“Fake news,” Smith said on Monday.",
    "Wake up, America",
    "Prices rose 3.5% in 2019, according to the bureau.",
    " ",
]


@pytest.fixture(scope="module")
def shipped() -> Pipeline:
    return propscope.load()


@pytest.fixture(scope="module")
def both(nlp: Pipeline, shipped: Pipeline) -> dict[str, Pipeline]:
    return {"tiny": nlp, "shipped": shipped}


def _no_line_break_inside(nlp: Pipeline, text: str) -> None:
    a = nlp.analyze(text)
    for kind, items in (("span", a.spans), ("sentence", a.sentences), ("claim", a.claims)):
        for x in items:
            assert 0 <= x.start < x.end <= len(text), (kind, x)
            inside = text[x.start : x.end]
            assert not any(c in LINE_BREAKS for c in inside), (kind, inside)


lines_st = st.lists(
    st.one_of(st.sampled_from(SENTENCES), st.sampled_from(BREAKS)), min_size=1, max_size=14
).map("".join)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines_st, st.sampled_from(["tiny", "shipped"]))
def test_nothing_crosses_a_line_break(both: dict[str, Pipeline], text: str, which: str) -> None:
    _no_line_break_inside(both[which], text)


@pytest.mark.parametrize("br", [*BREAKS, "\r\r", "\u2028\u2028"])
@pytest.mark.parametrize("which", ["tiny", "shipped"])
def test_no_span_crosses_a_line_break(both: dict[str, Pipeline], which: str, br: str) -> None:
    """Lines the shipped model marks whole, joined by one kind of line break: before the fix,
    spans ran over CR, U+2028, U+2029, NEL, VT and FF (one covered three lines)."""
    _no_line_break_inside(both[which], br.join(SENTENCES[:6] * 2))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.sampled_from([*SENTENCES, "\n", "\n\n"]), min_size=1, max_size=12).map("".join),
    st.sampled_from(ONE_CHAR_BREAKS),
)
def test_every_line_break_reads_as_a_newline(shipped: Pipeline, text: str, br: str) -> None:
    """The same text with another line break in place of each \\n (offsets unchanged) gives
    the same spans, sentences and claims: the detector, the tokenizer (which would delete NEL,
    VT and FF and glue the words around them), the sentence splitter and the decoder all end
    a line there."""
    a, b = shipped.analyze(text), shipped.analyze(text.replace("\n", br))
    assert (b.spans, b.sentences, b.claims) == (a.spans, a.sentences, a.claims)
