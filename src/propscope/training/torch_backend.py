"""A PyTorch detector behind the runtime's encoder seam (for dev evaluation during training,
tuning a checkpoint, and the ONNX parity test)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from propscope.decode.spans import DecoderConfig
from propscope.detector import DetectorModel
from propscope.infer.encoder import FArr, IArr
from propscope.infer.scores import RuntimeSettings
from propscope.infer.tokenize import TextTokenizer
from propscope.techniques import LABELS
from propscope.training.model import Detector, tc_head_of
from propscope.types import ModelInfo

# what training evaluates with: windows as long as the training windows
TRAINING_RUNTIME = RuntimeSettings(window=256, stride=192, batch_size=8)


class TorchEncoder:
    def __init__(self, det: Detector, *, bf16: bool = False) -> None:
        self.det = det
        self.bf16 = bf16

    def run_many(self, batches: Sequence[tuple[IArr, IArr]]) -> list[tuple[FArr, FArr]]:
        return [self.run(*b) for b in batches]

    def run(self, input_ids: IArr, attention_mask: IArr) -> tuple[FArr, FArr]:
        self.det.eval()
        dev = next(self.det.parameters()).device
        with torch.no_grad(), torch.autocast(dev.type, dtype=torch.bfloat16, enabled=self.bf16):
            hidden, logits = self.det.encode(
                torch.from_numpy(input_ids).to(dev), torch.from_numpy(attention_mask).to(dev)
            )
        h: FArr = hidden.float().cpu().numpy().astype(np.float32, copy=False)
        lg: FArr = logits.float().cpu().numpy().astype(np.float32, copy=False)
        return h, lg


def torch_model(
    det: Detector,
    tokenizer: TextTokenizer,
    runtime: RuntimeSettings = TRAINING_RUNTIME,
    decoder: DecoderConfig | None = None,
    *,
    bf16: bool = False,
    name: str = "propscope-torch",
) -> DetectorModel:
    """The runtime's model around a PyTorch detector (its span classifier copied as it is now)."""
    return DetectorModel(
        ModelInfo(name, "dev"),
        TorchEncoder(det, bf16=bf16),
        tokenizer,
        runtime,
        decoder or DecoderConfig(),
        tc_head_of(det),
        LABELS,
    )
