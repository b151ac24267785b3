"""Choose a model folder's decoder by cross-validation on PTC train folds, never on dev.

    propscope train --folds 3 --fold K --out runs/folds/fK --no-export   (K = 0, 1, 2)
    propscope tune-decoder --model FOLDER runs/folds/f0 runs/folds/f1 runs/folds/f2

Each fold run holds a detector trained on the other folds (``TrainConfig.folds``/``fold``; its
checkpoint says which fold it held out). Its checkpoint is exported once to ``RUN/model`` (int8
ONNX, the target folder's runtime settings) and scores the train articles it never saw; the
decoder, its span extensions, the two calibrations and the operating points are chosen on those
out-of-fold scores (``tune.tune_cache``) and written into the target folder, whose dev figures
are then a real held-out measurement (``benchmarks/quality.py --record``).

When the target was trained by another recipe than the fold detectors (the shipped student
learnt from a teacher's labels; the fold detectors from gold alone), its technique logits have
another scale, and a temperature fitted on the folds would not mean the same for it. With
``news`` (unlabeled articles neither saw), the target's temperature is set so that its mean
top technique probability over the runs it decodes there equals the fold detectors' mean at
their fitted temperature: confidence matching, which assumes the two are about as often right.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from propscope.corpus.ptc import Document, read_split
from propscope.decode.spans import DecoderConfig, decode_runs
from propscope.detector import DetectorModel
from propscope.infer.heads import softmax
from propscope.infer.scores import RuntimeSettings
from propscope.infer.threads import blas_single_thread
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


def run_logits(model: DetectorModel, texts: Sequence[str], cfg: DecoderConfig) -> np.ndarray:
    """Span classifier logits of every run ``cfg`` decodes in ``texts``."""
    rows = [np.zeros((0, len(model.labels)), dtype=np.float32)]
    for text in texts:
        for sc in model.scorer.score_text(text):
            runs = decode_runs(sc.p_inside, sc.probs[:, 1], sc.offsets, text, cfg)
            if runs:
                rows.append(model.technique_logits(sc, text, [(a, b) for a, b, _p in runs]))
    return np.concatenate(rows)


def mean_top_probability(logits: np.ndarray, temperature: float) -> float:
    """Mean probability of the most likely technique at ``temperature``."""
    return float(softmax(logits / temperature).max(axis=1).mean()) if len(logits) else 0.0


def match_temperature(logits: np.ndarray, want: float) -> float:
    """The temperature (0.5 to 6 in steps of 0.05) whose mean top probability over ``logits``
    is closest to ``want``."""
    grid = [round(0.5 + 0.05 * k, 2) for k in range(111)]
    return min(grid, key=lambda t: abs(mean_top_probability(logits, t) - want))


def decoder_note(folds: int, articles: int, transfer: dict[str, Any] | None) -> str:
    """How the decoder was chosen, for meta.json and the model card."""
    note = (
        f"chosen by {folds}-fold cross-validation on PTC train ({articles} articles, each scored "
        "by a detector trained on the other folds); dev never used"
    )
    if transfer:
        note += (
            f"; technique temperature {transfer['target_temperature']} by confidence matching on "
            f"{transfer['articles']} unlabeled news articles (the fold detectors' mean top "
            f"technique probability, {transfer['folds_mean_technique_probability']:.3f} at their "
            f"temperature {transfer['folds_temperature']})"
        )
    return note


def tune_on_folds(
    target: Path,
    runs: list[Path],
    data: Path,
    news: Sequence[str] = (),
    log: Log = print,
) -> dict[str, Any]:
    """Tune ``target``'s decoder on the out-of-fold scores of ``runs`` and write it there (with
    its operating points and the out-of-fold figures, ``metrics.folds``); with ``news``, its
    technique temperature by confidence matching (``match_temperature``)."""
    folder = ModelFolder.read(target)
    pairs = []
    for run in runs:
        model, config = fold_model(run, folder.meta.runtime, log)
        pairs.append((model, held_out(data, config)))
        log(f"{run}: fold {config['fold']} of {config['folds']}, {len(pairs[-1][1])} articles")
    cache = cache_folds(pairs)
    cfg, report = tune_cache(cache, log)
    if news:
        with blas_single_thread():
            models = [m for m, _ in pairs]
            fold_logits = np.concatenate(
                [run_logits(m, news[k :: len(models)], cfg) for k, m in enumerate(models)]
            )
            want = mean_top_probability(fold_logits, cfg.temperature)
            target_logits = run_logits(DetectorModel.from_folder(folder), news, cfg)
            temp = match_temperature(target_logits, want)
        report["temperature_transfer"] = {
            "articles": len(news),
            "folds_temperature": cfg.temperature,
            "folds_mean_technique_probability": want,
            "target_temperature": temp,
        }
        log(f"temperature: folds {cfg.temperature} (mean probability {want:.4f}) -> {temp}")
        cfg = replace(cfg, temperature=temp)
    meta = folder.meta
    points = {k: float(v["min_score"]) for k, v in report["operating_points"].items()}
    training = {
        **meta.training,
        "decoder": decoder_note(len(runs), len(cache), report.get("temperature_transfer")),
    }
    metrics = {k: v for k, v in meta.metrics.items() if k not in ("dev", "dev_fp32", "dev_int8")}
    metrics["folds"] = report
    folder.update(
        replace(meta, decoder=cfg, operating_points=points, training=training, metrics=metrics)
    )
    log(f"decoder written to {target / 'meta.json'}: {cfg.to_dict()}")
    return report
