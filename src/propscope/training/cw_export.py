"""A check-worthiness checkpoint -> ``claims.onnx`` (int8 where it keeps its dev scores).

python -m propscope.training.cw_export runs/claims/l4/e3.pt /tmp/claims.onnx
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import torch
from torch import nn

from propscope.training.checkworthy import CwModel, build


class _Wrapper(nn.Module):
    def __init__(self, model: CwModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask)


def load_checkpoint(path: Path) -> tuple[CwModel, dict[str, Any]]:
    ck = torch.load(path, weights_only=False, map_location="cpu")
    model = build(int(ck["config"]["layers"]))
    model.load_state_dict(ck["model"])
    model.eval()
    return model, ck["config"]


def export_onnx(model: CwModel, path: Path) -> None:
    ids = torch.ones((2, 12), dtype=torch.long)
    mask = torch.ones((2, 12), dtype=torch.long)
    torch.onnx.export(
        _Wrapper(model).eval(),
        (ids, mask),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logit"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "logit": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )


def export(checkpoint: Path, out: Path, *, int8: bool = True) -> dict[str, Any]:
    """Write ``out`` (fp32, or int8 per channel when ``int8``); returns the checkpoint config."""
    from propscope.training.export import quantize

    model, config = load_checkpoint(checkpoint)
    if not int8:
        export_onnx(model, out)
        return config
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        export_onnx(model, fp32)
        quantize(fp32, out)
    return config


if __name__ == "__main__":
    export(Path(sys.argv[1]), Path(sys.argv[2]), int8="--fp32" not in sys.argv)
