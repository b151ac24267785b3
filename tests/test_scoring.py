"""The SemEval-2020 Task 11 metrics, checked on cases computed by hand.

SI:   P = 1/|S| sum_s sum_t |s&t|/|s|,   R = 1/|T| sum_s sum_t |s&t|/|t|   (pairs within an article)
TC:   micro-F1 = accuracy over gold spans, predictions paired to maximise matches.
Full: the SI formula per technique, pooled.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.errors import Code, PropscopeError
from propscope.scoring import PRF, f1_of, full_score, merge_intervals, si_score, tc_score

approx = pytest.approx

# ---------------------------------------------------------------- helpers


def test_f1_of() -> None:
    assert f1_of(0.5, 0.5) == 0.5
    assert f1_of(1.0, 0.5) == approx(2 / 3)
    assert f1_of(0.0, 1.0) == 0.0
    assert f1_of(1.0, 0.0) == 0.0


def test_prf_to_dict() -> None:
    assert PRF(0.25, 0.5, 1 / 3).to_dict() == {"precision": 0.25, "recall": 0.5, "f1": 1 / 3}


@pytest.mark.parametrize(
    ("spans", "merged"),
    [
        ([], []),
        ([(0, 10), (5, 15)], [(0, 15)]),  # overlap
        ([(5, 15), (0, 10)], [(0, 15)]),  # unsorted input
        ([(0, 20), (5, 10)], [(0, 20)]),  # contained
        ([(0, 5), (5, 10)], [(0, 5), (5, 10)]),  # touching spans share no character
        ([(0, 5), (0, 5)], [(0, 5)]),  # duplicate
        ([(0, 4), (3, 6), (5, 9), (20, 22)], [(0, 9), (20, 22)]),  # chain
    ],
)
def test_merge_intervals(spans: list[tuple[int, int]], merged: list[tuple[int, int]]) -> None:
    assert merge_intervals(spans) == merged


# ---------------------------------------------------------------- SI


def test_si_partial_overlap() -> None:
    # |s & t| = 5, |s| = |t| = 10
    r = si_score({"a": [(5, 15)]}, {"a": [(0, 10)]})
    assert (r.precision, r.recall, r.f1) == (0.5, 0.5, 0.5)


def test_si_one_prediction_over_two_gold_spans() -> None:
    # P = (4/10 + 4/10) / 1 = 0.8;  R = (4/4 + 4/4) / 2 = 1.0;  F1 = 1.6/1.8
    r = si_score({"a": [(0, 10)]}, {"a": [(0, 4), (6, 10)]})
    assert r.precision == approx(0.8)
    assert r.recall == approx(1.0)
    assert r.f1 == approx(16 / 18)


def test_si_overlapping_gold_spans_are_merged() -> None:
    # gold [0,10) + [5,15) -> [0,15): one gold span, fully covered
    r = si_score({"a": [(0, 15)]}, {"a": [(0, 10), (5, 15)]})
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)


def test_si_overlapping_predictions_are_merged() -> None:
    # Unmerged, R would be (10/15 + 10/15) / 1 = 4/3 > 1.
    r = si_score({"a": [(0, 10), (5, 15)]}, {"a": [(0, 15)]})
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)


def test_si_touching_predictions_stay_two_spans() -> None:
    # S = {[0,5), [5,10)}, T = {[0,10)}: P = (5/5 + 5/5)/2 = 1;  R = (5/10 + 5/10)/1 = 1
    r = si_score({"a": [(0, 5), (5, 10)]}, {"a": [(0, 10)]})
    assert (r.precision, r.recall) == (1.0, 1.0)
    # the same with gold split and one prediction: P = (5/10 + 5/10)/1, R = (5/5 + 5/5)/2
    r = si_score({"a": [(0, 10)]}, {"a": [(0, 5), (5, 10)]})
    assert (r.precision, r.recall) == (1.0, 1.0)


def test_si_pairs_count_only_within_one_article() -> None:
    r = si_score({"a": [(0, 10)]}, {"b": [(0, 10)]})
    assert (r.precision, r.recall, r.f1) == (0.0, 0.0, 0.0)


def test_si_recall_counts_gold_of_articles_without_predictions() -> None:
    # |T| = 2 (one in a, one in b); only a is predicted
    r = si_score({"a": [(0, 10)]}, {"a": [(0, 10)], "b": [(3, 7)]})
    assert r.precision == 1.0
    assert r.recall == 0.5
    assert r.f1 == approx(2 / 3)


def test_si_precision_counts_predictions_in_articles_without_gold() -> None:
    # |S| = 2, one of them in an article with no gold
    r = si_score({"a": [(0, 10)], "b": [(0, 4)]}, {"a": [(0, 10)], "b": []})
    assert r.precision == 0.5
    assert r.recall == 1.0


def test_si_empty_against_empty_is_one() -> None:
    assert si_score({}, {}) == PRF(1.0, 1.0, 1.0)
    assert si_score({"a": []}, {"a": [], "b": []}) == PRF(1.0, 1.0, 1.0)


def test_si_nothing_predicted_or_nothing_gold_is_zero() -> None:
    assert si_score({"a": []}, {"a": [(0, 3)]}) == PRF(0.0, 0.0, 0.0)
    assert si_score({"a": [(0, 3)]}, {"a": []}) == PRF(0.0, 0.0, 0.0)


def test_si_mixed_articles_by_hand() -> None:
    gold = {"a": [(10, 20), (30, 40)], "b": [(0, 8)]}
    pred = {"a": [(15, 35)], "b": [(0, 4), (6, 12)]}
    # a: s=[15,35) len 20 meets [10,20) on 5 and [30,40) on 5
    # b: s=[0,4) meets [0,8) on 4; s=[6,12) len 6 meets [0,8) on 2
    p = (5 / 20 + 5 / 20 + 4 / 4 + 2 / 6) / 3
    r = (5 / 10 + 5 / 10 + 4 / 8 + 2 / 8) / 3
    res = si_score(pred, gold)
    assert res.precision == approx(p)
    assert res.recall == approx(r)
    assert res.f1 == approx(2 * p * r / (p + r))


# ---------------------------------------------------------------- TC


def test_tc_all_correct_and_one_wrong() -> None:
    gold = {"a": [(0, 5, "Doubt"), (6, 9, "Slogans")], "b": [(1, 4, "Repetition")]}
    assert tc_score(gold, gold).micro_f1 == 1.0
    pred = {"a": [(0, 5, "Doubt"), (6, 9, "Doubt")], "b": [(1, 4, "Repetition")]}
    r = tc_score(pred, gold)
    assert (r.correct, r.total) == (2, 3)
    assert r.micro_f1 == approx(2 / 3)
    assert sorted(r.pairs) == [
        ("Doubt", "Doubt"),
        ("Repetition", "Repetition"),
        ("Slogans", "Doubt"),
    ]
    # Doubt: predicted twice, right once; gold once
    assert r.per_technique["Doubt"] == PRF(0.5, 1.0, approx(2 / 3))
    assert r.per_technique["Slogans"] == PRF(0.0, 0.0, 0.0)
    assert r.per_technique["Repetition"] == PRF(1.0, 1.0, 1.0)


def test_tc_multi_label_span_in_the_other_order_is_all_correct() -> None:
    gold = {"a": [(0, 5, "Loaded_Language"), (0, 5, "Name_Calling,Labeling")]}
    pred = {"a": [(0, 5, "Name_Calling,Labeling"), (0, 5, "Loaded_Language")]}
    r = tc_score(pred, gold)
    assert (r.correct, r.total, r.micro_f1) == (2, 2, 1.0)


def test_tc_multi_label_span_pairs_to_maximise_matches() -> None:
    gold = {"a": [(0, 5, "Loaded_Language"), (0, 5, "Name_Calling,Labeling")]}
    pred = {"a": [(0, 5, "Loaded_Language"), (0, 5, "Loaded_Language")]}
    r = tc_score(pred, gold)
    assert (r.correct, r.total) == (1, 2)
    assert sorted(r.pairs) == [
        ("Loaded_Language", "Loaded_Language"),
        ("Name_Calling,Labeling", "Loaded_Language"),
    ]


@pytest.mark.parametrize(
    "pred",
    [
        {"a": [(0, 5, "Doubt")]},  # one prediction missing
        {"a": [(0, 5, "Doubt"), (6, 9, "Doubt"), (6, 9, "Doubt")]},  # one too many
        {"a": [(0, 5, "Doubt"), (6, 10, "Doubt")]},  # offsets differ
        {"a": [(0, 5, "Doubt"), (6, 9, "Doubt")], "b": [(0, 1, "Doubt")]},  # unknown article
    ],
)
def test_tc_predictions_not_matching_gold_raise_e014(pred: dict) -> None:
    gold = {"a": [(0, 5, "Doubt"), (6, 9, "Slogans")]}
    with pytest.raises(PropscopeError) as info:
        tc_score(pred, gold)
    assert info.value.code is Code.TEMPLATE_MISMATCH
    assert info.value.render().startswith("E014: article ")


def test_tc_empty_is_one() -> None:
    r = tc_score({}, {})
    assert (r.micro_f1, r.correct, r.total, r.pairs) == (1.0, 0, 0, [])


# ---------------------------------------------------------------- full task


def test_full_counts_overlap_only_where_techniques_agree() -> None:
    gold = {"a": [(0, 10, "Loaded_Language")]}
    assert full_score({"a": [(0, 10, "Doubt")]}, gold)[0] == PRF(0.0, 0.0, 0.0)
    assert full_score({"a": [(0, 10, "Loaded_Language")]}, gold)[0] == PRF(1.0, 1.0, 1.0)


def test_full_by_hand_against_si() -> None:
    gold = {"a": [(0, 10, "Loaded_Language"), (20, 30, "Doubt")]}
    pred = {"a": [(0, 10, "Loaded_Language"), (20, 30, "Loaded_Language")]}
    # SI alone is perfect
    si = si_score({"a": [(0, 10), (20, 30)]}, {"a": [(0, 10), (20, 30)]})
    assert si == PRF(1.0, 1.0, 1.0)
    # LL: S = 2 spans, one right (p_sum 1, r_sum 1), T = 1.  Doubt: S = 0, T = 1.
    # pooled P = 1/2, R = 1/2
    total, per = full_score(pred, gold)
    assert total == PRF(0.5, 0.5, 0.5)
    assert per["Loaded_Language"] == PRF(0.5, 1.0, approx(2 / 3))
    assert per["Doubt"] == PRF(0.0, 0.0, 0.0)
    assert set(per) == {"Loaded_Language", "Doubt"}  # techniques with no spans are left out


def test_full_merges_within_a_technique_not_across() -> None:
    # LL [0,10) + LL [5,15) merge into [0,15); Doubt [0,15) stays its own span.
    gold = {"a": [(0, 15, "Loaded_Language"), (0, 15, "Doubt")]}
    pred = {"a": [(0, 10, "Loaded_Language"), (5, 15, "Loaded_Language"), (0, 15, "Doubt")]}
    total, per = full_score(pred, gold)
    assert total == PRF(1.0, 1.0, 1.0)
    assert per["Loaded_Language"] == PRF(1.0, 1.0, 1.0)


def test_full_partial_overlap_by_hand() -> None:
    gold = {"a": [(0, 10, "Slogans")], "b": [(0, 4, "Doubt")]}
    pred = {"a": [(5, 15, "Slogans")], "b": [(0, 4, "Slogans")]}
    # Slogans: S = {a[5,15), b[0,4)}: p_sum = 5/10 + 0, r_sum = 5/10;  T = 1
    # Doubt:   S = {},                                            T = 1
    # pooled: P = 0.5/2, R = 0.5/2
    total, per = full_score(pred, gold)
    assert total.precision == approx(0.25)
    assert total.recall == approx(0.25)
    assert per["Slogans"] == PRF(0.25, 0.5, approx(1 / 3))


def test_full_empty_against_empty_is_one() -> None:
    total, per = full_score({}, {"a": []})
    assert total == PRF(1.0, 1.0, 1.0)
    assert per == {}


# ---------------------------------------------------------------- gold against itself

GOLD = {
    "1": [
        (20, 24, "Loaded_Language"),
        (25, 30, "Name_Calling,Labeling"),
        (25, 30, "Loaded_Language"),
        (22, 40, "Doubt"),  # overlaps spans of other techniques
    ],
    "2": [(12, 23, "Flag-Waving"), (15, 30, "Flag-Waving")],  # overlapping, same technique
    "3": [],
}


def test_gold_against_itself_is_one_for_si_tc_and_full() -> None:
    si_gold = {a: [(s, e) for s, e, _t in v] for a, v in GOLD.items()}
    assert si_score(si_gold, si_gold) == PRF(1.0, 1.0, 1.0)
    tc = tc_score(GOLD, GOLD)
    assert (tc.micro_f1, tc.correct, tc.total) == (1.0, 6, 6)
    total, per = full_score(GOLD, GOLD)
    assert total == PRF(1.0, 1.0, 1.0)
    assert all(v == PRF(1.0, 1.0, 1.0) for v in per.values())


intervals = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=8,
)
docs = st.dictionaries(st.sampled_from(["a", "b", "c"]), intervals, max_size=3)


@settings(max_examples=150, database=None, deadline=None)
@given(gold=docs, pred=docs)
def test_si_properties(gold: dict, pred: dict) -> None:
    r = si_score(pred, gold)
    assert 0.0 <= r.precision <= 1.0 + 1e-9
    assert 0.0 <= r.recall <= 1.0 + 1e-9
    assert si_score(gold, gold).f1 == approx(1.0)
    merged = merge_intervals([iv for v in gold.values() for iv in v])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(merged))
