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
from propscope.training.train import train_folds
from propscope.training.tune import (
    cache_folds,
    cache_scores,
    calibration_data,
    candidates,
    choose_points,
    f_beta,
    fit_temperature,
    score_config,
    tc_accuracy,
    tune,
)

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny-model"
CONFIGS = [
    DecoderConfig(threshold=0.3),
    DecoderConfig(threshold=0.35, begin_threshold=0.6, max_gap=2, second_label=0.08),
    DecoderConfig(
        threshold=0.4,
        second_label=0.09,
        temperature=2.0,
        span_a=0.5,
        span_b=0.3,
        span_c=-0.2,
        min_score=0.55,
        extend={"Whataboutism,Straw_Men,Red_Herring": "clause", "Slogans": "sentence"},
    ),
]


@pytest.mark.parametrize("cfg", CONFIGS)
def test_score_config_equals_evaluate(ptc, cfg: DecoderConfig) -> None:  # type: ignore[no-untyped-def]
    docs = read_split(ptc.root, "dev")
    model = DetectorModel.load(TINY)
    cache = cache_scores(model, docs)
    model.cfg = cfg
    ev = evaluate_docs(model, docs)
    got = score_config(cache, cfg)
    assert ev["predicted_spans"] > 0
    assert got["si_f1"] == pytest.approx(ev["si"]["f1"], abs=1e-12)
    assert got["si_p"] == pytest.approx(ev["si"]["precision"], abs=1e-12)
    assert got["si_r"] == pytest.approx(ev["si"]["recall"], abs=1e-12)
    assert got["full_f1"] == pytest.approx(ev["full"]["f1"], abs=1e-12)
    if not cfg.extend and not cfg.min_score:
        # without the span classifier (the threshold sweep) the SI scores are the same
        assert score_config(cache, cfg, with_full=False)["si_f1"] == got["si_f1"]
    assert tc_accuracy(cache) == pytest.approx(ev["tc"]["micro_f1"], abs=1e-12)


def test_calibration_data_are_the_runtime_scores(ptc) -> None:  # type: ignore[no-untyped-def]
    docs = read_split(ptc.root, "dev")
    model = DetectorModel.load(TINY)
    model.cfg = CONFIGS[2]
    cache = cache_scores(model, docs)
    cands = candidates(cache, model.cfg)
    runtime = [s for d in docs for s in model.detect(d.text)]
    p_span, y_span, p_tech, y_tech = calibration_data(cache, cands, model.cfg)
    assert p_span.tolist() == pytest.approx([s.score for s in runtime], abs=1e-12)
    assert len(y_span) == len(runtime) and len(p_tech) == len(y_tech) == int(y_span.sum())


def test_tune_reports_what_its_decoder_scores(ptc) -> None:  # type: ignore[no-untyped-def]
    docs = read_split(ptc.root, "dev")
    model = DetectorModel.load(TINY)
    cfg, report = tune(model, docs, log=lambda _m: None)
    model.cfg = cfg
    model.operating_points = {k: v["min_score"] for k, v in report["operating_points"].items()}
    ev = evaluate_docs(model, docs)
    assert report["si_f1"] == pytest.approx(ev["si"]["f1"])
    assert report["full_f1"] == pytest.approx(ev["full"]["f1"])
    assert report["tc_micro_f1"] == pytest.approx(ev["tc"]["micro_f1"])
    assert report["span_ece"] >= 0 and 0.5 <= cfg.temperature <= 3.0
    points = report["operating_points"]
    assert points["precise"]["min_score"] >= cfg.min_score >= points["sensitive"]["min_score"]
    assert cfg.min_score == points["balanced"]["min_score"]


def test_out_of_fold_cache_keeps_the_model_of_each_document(ptc) -> None:  # type: ignore[no-untyped-def]
    docs = read_split(ptc.root, "dev")
    a, b = DetectorModel.load(TINY), DetectorModel.load(TINY)
    cache = cache_folds([(a, docs[:1]), (b, docs[1:])])
    assert [c.model for c in cache] == [a] + [b] * (len(docs) - 1)
    assert [c.doc.id for c in cache] == [d.id for d in docs]


