"""Issue #4 wiring: sentences, claims with facts, quoted speech and the profile in one analysis."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import propscope
from propscope.decode.sentences import overlap_scores
from propscope.model import DocScores
from propscope.pipeline import Pipeline
from propscope.types import ModelInfo, Span

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny-model"
TEXT = (
    'Senator Jane Smith said: "These thugs are destroying our country."\n'
    "The council spent $4 million on offices in 2019, according to the auditor.\n"
    "Nothing more here.\n"
)


class Stub:
    """A model that marks fixed words, so quoting can be tested without weights."""

    info = ModelInfo("stub", "0")
    is_baseline = False
    claim_threshold = None

    operating_points: dict[str, float] = {}  # noqa: RUF012

    def process(
        self, text: str, sentences: Sequence[tuple[int, int]], *, min_score: float | None = None
    ) -> DocScores:
        spans = self.detect(text)
        return DocScores(spans, overlap_scores(spans, sentences), None)

    def __init__(self, words: Sequence[str]) -> None:
        self.words = words

    def detect(self, text: str) -> list[Span]:
        out = []
        for w in self.words:
            i = text.find(w)
            if i >= 0:
                out.append(Span(i, i + len(w), "Name_Calling,Labeling", 0.9))
        return out

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        return [("Loaded_Language", 0.5) for _ in spans]


def test_span_inside_a_quotation_is_marked_with_its_speaker() -> None:
    a = Pipeline(Stub(["thugs", "council", "Nothing"])).analyze(TEXT)
    by_text = {TEXT[s.start : s.end]: s for s in a.spans}
    assert by_text["thugs"].quoted is True
    assert by_text["thugs"].speaker is not None and "Smith" in by_text["thugs"].speaker
    # reported speech ("..., according to the auditor") counts as quoted too
    assert by_text["council"].quoted is True
    assert by_text["council"].speaker == "the auditor"
    assert by_text["Nothing"].quoted is False and by_text["Nothing"].speaker is None
    d = a.to_dict()
    assert {s["text"]: s["quoted"] for s in d["spans"]} == {
        "thugs": True,
        "council": True,
        "Nothing": False,
    }


def test_sentences_and_profile() -> None:
    a = Pipeline(Stub(["thugs"])).analyze(TEXT)
    assert [TEXT[s.start : s.end] for s in a.sentences][-1] == "Nothing more here."
    scores = [s.score for s in a.sentences]
    assert scores[0] == 1.0 and scores[-1] == 0.0  # derived from spans for weight-less models
    p = a.profile
    assert p["technique_counts"] == {"Name_Calling,Labeling": 1}
    assert p["top_techniques"] == ["Name_Calling,Labeling"]
    assert p["words"] > 20
    assert 0 < p["share_of_sentences_with_technique"] < 1


def test_non_english_text_gets_a_warning() -> None:
    text = (
        "Der Bundestag hat heute beschlossen, dass die neuen Regeln ab dem nächsten Jahr gelten "
        "und die Bürger mehr Geld für die Energie bezahlen müssen."
    )
    codes = [w["code"] for w in Pipeline(Stub([])).analyze(text).warnings]
    assert "W002" in codes
    assert "W002" not in [w["code"] for w in Pipeline(Stub([])).analyze(TEXT).warnings]


def test_claims_carry_facts_inside_them() -> None:
    pytest.importorskip("spacy", reason="spaCy is not installed")
    a = propscope.load(TINY).analyze(TEXT)  # the tiny fixture lists every sentence as a claim
    assert len(a.claims) == len(a.sentences) == 3
    money = a.claims[1]
    kinds = {(TEXT[f.start : f.end], f.kind) for f in money.facts}
    assert ("$4 million", "quantity") in kinds
    assert ("2019", "date") in kinds
    for c in a.claims:
        for f in c.facts:
            assert c.start <= f.start < f.end <= c.end
    assert a.claims[0].quoted is True
    assert a.profile["check_worthy_claims"] == 3


def test_empty_text_has_an_empty_profile() -> None:
    d = Pipeline(Stub([])).analyze("  \n").to_dict()
    assert d["spans"] == d["claims"] == d["sentences"] == []
    assert d["profile"]["words"] == 0
