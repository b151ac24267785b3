"""The frozen records and the analysis JSON they write."""

from __future__ import annotations

import dataclasses
import json
import pickle
from array import array

import pytest

from propscope.types import (
    SCHEMA,
    Analysis,
    Claim,
    Fact,
    ModelInfo,
    Records,
    Sentence,
    Span,
    sentence_records,
)

MODEL = ModelInfo("test-model", "9.9.9")


def test_span_offsets_are_str_indices_end_exclusive() -> None:
    text = "They are evil thugs."
    span = Span(9, 13, "Loaded_Language")
    assert span.text_in(text) == "evil"
    assert span.score == 1.0


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 3), (-3, -1)])
def test_span_rejects_empty_reversed_or_negative_offsets(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="invalid span offsets"):
        Span(start, end, "Doubt")


def test_span_is_frozen_and_hashable() -> None:
    span = Span(0, 3, "Doubt")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    assert len({span, Span(0, 3, "Doubt"), Span(0, 3, "Slogans")}) == 2


def test_span_overlap_needs_a_shared_character() -> None:
    a = Span(0, 5, "Doubt")
    assert a.overlaps(Span(4, 9, "Doubt"))
    assert Span(4, 9, "Doubt").overlaps(a)
    assert a.overlaps(Span(1, 2, "Doubt"))  # contained
    assert not a.overlaps(Span(5, 9, "Doubt"))  # touching only
    assert not Span(5, 9, "Doubt").overlaps(a)


def test_spans_sort_by_start_then_end_then_technique() -> None:
    spans = [Span(3, 9, "B"), Span(0, 4, "Z"), Span(3, 5, "C"), Span(3, 5, "A")]
    assert sorted(spans) == [Span(0, 4, "Z"), Span(3, 5, "A"), Span(3, 5, "C"), Span(3, 9, "B")]


def test_analysis_to_dict_writes_schema_texts_and_rounded_scores() -> None:
    text = "Experts say the vile plan failed in 2019."
    a = Analysis(
        text=text,
        model=MODEL,
        spans=(
            Span(0, 11, "Appeal_to_Authority", 0.123456, technique_score=0.654321),
            Span(16, 20, "Loaded_Language", quoted=True, speaker="Experts"),
        ),
        claims=(Claim(0, 41, 0.87654321, facts=(Fact(36, 40, "DATE"),)),),
        sentences=(Sentence(0, 41, 0.55556),),
        profile={"Loaded_Language": 1},
        warnings=({"code": "W003", "message": "baseline"},),
    )
    d = a.to_dict()
    assert d["schema"] == SCHEMA == "propscope.analysis/2"
    assert d["model"] == {"name": "test-model", "version": "9.9.9"}
    assert d["text_length"] == len(text)
    assert d["spans"] == [
        {
            "start": 0,
            "end": 11,
            "technique": "Appeal_to_Authority",
            "score": 0.1235,
            "technique_score": 0.6543,
            "text": "Experts say",
            "quoted": False,
            "speaker": None,
        },
        {
            "start": 16,
            "end": 20,
            "technique": "Loaded_Language",
            "score": 1.0,
            "technique_score": 1.0,
            "text": "vile",
            "quoted": True,
            "speaker": "Experts",
        },
    ]
    assert d["claims"] == [
        {
            "start": 0,
            "end": 41,
            "text": text,
            "score": 0.8765,
            "quoted": False,
            "speaker": None,
            "facts": [{"start": 36, "end": 40, "kind": "DATE", "text": "2019"}],
        }
    ]
    assert d["sentences"] == [{"start": 0, "end": 41, "score": 0.5556, "quoted": False}]
    assert d["profile"] == {"Loaded_Language": 1}
    assert d["warnings"] == [{"code": "W003", "message": "baseline"}]
    json.dumps(d)  # plain JSON types only


def test_analysis_to_dict_does_not_share_mutable_state() -> None:
    a = Analysis(text="x", model=MODEL, profile={"k": 1})
    d = a.to_dict()
    d["profile"]["k"] = 2
    assert a.profile == {"k": 1}


def test_empty_analysis_is_valid() -> None:
    d = Analysis(text="", model=MODEL).to_dict()
    assert d["schema"] == SCHEMA
    assert d["text_length"] == 0
    assert d["spans"] == d["claims"] == d["sentences"] == d["warnings"] == []


def test_offsets_count_a_bom_and_non_ascii_as_one_character_each() -> None:
    text = "\ufeff“Shameful” decision"
    span = Span(2, 10, "Loaded_Language")
    d = Analysis(text=text, model=MODEL, spans=(span,)).to_dict()
    assert d["spans"][0]["text"] == "Shameful"
    assert d["text_length"] == 20


def test_compact_sentences_behave_as_a_tuple_of_records() -> None:
    records = (Sentence(0, 5, 0.25), Sentence(6, 12, 0.5), Sentence(13, 20, 0.0))
    compact = sentence_records(
        array("q", [0, 6, 13]), array("q", [5, 12, 20]), array("d", [0.25, 0.5, 0.0])
    )
    assert len(compact) == 3 and list(compact) == list(records)
    assert compact[1] == records[1] and compact[-1] == records[-1] and compact[-3] == records[0]
    assert compact[1:] == records[1:] and isinstance(compact[1:], tuple)
    assert compact == records and records == compact and compact != list(records)
    assert hash(compact) == hash(records)
    assert pickle.loads(pickle.dumps(compact)) == records
    assert Records(Sentence, records) == compact
    empty = Records(Sentence)
    assert not empty and empty == () and list(empty) == []
    with pytest.raises(IndexError, match="record index 3 out of range"):
        compact[3]
    with pytest.raises(IndexError, match="out of range"):
        compact[-4]
    with pytest.raises(IndexError):
        empty[0]
    with pytest.raises(ValueError):
        sentence_records(array("q", [0]), array("q", [5]), array("d"))
    text = "Hello world again here"
    a = Analysis(text=text, model=MODEL, sentences=compact)
    b = Analysis(text=text, model=MODEL, sentences=records)
    assert a.to_dict() == b.to_dict() and a == b


