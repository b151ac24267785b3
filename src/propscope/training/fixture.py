"""A tiny, randomly initialised detector folder: for fast tests of the runtime.

    propscope fixture tests/fixtures/tiny-model

The checked-in ``tests/fixtures/tiny-model`` was made this way; its outputs are pinned by
``tests/test_golden.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from propscope.decode.spans import DecoderConfig
from propscope.infer.heads import MlpHead
from propscope.infer.scores import RuntimeSettings
from propscope.models.folder import ClaimsSettings, ModelFolder, ModelMeta
from propscope.training.base import minilm_path
from propscope.training.export import export_onnx
from propscope.training.model import Detector, tc_head_of, tiny_detector

TINY_META = ModelMeta(
    name="propscope-tiny-fixture",
    version="0",
    runtime=RuntimeSettings(window=32, stride=24, batch_size=1, anchor="lines", context=4),
    decoder=DecoderConfig(threshold=0.3),
    # every sentence is a claim: exercises the facts path
    claims=ClaimsSettings(threshold=0.0, data="random weights (a test fixture)"),
)


def random_claims_head(hidden: int, seed: int = 0) -> MlpHead:
    rng = np.random.default_rng(seed)
    return MlpHead.of(
        w1=rng.normal(0, 0.1, (2 * hidden, 8)),
        b1=np.zeros(8),
        w2=rng.normal(0, 0.1, (8, 1)),
        b2=np.zeros(1),
    )


def write_tiny(det: Detector, out: Path, meta: ModelMeta = TINY_META, seed: int = 0) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        onnx = Path(tmp) / "model.onnx"
        export_onnx(det, onnx)
        ModelFolder.write(
            out,
            meta,
            {
                "model.onnx": onnx,
                "tokenizer.json": minilm_path() / "tokenizer.json",
                "tc_head.npz": tc_head_of(det),
                "claims_head.npz": random_claims_head(det.encoder.config.hidden_size, seed),
            },
        )


def build(out: Path, seed: int = 0) -> Detector:
    det = tiny_detector(seed)
    write_tiny(det, out, seed=seed)
    return det
