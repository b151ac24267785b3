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
