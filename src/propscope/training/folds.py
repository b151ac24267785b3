"""Choose a model folder's decoder by cross-validation on PTC train folds, never on dev.

    propscope train --folds 3 --fold K --out runs/folds/fK --no-export   (K = 0, 1, 2)
    propscope tune-decoder --model FOLDER runs/folds/f0 runs/folds/f1 runs/folds/f2

Each fold run holds a detector trained on the other folds (``TrainConfig.folds``/``fold``; its
checkpoint says which fold it held out). Its checkpoint is exported once to ``RUN/model`` (int8
ONNX, the target folder's runtime settings) and scores the train articles it never saw; the
decoder, its span extensions, the two calibrations and the operating points are chosen on those
out-of-fold scores (``tune.tune_cache``) and written into the target folder, whose dev figures
are then a real held-out measurement (``benchmarks/quality.py --record``).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from propscope.corpus.ptc import Document, read_split
from propscope.detector import DetectorModel
from propscope.infer.scores import RuntimeSettings
from propscope.models.folder import FileSource, ModelFolder, ModelMeta
from propscope.training.tune import Log, cache_folds, tune_cache


def held_out(data: Path, config: dict[str, Any]) -> list[Document]:
    """The train articles a fold run never saw."""
    from propscope.training.train import train_folds

    folds, fold = int(config.get("folds", 0)), int(config.get("fold", 0))
    if folds < 2:
        raise ValueError("not a cross-validation run (its config has no folds)")
    return train_folds(read_split(data, "train"), folds, fold)[1]


def fold_model(
    run: Path, runtime: RuntimeSettings, log: Log
) -> tuple[DetectorModel, dict[str, Any]]:
    """The fold run's detector as an int8 model folder (``RUN/model``, exported once) run with
    ``runtime``, and its training config."""
    import torch

    from propscope.training.export import export_onnx, load_checkpoint, quantize
    from propscope.training.model import tc_head_of

    ckpt = run / "last.pt"
    config = torch.load(ckpt, weights_only=False, map_location="cpu")["config"]
    out = run / "model"
    if not (out / "meta.json").exists():
        det, ck = load_checkpoint(ckpt)
        meta = ModelMeta(
            name=f"fold {config['fold']} of {config['folds']}",
            version="dev",
            quantization="int8 dynamic, per-channel (MatMul, Gather)",
            base_encoder=ck["base"],
            training={"config": config},
        )
        with tempfile.TemporaryDirectory() as tmp:
            fp32, q8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
            export_onnx(det, fp32)
            quantize(fp32, q8)
            files: dict[str, FileSource] = {
                "tokenizer.json": Path(ck["base"]["path"]) / "tokenizer.json",
                "tc_head.npz": tc_head_of(det),
                "model.onnx": q8,
            }
            ModelFolder.write(out, meta, files)
        log(f"exported {ckpt} -> {out}")
    model = DetectorModel.load(out)
    model.scorer.settings = runtime
    return model, config


def tune_on_folds(target: Path, runs: list[Path], data: Path, log: Log = print) -> dict[str, Any]:
    """Tune ``target``'s decoder on the out-of-fold scores of ``runs`` and write it there (with
    its operating points and the out-of-fold figures, ``metrics.folds``)."""
    folder = ModelFolder.read(target)
    pairs = []
    for run in runs:
        model, config = fold_model(run, folder.meta.runtime, log)
        pairs.append((model, held_out(data, config)))
        log(f"{run}: fold {config['fold']} of {config['folds']}, {len(pairs[-1][1])} articles")
    cache = cache_folds(pairs)
    cfg, report = tune_cache(cache, log)
    meta = folder.meta
    points = {k: float(v["min_score"]) for k, v in report["operating_points"].items()}
    training = {
        **meta.training,
        "decoder": (
            f"chosen by {len(runs)}-fold cross-validation on PTC train ({len(cache)} articles, "
            "each scored by a detector trained on the other folds); dev never used"
        ),
    }
    metrics = {k: v for k, v in meta.metrics.items() if k not in ("dev", "dev_fp32", "dev_int8")}
    metrics["folds"] = report
    folder.update(
        replace(meta, decoder=cfg, operating_points=points, training=training, metrics=metrics)
    )
    log(f"decoder written to {target / 'meta.json'}: {cfg.to_dict()}")
    return report
