"""Issue #4 wiring: sentences, claims with facts, quoted speech and the profile in one analysis."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

import propscope
from propscope.decode.sentences import overlap_scores
from propscope.errors import Code, PropscopeError
from propscope.model import DocScores
from propscope.pipeline import Pipeline
from propscope.types import Analysis, ModelInfo, Records, Span

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


# --- the claims threshold (issue #13): which sentences are claims ---


class ClaimStub(Stub):
    """A model with a claims head: fixed check-worthiness scores, one per sentence in order."""

    def __init__(self, claim_scores: Sequence[float], threshold: float | None = 0.5) -> None:
        super().__init__([])
        self.claim_scores = list(claim_scores)
        self.claim_threshold = threshold  # type: ignore[assignment]

    def process(
        self, text: str, sentences: Sequence[tuple[int, int]], *, min_score: float | None = None
    ) -> DocScores:
        scores = self.claim_scores[: len(sentences)]
        return DocScores([], [0.0] * len(sentences), scores)


def _claims(a: Analysis) -> list[str]:
    return [a.text[c.start : c.end] for c in a.claims]


LINES = TEXT.splitlines()


def test_default_claims_threshold_is_the_models() -> None:
    a = Pipeline(ClaimStub([0.2, 0.5, 0.9]), facts=False).analyze(TEXT)
    assert _claims(a) == LINES[1:]
    assert a.claims_threshold == 0.5
    assert a.to_dict()["claims_threshold"] == 0.5
    assert Pipeline(ClaimStub([0.2, 0.5, 0.9], threshold=0.7)).claims_from == 0.7


def test_claims_threshold_zero_makes_every_sentence_a_claim() -> None:
    a = Pipeline(ClaimStub([0.0, 0.01, 0.3]), facts=False, claims_threshold=0).analyze(TEXT)
    assert _claims(a) == LINES
    assert len(a.claims) == len(a.sentences) == 3
    assert a.claims_threshold == 0.0 and a.to_dict()["claims_threshold"] == 0.0
    assert [c.score for c in a.claims] == [0.0, 0.01, 0.3]


def test_claims_threshold_one_keeps_only_scores_of_exactly_one() -> None:
    pipe = Pipeline(ClaimStub([0.99999, 1.0, 0.2]), facts=False, claims_threshold=1.0)
    a = pipe.analyze(TEXT)
    assert _claims(a) == [LINES[1]]
    assert a.profile["check_worthy_claims"] == 1
    none = Pipeline(ClaimStub([0.99999, 0.5, 0.2]), facts=False, claims_threshold=1.0)
    assert none.analyze(TEXT).claims == ()


def test_claims_threshold_is_rounded_in_the_json_and_kept_for_empty_text() -> None:
    pipe = Pipeline(ClaimStub([0.9]), facts=False, claims_threshold=0.123456)
    assert pipe.analyze(TEXT).to_dict()["claims_threshold"] == 0.1235
    empty = pipe.analyze("   ")
    assert empty.claims == () and empty.claims_threshold == pytest.approx(0.123456)


def test_no_claims_head_means_no_claims_and_no_threshold() -> None:
    a = Pipeline(Stub(["thugs"]), claims_threshold=0.0).analyze(TEXT)
    assert a.claims == () and a.claims_threshold is None
    assert "claims_threshold" not in a.to_dict()
    assert Pipeline(ClaimStub([0.9], threshold=None), claims_threshold=0.2).claims_from is None


@pytest.mark.parametrize("bad", [-0.01, 1.5, float("nan"), float("inf")])
def test_bad_claims_threshold_is_e030(bad: float) -> None:
    makers: list[Callable[[], object]] = [
        lambda: Pipeline(ClaimStub([0.5]), claims_threshold=bad),
        lambda: Pipeline(ClaimStub([0.5])).using(claims_threshold=bad),
        lambda: propscope.load("builtin:lexicon", claims_threshold=bad),
        # refused before the model loads: not E020 for the missing folder
        lambda: propscope.load("/nonexistent/model", claims_threshold=bad),
    ]
    for make in makers:
        with pytest.raises(PropscopeError) as info:
            make()
        assert info.value.code is Code.BAD_OPTION
        assert "claims threshold" in info.value.message


def test_using_changes_only_what_is_given() -> None:
    pipe = Pipeline(ClaimStub([0.2, 0.5, 0.9]), facts=False, min_score=0.3)
    assert pipe.using() is pipe
    more = pipe.using(claims_threshold=0.1)
    assert (more.claims_threshold, more.min_score, more.model) == (0.1, 0.3, pipe.model)
    assert len(more.analyze(TEXT).claims) == 3
    spans = more.using(min_score=0.8)
    assert (spans.claims_threshold, spans.min_score) == (0.1, 0.8)
    assert more.using(sensitivity="balanced").claims_threshold == 0.1


def test_claims_threshold_on_the_tiny_model() -> None:
    """The fixture's own threshold is 0: by default every sentence is a claim; a threshold
    between its scores keeps those at or above it."""
    pipe = propscope.load(TINY, facts=False)
    a = pipe.analyze(TEXT)
    assert a.claims_threshold == pipe.model.claim_threshold == 0.0
    assert len(a.claims) == len(a.sentences) == 3
    scores = sorted(c.score for c in a.claims)
    assert scores[0] < scores[-1]
    cut = (scores[0] + scores[-1]) / 2
    b = propscope.load(TINY, facts=False, claims_threshold=cut).analyze(TEXT)
    assert b.claims_threshold == cut
    assert sorted(c.score for c in b.claims) == [s for s in scores if s >= cut]
    assert pipe.using(claims_threshold=1.0).analyze(TEXT).claims == ()


def test_an_analysis_holds_its_records_as_columns() -> None:
    """Issue 14 (memory): spans, claims with their facts and sentences come as ``Records``,
    which read back as the records (pickled too, as the server's workers send them)."""
    pytest.importorskip("spacy", reason="spaCy is not installed")
    a = propscope.load(TINY).analyze(TEXT)
    for records in (a.spans, a.claims, a.sentences):
        assert isinstance(records, Records)
    assert sum(len(c.facts) for c in a.claims) >= 2 and a.claims[0].quoted is True
    assert a.sentences[0].quoted is True and a.sentences[2].quoted is False
    again = pickle.loads(pickle.dumps(a))
    assert again == a and again.to_dict() == a.to_dict()
    assert replace(a, claims=tuple(a.claims), spans=tuple(a.spans)) == a
