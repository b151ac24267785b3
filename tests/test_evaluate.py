from __future__ import annotations

import numpy as np
import pytest

from propscope.evaluate import ece, roc_auc, span_correct


def test_roc_auc_hand_cases() -> None:
    s = np.array([0.9, 0.8, 0.3, 0.1])
    assert roc_auc(s, np.array([True, True, False, False])) == 1.0
    assert roc_auc(s, np.array([False, False, True, True])) == 0.0
    assert roc_auc(np.array([0.5, 0.5]), np.array([True, False])) == 0.5
    # one of the two positives outranks the only negative: 1/2... plus ties none
    assert roc_auc(np.array([0.9, 0.2, 0.5]), np.array([True, True, False])) == 0.5


def test_ece_hand_case() -> None:
    conf = np.array([0.95, 0.95, 0.15, 0.15])
    right = np.array([1.0, 0.0, 0.0, 0.0])
    # bin 9: mean conf .95, accuracy .5 -> .45 * .5; bin 1: .15 vs 0 -> .15 * .5
    assert ece(conf, right) == pytest.approx(0.45 * 0.5 + 0.15 * 0.5)
    assert ece(np.array([]), np.array([])) == 0.0


def test_span_correct_needs_same_technique_and_overlap() -> None:
    gold = [(10, 20, "Doubt")]
    assert span_correct((15, 25, "Doubt"), gold)
    assert not span_correct((15, 25, "Slogans"), gold)
    assert not span_correct((20, 25, "Doubt"), gold)


# -- claims and sentence evaluation, worked out by hand ---------------------------------------


class ScoreStub:
    """A model whose claim and sentence scores are looked up by the text of the sentence."""

    from propscope.types import ModelInfo as _Info

    info = _Info("stub", "0")
    is_baseline = False

    def __init__(self, scores: dict[str, float], threshold: float | None = 0.5) -> None:
        self.scores = scores
        self.claim_threshold = threshold

    def process(self, text, sentences):  # type: ignore[no-untyped-def]
        from propscope.model import DocScores

        got = [self.scores.get(text[b:e].strip(), 0.0) for b, e in sentences]
        return DocScores([], got, got)

    def detect(self, text):  # type: ignore[no-untyped-def]
        return []

    def classify(self, text, spans):  # type: ignore[no-untyped-def]
        return [("Doubt", 1.0) for _ in spans]


def test_evaluate_claims_hand_case() -> None:
    """Threshold 0.5; scores a .9 (yes), b .5 (yes: the threshold counts), c .7 (no), d .2 (yes),
    e .1 (no). Predicted: a, b, c. TP = a, b (2); FP = c (1); FN = d (1).
    P = 2/3, R = 2/3, F1 = 2/3."""
    from propscope.corpus.ct24 import LabelledSentence
    from propscope.evaluate import evaluate_claims

    scores = {"a": 0.9, "b": 0.5, "c": 0.7, "d": 0.2, "e": 0.1}
    labels = {"a": True, "b": True, "c": False, "d": True, "e": False}
    rows = [LabelledSentence(k, k, labels[k]) for k in scores]
    r = evaluate_claims(ScoreStub(scores), rows)
    assert (r["sentences"], r["positives"], r["threshold"]) == (5, 3, 0.5)
    assert r["precision"] == pytest.approx(2 / 3)
    assert r["recall"] == pytest.approx(2 / 3)
    assert r["f1"] == pytest.approx(2 / 3)
    # threshold 0.8: only a is predicted: P = 1, R = 1/3, F1 = 2 * 1/3 / (4/3) = 1/2
    r = evaluate_claims(ScoreStub(scores, 0.8), rows)
    assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((1.0, 1 / 3, 0.5))
    # threshold 0.95: nothing predicted: P = R = F1 = 0
    r = evaluate_claims(ScoreStub(scores, 0.95), rows)
    assert (r["precision"], r["recall"], r["f1"]) == (0.0, 0.0, 0.0)


def test_evaluate_claims_needs_a_claims_head() -> None:
    from propscope.corpus.ct24 import LabelledSentence
    from propscope.errors import PropscopeError
    from propscope.evaluate import evaluate_claims

    with pytest.raises(PropscopeError) as info:
        evaluate_claims(ScoreStub({}, None), [LabelledSentence("x", "x", True)])
    assert info.value.code.value == "E020"


def test_evaluate_sentences_hand_case() -> None:
    """Two articles, four sentences. Gold: a sentence is positive when a gold span overlaps it.
    Article 1 "One. Two." with gold on "Two"; article 2 "Three. Four." with gold on "Three".
    Scores: One .6, Two .8, Three .4, Four .2. At threshold .5: predicted One, Two; positives
    Two, Three. TP 1, P 1/2, R 1/2, F1 1/2. ROC AUC: positives (.8, .4) against negatives
    (.6, .2): .8 beats both, .4 beats .2 only: 3 of 4 pairs = 0.75."""
    from propscope.corpus.ptc import Document, GoldSpan
    from propscope.evaluate import evaluate_sentences

    docs = [
        Document("1", "One. Two.", "", [GoldSpan(5, 8, "Doubt")]),
        Document("2", "Three. Four.", "", [GoldSpan(0, 5, "Doubt")]),
    ]
    stub = ScoreStub({"One.": 0.6, "Two.": 0.8, "Three.": 0.4, "Four.": 0.2})
    r = evaluate_sentences(stub, docs)
    assert (r["sentences"], r["positives"]) == (4, 2)
    assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((0.5, 0.5, 0.5))
    assert r["roc_auc"] == pytest.approx(0.75)
    r = evaluate_sentences(stub, docs, threshold=0.4)  # One, Two, Three: TP 2, P 2/3, R 1
    assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((2 / 3, 1.0, 0.8))
