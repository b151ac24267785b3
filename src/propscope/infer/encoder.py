"""The encoder seam: token ids and mask in, hidden states and BIO logits out.

Every caller of an encoder (the runtime, tuning, the per-epoch evaluation in training, the
ensemble benchmark) goes through ``Encoder.run``. ``OnnxEncoder`` is the runtime's;
``propscope.training.torch_backend.TorchEncoder`` runs a PyTorch detector ([train] extra);
``AveragingEncoder`` averages the BIO logits of several encoders.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

FArr = NDArray[np.float32]
IArr = NDArray[np.int64]


class Encoder(Protocol):
    def run(self, input_ids: IArr, attention_mask: IArr) -> tuple[FArr, FArr]:
        """(batch, seq) ids and mask -> hidden states (batch, seq, H), BIO logits
        (batch, seq, 3)."""
        ...


class OnnxEncoder:
    """An exported detector encoder in ONNX Runtime, on the CPU."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def run(self, input_ids: IArr, attention_mask: IArr) -> tuple[FArr, FArr]:
        hidden, logits = self.session.run(
            ["hidden", "si_logits"], {"input_ids": input_ids, "attention_mask": attention_mask}
        )
        return np.asarray(hidden, dtype=np.float32), np.asarray(logits, dtype=np.float32)


class AveragingEncoder:
    """Several encoders as one: the BIO logits are averaged, the hidden states (which feed the
    span classifier and the claims head) are those of the first member."""

    def __init__(self, members: Sequence[Encoder]) -> None:
        if not members:
            raise ValueError("an ensemble needs at least one encoder")
        self.members = list(members)

    def run(self, input_ids: IArr, attention_mask: IArr) -> tuple[FArr, FArr]:
        outs = [m.run(input_ids, attention_mask) for m in self.members]
        logits: FArr = np.mean([o[1] for o in outs], axis=0).astype(np.float32)
        return outs[0][0], logits
