from __future__ import annotations

import numpy as np
import pytest

from propscope.evaluate import ece, roc_auc, span_correct
from propscope.types import ModelInfo


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

    info = ModelInfo("stub", "0")
    is_baseline = False

    def __init__(self, scores: dict[str, float], threshold: float | None = 0.5) -> None:
        self.scores = scores
        self.claim_threshold = threshold

    def process(self, text, sentences):  # type: ignore[no-untyped-def]
        from propscope.model import DocScores

        got = [self.scores.get(text[b:e].strip(), 0.0) for b, e in sentences]
        return DocScores([], got, got)

    def claim_scores(self, sentences):  # type: ignore[no-untyped-def]
        return [self.scores.get(t.strip(), 0.0) for t in sentences]

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


class SpanStub:
    """Fixed spans for the tiny PTC folder of conftest.py; every TC answer Loaded_Language."""

    info = ModelInfo("span-stub", "7")
    is_baseline = False
    claim_threshold = None
    operating_points: dict[str, float] = {}  # noqa: RUF012

    def detect(self, text):  # type: ignore[no-untyped-def]
        from propscope.types import Span

        if text.startswith("Title one"):
            return [Span(20, 30, "Loaded_Language", 0.8)]  # "evil thugs"
        if "Our country" in text:
            return [Span(12, 15, "Flag-Waving", 0.6)]  # "Our"
        return []

    def process(self, text, sentences, *, min_score=None):  # type: ignore[no-untyped-def]
        from propscope.model import DocScores

        spans = [s for s in self.detect(text) if min_score is None or s.score >= min_score]
        return DocScores(spans, [0.0] * len(sentences), None)

    def classify(self, text, spans):  # type: ignore[no-untyped-def]
        return [("Loaded_Language", 0.5) for _ in spans]


def test_evaluate_docs_hand_case(ptc) -> None:  # type: ignore[no-untyped-def]
    """Gold (conftest): article1 evil 20-24 LL, thugs 25-30 NC and LL; article2 "Our country"
    12-23 FW. Predicted: 20-30 LL (0.8), 12-15 FW (0.6).

    SI: 20-30 covers 4/10 of "evil" and 5/10 of "thugs" (precision sum .9, recall sum 2);
    12-15 covers 3/3 of itself and 3/11 of 12-23. P = 1.9/2 = .95, R = (2 + 3/11)/3.
    TC (every answer LL): evil right; thugs NC+LL against LL+LL: one right; FW wrong: 2 of 4.
    Full task: LL pred sums .9 / 2 (gold LL: 2 spans), FW 1 / (3/11), NC gold 1 unmatched:
    P = 1.9/2, R = (2 + 3/11)/4. Both predictions overlap a gold span of their technique:
    ECE = .5 * |.8 - 1| + .5 * |.6 - 1| = .3."""
    from propscope.corpus.ptc import read_split
    from propscope.evaluate import evaluate_docs

    r = evaluate_docs(SpanStub(), read_split(ptc.root, "dev"))
    assert r["model"] == {"name": "span-stub", "version": "7"}
    assert (r["articles"], r["gold_spans"], r["predicted_spans"]) == (4, 4, 2)
    p, rec = 0.95, (2 + 3 / 11) / 3
    assert r["si"] == pytest.approx({"precision": p, "recall": rec, "f1": 2 * p * rec / (p + rec)})
    assert r["tc"] == {"micro_f1": 0.5, "correct": 2, "total": 4}
    p, rec = 0.95, (2 + 3 / 11) / 4
    assert r["full"] == pytest.approx(
        {"precision": p, "recall": rec, "f1": 2 * p * rec / (p + rec)}
    )
    per = r["per_technique"]
    assert len(per) == 14
    assert per["Loaded_Language"] == pytest.approx(
        {
            "support": 2,
            "tc_precision": 0.5,  # 4 answers LL, 2 right
            "tc_recall": 1.0,
            "tc_f1": 2 / 3,
            "full_precision": 0.9,
            "full_recall": 1.0,
            "full_f1": 2 * 0.9 / 1.9,
        }
    )
    assert per["Flag-Waving"] == pytest.approx(
        {
            "support": 1,
            "tc_precision": 0.0,
            "tc_recall": 0.0,
            "tc_f1": 0.0,
            "full_precision": 1.0,
            "full_recall": 3 / 11,
            "full_f1": 2 * (3 / 11) / (1 + 3 / 11),
        }
    )
    assert per["Name_Calling,Labeling"]["support"] == 1
    assert per["Name_Calling,Labeling"]["full_recall"] == 0.0
    assert per["Doubt"] == dict.fromkeys(per["Doubt"], 0)
    # both spans overlap a gold span (scores .8 and .6: ECE |.8 - 1| / 2 + |.6 - 1| / 2 = .3);
    # both have a gold span of their technique (technique scores 1.0: ECE 0)
    span, tech = r["calibration"]["span"], r["calibration"]["technique"]
    assert (span["n"], span["ece"], span["mean_predicted"], span["observed"]) == pytest.approx(
        (2, 0.3, 0.7, 1.0)
    )
    assert [(row["bin"], row["n"]) for row in span["table"] if row["n"]] == [
        ("0.6-0.7", 1),
        ("0.8-0.9", 1),
    ]
    assert (tech["n"], tech["ece"], tech["observed"]) == (2, 0.0, 1.0)
    assert r["operating_points"] == {}  # the stub has none
    # the Flag-Waving gold span (11 characters, not over 20 words) is no long span
    assert r["long_spans"]["gold_spans"] == 0


def test_coverage_hand_case() -> None:
    """Gold spans of 25 words (100 characters) and 2 words; a prediction covers 40 characters
    of the long one: long spans 1, touched 1.0, covered 0.4; all spans 40 / 105."""
    from propscope.corpus.ptc import Document, GoldSpan
    from propscope.evaluate import coverage

    text = "abc " * 25 + "x yz"
    doc = Document(
        "a1",
        text,
        "p",
        spans=[GoldSpan(0, 100, "Doubt"), GoldSpan(100, 104, "Slogans")],
    )
    long = coverage([doc], {"a1": [(60, 100), (60, 80)]}, min_words=20)
    assert (long["gold_spans"], long["touched"], long["chars_covered"]) == (1, 1.0, 0.4)
    assert long["per_technique"] == {"Doubt": {"gold_spans": 1, "chars_covered": 0.4}}
    every = coverage([doc], {"a1": [(60, 100)]})
    assert every["gold_spans"] == 2 and every["touched"] == 0.5
    assert every["chars_covered"] == pytest.approx(40 / 104)
    assert coverage([doc], {})["chars_covered"] == 0.0


def test_roc_auc_counts_ties_as_half() -> None:
    """Positive .5 against negatives .5 (tie: 1/2) and .2 (win): (1/2 + 1) / 2 = .75."""
    assert roc_auc(np.array([0.5, 0.5, 0.2]), np.array([True, False, False])) == 0.75
    assert roc_auc(np.array([0.3, 0.3]), np.array([True, True])) == 0.0  # no negatives


def test_ece_bin_edges() -> None:
    """Confidence 1.0 falls in the last bin, 0.1 in the second: |1 - 0| / 2 + |.1 - 1| / 2."""
    assert ece(np.array([1.0, 0.1]), np.array([0.0, 1.0])) == pytest.approx(0.5 + 0.45)
