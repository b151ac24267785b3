"""A tiny, randomly initialised detector: for fast tests of the runtime and the export path.

python -m propscope.training.fixture tests/fixtures/tiny-model
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from propscope.techniques import LABELS
from propscope.training.base import minilm_path
from propscope.training.export import export_onnx, write_folder
from propscope.training.model import Detector


def tiny_detector(seed: int = 0) -> Detector:
    from transformers import BertConfig, BertModel

    torch.manual_seed(seed)
    cfg = BertConfig(
        vocab_size=30522,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=512,
    )
    det = Detector(BertModel(cfg, add_pooling_layer=False), len(LABELS), hidden=16)
    det.eval()
    return det


TINY_META = {
    "name": "propscope-tiny-fixture",
    "version": "0",
    "window": 32,
    "stride": 24,
    "batch_size": 4,
    "decoder": {"threshold": 0.3},
    "claims": {"threshold": 0.0},  # every sentence is a claim: exercises the facts path
}


def build(out: Path, seed: int = 0) -> Detector:
    det = tiny_detector(seed)
    with tempfile.TemporaryDirectory() as tmp:
        onnx = Path(tmp) / "model.onnx"
        export_onnx(det, onnx)
        rng = np.random.default_rng(seed)
        h = det.encoder.config.hidden_size
        np.savez(
            Path(tmp) / "claims_head.npz",
            w1=rng.normal(0, 0.1, (2 * h, 8)).astype(np.float32),
            b1=np.zeros(8, np.float32),
            w2=rng.normal(0, 0.1, (8, 1)).astype(np.float32),
            b2=np.zeros(1, np.float32),
        )
        write_folder(
            det,
            minilm_path() / "tokenizer.json",
            out,
            TINY_META,
            onnx,
            extra=[Path(tmp) / "claims_head.npz"],
        )
    return det


if __name__ == "__main__":
    build(Path(sys.argv[1]))
