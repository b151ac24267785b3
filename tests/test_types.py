"""The frozen records and the analysis JSON they write."""

from __future__ import annotations

import dataclasses
import json

import pytest

from propscope.types import SCHEMA, Analysis, Claim, Fact, ModelInfo, Sentence, Span

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