def test_compact_sentences_carry_their_quoted_flags() -> None:
    records = (Sentence(0, 5, 0.25, True), Sentence(6, 12, 0.5, False), Sentence(13, 20, 0.0, True))
    cols = array("q", [0, 6, 13]), array("q", [5, 12, 20]), array("d", [0.25, 0.5, 0.0])
    compact = sentence_records(*cols, [True, False, True])
    assert compact == records and [s.quoted for s in compact] == [True, False, True]
    assert compact[0].quoted is True and compact[1].quoted is False
    assert compact[::2] == (records[0], records[2])
    assert pickle.loads(pickle.dumps(compact))[2] == records[2]
    unflagged = sentence_records(*cols)
    assert unflagged != compact and not any(s.quoted for s in unflagged)
    with pytest.raises(ValueError, match="quoted"):
        sentence_records(array("q", [0]), array("q", [5]), array("d", [0.1]), [True, False])
    text = "Hello world again here"
    d = Analysis(text=text, model=MODEL, sentences=compact).to_dict()
    assert [s["quoted"] for s in d["sentences"]] == [True, False, True]


def test_compact_spans_give_back_every_field_as_it_was() -> None:
    spans = (
        Span(0, 8, "Loaded_Language", 0.8125, False, None, 0.5),
        Span(3, 2**40, "Name_Calling,Labeling", 0.1, True, "Mr. Smith", 0.9999),
        Span(9, 12, "Loaded_Language", 1.0, True, "Mr. Smith", 1.0),
        Span(9, 12, "Doubt", 0.333, True, "", 0.25),
    )
    compact = Records(Span, iter(spans))
    assert compact == spans and len(compact) == 4
    for got, want in zip(compact, spans, strict=True):
        for name in ("start", "end", "technique", "score", "quoted", "speaker", "technique_score"):
            assert getattr(got, name) == getattr(want, name)
            assert type(getattr(got, name)) is type(getattr(want, name))
    assert compact[3].speaker == "" and compact[0].speaker is None
    assert pickle.loads(pickle.dumps(compact)) == spans
    assert compact != spans[:3] and compact != (*spans[:3], Span(9, 12, "Doubt", 0.333, True, ""))
    with pytest.raises(TypeError, match="a Span was expected, not Fact"):
        compact.append(Fact(0, 1, "date"))  # type: ignore[arg-type]


def test_compact_claims_keep_each_claims_own_facts() -> None:
    claims = (
        Claim(0, 30, 0.75, (Fact(0, 4, "date"), Fact(10, 20, "person")), False, None),
        Claim(31, 40, 0.5),
        Claim(41, 90, 0.99, (Fact(50, 55, "quantity"),), True, "she"),
    )
    compact = Records(Claim, claims)
    assert compact == claims and compact[1].facts == () and compact[-1].facts[0].kind == "quantity"
    assert compact[0].facts == claims[0].facts and isinstance(compact[0].facts, tuple)
    assert compact[2].speaker == "she" and compact[2].quoted is True
    again = pickle.loads(pickle.dumps(compact))
    assert again == claims
    again.append(Claim(91, 99, 0.6, (Fact(91, 95, "organization"),)))
    assert again[3].facts == (Fact(91, 95, "organization"),) and again[:3] == claims
    text = "x" * 100
    a = Analysis(text=text, model=MODEL, claims=compact).to_dict()
    assert a == Analysis(text=text, model=MODEL, claims=claims).to_dict()


def test_compact_records_take_a_few_dozen_bytes_each() -> None:
    """The point of ``Records`` (issue 14): strings are held once (a technique, a speaker),
    numbers in arrays; 10,000 spans and 10,000 claims with two facts each."""
    import tracemalloc

    spans = [
        Span(i, i + 5, ("Doubt", "Loaded_Language")[i % 2], i / 1e4, bool(i % 3), "Mr. Smith")
        for i in range(10_000)
    ]
    claims = [
        Claim(i, i + 9, 0.5, (Fact(i, i + 2, "date"), Fact(i + 3, i + 5, "person")), True, "she")
        for i in range(10_000)
    ]
    tracemalloc.start()
    try:
        held_spans = Records(Span, spans)
        spans_bytes = tracemalloc.get_traced_memory()[0]
        held_claims = Records(Claim, claims)
        claims_bytes = tracemalloc.get_traced_memory()[0] - spans_bytes
    finally:
        tracemalloc.stop()
    assert held_spans == tuple(spans) and held_claims == tuple(claims)
    # columns: 8 + 8 + 4 + 8 + 1 + 4 + 8 = 41 bytes a span; a claim 8 + 8 + 8 + 8 + 1 + 4 =
    # 37 and its two facts 2 x 20; arrays grow by about an eighth at a time
    assert spans_bytes < 48 * 10_000
    assert claims_bytes < 88 * 10_000
