"""Checkpoint -> model folder: ONNX (int8 where it keeps dev scores), tokenizer, span
classifier, metadata and model card (written by ``ModelFolder``).

The folder's decoder is the default one until ``propscope tune-decoder`` chooses it by
cross-validation on train folds (``training/folds.py``); dev is only measured, never tuned on."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from propscope.corpus.ptc import read_split
from propscope.detector import DetectorModel
from propscope.infer.scores import RuntimeSettings
from propscope.models.folder import FileSource, ModelFolder, ModelMeta
from propscope.techniques import LABELS
from propscope.training.model import (
    Detector,
    ExportWrapper,
    build_encoder,
    detector_from_description,
    tc_head_of,
)
from propscope.training.tune import cache_scores, score_config, tc_accuracy

# inference windows: a window per line, with 8 tokens of the text before it, at most 128
# tokens; one window per encoder call, so that no window's int8 scores depend on another's
# (issue 11: prefix agreement 0.87 with windows every 112 tokens, 0.99 with these)
RUNTIME = RuntimeSettings(window=128, stride=96, batch_size=1, anchor="lines", context=8)


def load_checkpoint(path: Path) -> tuple[Detector, dict[str, Any]]:
    """The detector of a checkpoint, rebuilt from the encoder description it carries
    (checkpoints written before it carried one: from its base encoder's config.json)."""
    ck = torch.load(path, weights_only=False, map_location="cpu")
    desc = ck.get("encoder")
    if desc is not None:
        det = detector_from_description(desc, len(LABELS))
    else:
        from transformers import AutoConfig

        config = AutoConfig.from_pretrained(str(Path(ck["base"]["path"])))
        det = Detector(build_encoder(config.to_dict()), len(LABELS))
    det.load_state_dict(ck["model"])
    det.eval()
    return det, ck


def export_onnx(det: Detector, path: Path) -> None:
    wrapper = ExportWrapper(det).eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        wrapper,
        (ids, mask),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["hidden", "si_logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "hidden": {0: "batch", 1: "seq"},
            "si_logits": {0: "batch", 1: "seq"},
        },
        opset_version=17,
        dynamo=False,
    )


def quantize(src: Path, dst: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(src),
        str(dst),
        per_channel=True,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gather"],
    )


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def export(
    checkpoint: Path,
    out: Path,
    data: Path,
    *,
    name: str,
    version: str,
    int8: str = "auto",
    notes: str = "",
    log: Any = print,
) -> dict[str, Any]:
    """``notes`` (how the checkpoint was made, where the config cannot say) go into meta.json
    and the model card. Returns the folder's metadata as written."""
    det, ck = load_checkpoint(checkpoint)
    tokenizer = Path(ck["base"]["path"]) / "tokenizer.json"
    dev = read_split(data, "dev")
    meta = ModelMeta(name=name, version=version, runtime=RUNTIME)
    files: dict[str, FileSource] = {"tokenizer.json": tokenizer, "tc_head.npz": tc_head_of(det)}
    with tempfile.TemporaryDirectory() as tmp:
        fp32, q8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        export_onnx(det, fp32)
        quantize(fp32, q8)
        results = {}
        for kind, src in (("fp32", fp32), ("int8", q8)):
            folder = ModelFolder.write(out, meta, {**files, "model.onnx": src})
            model = DetectorModel.from_folder(folder)
            cache = cache_scores(model, dev)
            rep = {**score_config(cache, model.cfg), "tc_micro_f1": tc_accuracy(cache)}
            results[kind] = rep
            log(f"{kind} (default decoder): {rep}")
        f32, i8 = results["fp32"], results["int8"]
        keep_int8 = int8 == "yes" or (
            int8 == "auto"
            and f32["si_f1"] - i8["si_f1"] <= 0.01
            and f32["tc_micro_f1"] - i8["tc_micro_f1"] <= 0.01
        )
        meta = replace(
            meta,
            quantization="int8 dynamic, per-channel (MatMul, Gather)"
            if keep_int8
            else "none (fp32)",
            base_encoder=ck["base"],
            training={
                "data": training_data(ck["config"]),
                "notes": notes,
                "config": ck["config"],
                "commit": git_commit(),
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
            metrics={"dev_default_decoder": {"fp32": f32, "int8": i8}},
        )
        folder = ModelFolder.write(out, meta, {**files, "model.onnx": q8 if keep_int8 else fp32})
    return folder.meta.to_dict()


def training_data(config: dict[str, Any]) -> str:
    text = "PTC (SemEval-2020 Task 11) train, 371 articles"
    if config.get("pseudo") and config.get("pseudo_epochs"):
        text += (
            f", plus machine-labelled articles ({Path(config['pseudo']).name}) in the first "
            f"{config['pseudo_epochs']} of {config['epochs']} epochs"
        )
    return text