def test_train_folds_split_every_article_once() -> None:
    from propscope.corpus.ptc import Document

    docs = [Document(str(i), "x", "p") for i in (5, 3, 9, 1, 7, 2, 8)]
    held = [train_folds(docs, 3, k)[1] for k in range(3)]
    assert [[d.id for d in h] for h in held] == [["1", "5", "9"], ["2", "7"], ["3", "8"]]
    for k in range(3):
        rest, h = train_folds(docs, 3, k)
        assert {d.id for d in rest} | {d.id for d in h} == {d.id for d in docs}
        assert not {d.id for d in rest} & {d.id for d in h}
    with pytest.raises(ValueError):
        train_folds(docs, 3, 3)


def test_choose_points_hand_case() -> None:
    curve = [
        {"min_score": 0.0, "si_p": 0.30, "si_r": 0.80, "si_f1": 0.436},
        {"min_score": 0.1, "si_p": 0.40, "si_r": 0.72, "si_f1": 0.514},
        {"min_score": 0.2, "si_p": 0.50, "si_r": 0.60, "si_f1": 0.545},
        {"min_score": 0.3, "si_p": 0.61, "si_r": 0.40, "si_f1": 0.483},
        {"min_score": 0.4, "si_p": 0.70, "si_r": 0.20, "si_f1": 0.311},
    ]
    # F0.5 = 1.25 P R / (0.25 P + R): .3 -> .552 (best; .2 -> .517, .4 -> .467)
    # F2 = 5 P R / (4 P + R): .0 -> .600, .1 -> .621 (best), .2 -> .577
    got = {k: v["min_score"] for k, v in choose_points(curve).items()}
    assert got == {"precise": 0.3, "balanced": 0.2, "sensitive": 0.1}
    assert f_beta(0.5, 0.5, 2.0) == pytest.approx(0.5)
    assert f_beta(0.61, 0.40, 0.5) == pytest.approx(1.25 * 0.61 * 0.4 / (0.25 * 0.61 + 0.4))
    assert f_beta(0.0, 0.5, 1.0) == 0.0


def test_fit_temperature_hand_case() -> None:
    """Logits (2, 0) with the first class right 3 times in 4: the NLL-optimal temperature makes
    p(first) = 3/4, i.e. 2 / T = log 3, T = 2 / log 3 = 1.82 (rounded to the 0.05 grid)."""
    import numpy as np

    logits = np.array([[2.0, 0.0]] * 4)
    gold = np.array([0, 0, 0, 1])
    assert fit_temperature(logits, gold) == 1.8
    assert replace(DecoderConfig(), temperature=1.8).temperature == 1.8


def test_confidence_matching_hand_case() -> None:
    """Logits (2, 0): the top probability is 1 / (1 + e^(-2/T)); T = 2 gives 0.731; matching
    0.731 finds T = 2, and a sharper copy (4, 0) needs T = 4 for the same mean."""
    import numpy as np

    from propscope.training.folds import match_temperature, mean_top_probability

    logits = np.array([[2.0, 0.0]] * 3)
    want = 1 / (1 + np.exp(-1.0))
    assert mean_top_probability(logits, 2.0) == pytest.approx(want)
    assert match_temperature(logits, want) == 2.0
    assert match_temperature(2 * logits, want) == 4.0
    assert mean_top_probability(np.zeros((0, 2)), 1.0) == 0.0


def test_run_logits_are_the_span_classifier_on_decoded_runs() -> None:
    import numpy as np

    from propscope.training.folds import run_logits

    model = DetectorModel.load(TINY)
    texts = ["They are evil thugs.\nOur nation is great.", "Nothing here at all."]
    got = run_logits(model, texts, model.cfg)
    want = [
        row
        for text in texts
        for sc in model.scorer.score_text(text)
        for row in model.technique_logits(
            sc, text, [(c.start, c.end) for c in model.candidates(sc, text, model.cfg)]
        )
    ]
    assert got.shape == (len(want), len(model.labels)) and len(want) > 0
    np.testing.assert_allclose(got, np.stack(want), rtol=1e-6)
