"""Check-worthiness data readers and metrics (F1, AP, MAP, Platt, reliability, threshold), on
inputs built by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from propscope.corpus.checkworthy import (
    CwSentence,
    _drop_seen_documents,
    norm_text,
    read_claimbuster,
    read_clef_debates,
    read_clef_tweets,
)
from propscope.training.cw_select import (
    average_precision,
    best_threshold,
    ece,
    fit_platt,
    mean_average_precision,
    prf,
    reliability,
    sigmoid,
)


def rows(labels: list[int], group: str = "g") -> list[CwSentence]:
    return [CwSentence(f"s{i}", bool(v), "t", group, str(i)) for i, v in enumerate(labels)]


def test_prf_by_hand() -> None:
    pred = np.array([1, 1, 0, 0, 1], dtype=bool)
    gold = np.array([1, 0, 1, 0, 1], dtype=bool)
    r = prf(pred, gold)
    assert r["precision"] == pytest.approx(2 / 3)
    assert r["recall"] == pytest.approx(2 / 3)
    assert r["f1"] == pytest.approx(2 / 3)
    assert prf(np.zeros(3, bool), np.ones(3, bool)) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_average_precision_by_hand() -> None:
    # ranked: pos, neg, pos, neg -> precisions at the positives 1/1 and 2/3
    scores = np.array([0.9, 0.8, 0.7, 0.1])
    gold = np.array([1, 0, 1, 0], dtype=bool)
    assert average_precision(scores, gold) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision(scores, np.zeros(4, bool)) == 0.0
    # ties keep the input order (a stable sort)
    assert average_precision(np.array([0.5, 0.5]), np.array([0, 1], bool)) == pytest.approx(0.5)


def test_map_is_the_mean_over_documents() -> None:
    a = rows([1, 0], "a")  # scores below: positive first -> AP 1
    b = rows([0, 1], "b")  # positive second -> AP 1/2
    scores = np.array([0.9, 0.1, 0.9, 0.1])
    assert mean_average_precision(a + b, scores) == pytest.approx(0.75)


def test_platt_recovers_a_known_calibration() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, 20000)
    gold = rng.random(20000) < sigmoid(0.5 * z - 1.0)
    a, b = fit_platt(z, gold)
    assert a == pytest.approx(0.5, abs=0.05) and b == pytest.approx(-1.0, abs=0.08)


def test_reliability_bins_and_ece() -> None:
    p = np.array([0.05, 0.05, 0.95, 0.95, 1.0])
    gold = np.array([0, 0, 1, 1, 0], dtype=bool)
    table = reliability(p, gold)
    assert len(table) == 10
    assert table[0]["n"] == 2 and table[0]["observed"] == 0.0
    assert table[9]["n"] == 3  # 1.0 falls in the last bin
    assert table[9]["observed"] == pytest.approx(2 / 3)
    assert sum(b["n"] for b in table) == 5
    # |0.05 - 0| * 2 + |0.9667 - 0.6667| * 3, over 5
    assert ece(p, gold) == pytest.approx((0.1 + 3 * abs((0.95 + 0.95 + 1.0) / 3 - 2 / 3)) / 5)


def test_best_threshold_maximises_the_mean_f1_over_sets() -> None:
    probs = {"a": np.array([0.9, 0.6, 0.3]), "b": np.array([0.7, 0.4, 0.2])}
    gold = {"a": np.array([1, 1, 0], bool), "b": np.array([1, 0, 0], bool)}
    th, f = best_threshold(probs, gold, np.array([0.25, 0.5, 0.65]))
    # 0.5: a F1 1, b F1 1; 0.25: a F1 0.8, b F1 0.67; 0.65: a 0.67, b 1
    assert th == 0.5 and f == pytest.approx(1.0)


def test_readers(tmp_path: Path) -> None:
    deb = tmp_path / "debates"
    deb.mkdir()
    (deb / "d1.tsv").write_text("1\tA\tWe cut taxes.\t1\r\n2\tB\tThank you.\t0\r\n")
    got = read_clef_debates(deb, "x")
    assert [(r.text, r.label, r.group) for r in got] == [
        ("We cut taxes.", True, "d1"),
        ("Thank you.", False, "d1"),
    ]
    tw = tmp_path / "t.tsv"
    tw.write_text(
        "topic_id\ttweet_id\ttweet_url\ttweet_text\tclaim\tclaim_worthiness\n"
        "covid\t7\tu\t10 deaths today\t1\t1\ncovid\t8\tu\tstay safe\t0\t0\n"
    )
    assert [(r.text, r.label, r.id) for r in read_clef_tweets(tw, "y")] == [
        ("10 deaths today", True, "7"),
        ("stay safe", False, "8"),
    ]
    cb = tmp_path / "cb" / "data" / "two_class"
    cb.mkdir(parents=True)
    (cb / "kfold_30ncs.json").write_text(
        json.dumps(
            [
                {"sentence_id": 1, "label": 1, "text": "a"},
                {"sentence_id": 2, "label": 0, "text": "b"},
            ]
        )
    )
    assert [r.id for r in read_claimbuster(tmp_path / "cb", known_ids={"1"})] == ["2"]


def test_documents_mostly_seen_elsewhere_are_dropped() -> None:
    seen = {norm_text("We cut taxes!"), norm_text("thank you")}
    doc_a = [
        CwSentence("We cut taxes.", True, "t", "a", "1"),
        CwSentence("Thank you", False, "t", "a", "2"),
    ]
    doc_b = [
        CwSentence("New words.", True, "t", "b", "3"),
        CwSentence("More new words.", False, "t", "b", "4"),
        CwSentence("Thank you", False, "t", "b", "5"),
    ]
    # a has every sentence seen, b one in three: only b stays, whole
    kept = _drop_seen_documents(doc_a + doc_b, seen)
    assert [r.id for r in kept] == ["3", "4", "5"]


def test_sigmoid_values_and_no_overflow() -> None:
    assert sigmoid(np.array([0.0]))[0] == 0.5
    assert sigmoid(np.array([np.log(3.0)]))[0] == pytest.approx(0.75)
    with np.errstate(over="raise"):
        big = sigmoid(np.array([-1000.0, 1000.0]))
    # clipped at +-60: the extremes are sigmoid(-60) and sigmoid(60), not 0 and 1
    assert big[0] == pytest.approx(1 / (1 + np.exp(60.0)), rel=1e-9) and big[0] > 0
    assert big[1] == 1 / (1 + np.exp(-60.0))


def test_prf_without_gold_or_predictions() -> None:
    assert prf(np.array([1, 0], bool), np.array([0, 0], bool)) == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }


def test_average_precision_ties_keep_input_order_in_long_lists() -> None:
    gold = np.zeros(40, dtype=bool)
    gold[-1] = True  # the only positive comes last among 40 equal scores: rank 40
    assert average_precision(np.full(40, 0.5), gold) == pytest.approx(1 / 40)
    assert mean_average_precision([], np.array([])) == 0.0


def test_platt_fit_is_the_optimum_with_platts_targets() -> None:
    z = np.array([-2.0, -1.0, 0.5, 1.0, -0.5, 2.0, 0.0, 1.5])
    gold = np.array([0, 0, 0, 1, 0, 1, 1, 0], dtype=bool)  # 3 positives, 5 negatives
    a, b = fit_platt(z, gold)
    t = np.where(gold, (3 + 1) / (3 + 2), 1 / (5 + 2))
    p = sigmoid(a * z + b)
    assert abs(((p - t) * z).sum()) < 1e-6 and abs((p - t).sum()) < 1e-6
    assert a > 0  # higher logits, more positives


def test_reliability_bin_edges_and_empty_bins() -> None:
    p = np.array([0.1, 0.0999, 0.95, 1.0])
    gold = np.array([1, 0, 1, 1], dtype=bool)
    table = reliability(p, gold)
    assert [(b["lo"], b["hi"]) for b in table[:2]] == [(0.0, 0.1), (0.1, 0.2)]
    assert table[0]["n"] == 1 and table[1]["n"] == 1  # 0.1 opens the second bin
    assert table[5] == {
        "lo": 0.5,
        "hi": pytest.approx(0.6),
        "n": 0,
        "mean_predicted": 0.0,
        "observed": 0.0,
    }
    assert table[9]["n"] == 2
    assert ece(np.array([0.3]), np.array([True])) == pytest.approx(0.7)
    assert ece(np.array([]), np.array([], dtype=bool)) == 0.0
    # two bins: [0, 0.5) holds 0.2 and 0.4 (mean 0.3, observed 0.5), ECE = 0.2
    two = ece(np.array([0.2, 0.4]), np.array([1, 0], bool), bins=2)
    assert two == pytest.approx(0.2) and ece(np.array([0.2, 0.4]), np.array([1, 0], bool)) > 0.2


def test_default_threshold_grid_and_ties() -> None:
    probs = {"a": np.array([0.9, 0.37, 0.36])}
    gold = {"a": np.array([1, 1, 0], bool)}
    th, f = best_threshold(probs, gold)
    # every threshold in (0.36, 0.37] gives F1 1; the grid's first such is 0.37 (2 decimals)
    assert (th, f) == (0.37, 1.0)
    # a score equal to the threshold counts as predicted
    th, _ = best_threshold({"a": np.array([0.05, 0.01])}, {"a": np.array([1, 0], bool)})
    assert th == 0.05
    th, _ = best_threshold({"a": np.array([0.96, 0.2])}, {"a": np.array([1, 0], bool)})
    assert th == 0.21  # ties over 0.21..0.95 keep the first


def test_summary_per_set() -> None:
    from propscope.training.cw_select import summary

    ev = {"x": rows([1, 0, 1, 0], "d1")}
    z = np.array([2.0, 1.0, -1.0, -2.0])  # ranked: pos, neg, pos, neg
    got = summary(ev, {"x": z})["x"]
    assert got["map"] == round((1 + 2 / 3) / 2, 4)
    # logit >= 0 predicts the first two: P 1/2, R 1/2
    assert got["f1@0"] == 0.5
    # the best threshold over the score quantiles keeps the first three: P 2/3, R 1, F1 0.8
    assert got["best_f1"] == 0.8
