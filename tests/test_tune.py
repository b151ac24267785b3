"""Tuning sweeps exactly the shipped decoder: its scores for a decoder configuration equal what
``evaluate`` measures with that configuration, and its confidences are the runtime's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from propscope.corpus.ptc import read_split
from propscope.decode.spans import DecoderConfig
from propscope.detector import DetectorModel
from propscope.evaluate import evaluate_docs
from propscope.training.tune import (
    cache_scores,
    candidates,
    confidences,
    correctness,
    fit_temperature,
    score_config,
    tc_accuracy,
    tune,
)

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny-model"
CONFIGS = [
    DecoderConfig(threshold=0.3),
    DecoderConfig(threshold=0.35, begin_threshold=0.6, max_gap=2, second_label=0.08),
    DecoderConfig(threshold=0.4, second_label=0.09, temperature=2.0, calib_a=0.5, calib_b=1.0),
]


@pytest.mark.parametrize("cfg", CONFIGS)
def test_score_config_equals_evaluate(ptc, cfg: DecoderConfig) -> None:  # type: ignore[no-untyped-def]
    docs = read_split(ptc.root, "dev")
    model = DetectorModel.load(TINY)
    cache = cache_scores(model, docs)
    model.cfg = cfg
    ev = evaluate_docs(model, docs)
    got = score_config(model, cache, cfg)
    assert ev["predicted_spans"] > 0
    assert got["si_f1"] == pytest.approx(ev["si"]["f1"], abs=1e-12)
    assert got["si_p"] == pytest.approx(ev["si"]["precision"], abs=1e-12)
    assert got["si_r"] == pytest.approx(ev["si"]["recall"], abs=1e-12)
    assert got["full_f1"] == pytest.approx(ev["full"]["f1"], abs=1e-12)
    # without the span classifier (the threshold sweep) the SI scores are the same
    assert score_config(model, cache, cfg, with_full=False)["si_f1"] == got["si_f1"]
    assert tc_accuracy(model, cache) == pytest.approx(ev["tc"]["micro_f1"], abs=1e-12)


def test_confidences_are_the_runtime_span_scores(ptc) -> None:  # type: ignore[no-untyped-def]
    docs = read_split(ptc.root, "dev")
    model = DetectorModel.load(TINY)
    model.cfg = CONFIGS[2]
    cache = cache_scores(model, docs)
    cands = candidates(model, cache, model.cfg)
    runtime = [s.score for d in docs for s in model.detect(d.text)]
    assert confidences(cands, cache, model.cfg).tolist() == pytest.approx(runtime, abs=1e-12)
    a, b, y = correctness(cands, cache)
    assert len(a) == len(b) == len(y) == len(runtime)


def test_tune_reports_what_its_decoder_scores(ptc) -> None:  # type: ignore[no-untyped-def]
    docs = read_split(ptc.root, "dev")
    model = DetectorModel.load(TINY)
    cfg, report = tune(model, docs, log=lambda _m: None)
    model.cfg = cfg
    ev = evaluate_docs(model, docs)
    assert report["si_f1"] == pytest.approx(ev["si"]["f1"])
    assert report["full_f1"] == pytest.approx(ev["full"]["f1"])
    assert report["tc_micro_f1"] == pytest.approx(ev["tc"]["micro_f1"])
    assert 0.5 <= cfg.temperature <= 3.0


def test_fit_temperature_hand_case() -> None:
    """Logits (2, 0) with the first class right 3 times in 4: the NLL-optimal temperature makes
    p(first) = 3/4, i.e. 2 / T = log 3, T = 2 / log 3 = 1.82 (rounded to the 0.05 grid)."""
    import numpy as np

    logits = np.array([[2.0, 0.0]] * 4)
    gold = np.array([0, 0, 0, 1])
    assert fit_temperature(logits, gold) == 1.8
    assert replace(DecoderConfig(), temperature=1.8).temperature == 1.8
