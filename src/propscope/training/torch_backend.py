"""Run a Detector through the runtime's own windowing and decoding (for dev evaluation)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from propscope.decode.spans import DecoderConfig
from propscope.infer.onnx_model import OnnxModel
from propscope.infer.tokenize import TextTokenizer
from propscope.techniques import LABELS
from propscope.training.model import Detector
from propscope.types import ModelInfo


class TorchBackedModel(OnnxModel):
    """OnnxModel's pipeline with the PyTorch detector in place of the ONNX session."""

    def __init__(self, det: Detector, tokenizer: TextTokenizer, meta: dict[str, Any]) -> None:
        self.det = det
        self.meta = meta
        self.labels = list(LABELS)
        self.info = ModelInfo(
            str(meta.get("name", "propscope-torch")), str(meta.get("version", "dev"))
        )
        self.cfg = DecoderConfig.from_dict(meta.get("decoder", {}))
        self.window = int(meta.get("window", 256))
        self.stride = int(meta.get("stride", 192))
        self.batch_size = int(meta.get("batch_size", 8))
        self.tokenizer = tokenizer
        self.bf16 = bool(meta.get("bf16", False))
        self.claims_head = None
        self.claim_threshold = 0.5
        self.refresh_head()

    def refresh_head(self) -> None:
        d = self.det
        self.w1 = d.tc1.weight.detach().float().cpu().T.numpy().copy()
        self.b1 = d.tc1.bias.detach().float().cpu().numpy().copy()
        self.w2 = d.tc2.weight.detach().float().cpu().T.numpy().copy()
        self.b2 = d.tc2.bias.detach().float().cpu().numpy().copy()

    def _run(self, ids_list: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        ids, mask = self.pad_batch(ids_list)
        self.det.eval()
        dev = next(self.det.parameters()).device
        with torch.no_grad(), torch.autocast(dev.type, dtype=torch.bfloat16, enabled=self.bf16):
            hidden, logits = self.det.encode(
                torch.from_numpy(ids).to(dev), torch.from_numpy(mask).to(dev)
            )
        return hidden.float().cpu().numpy(), logits.float().cpu().numpy()
