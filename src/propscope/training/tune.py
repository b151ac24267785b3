"""Choose the decoder's thresholds and calibration on dev, from cached block scores.

The encoder runs once per document (``cache_scores``); every decoder configuration is then
decoded from the cache by the runtime's own decoder (``DetectorModel.candidates`` ->
``decode_block``; ``calibrate`` for confidences), so the configuration chosen here is exactly the
one the shipped model runs, and ``score_config`` equals ``evaluate`` on the same configuration.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from propscope.corpus.ptc import Document
from propscope.decode.spans import (
    Candidate,
    DecoderConfig,
    calibrate,
    decode_runs,
)
from propscope.detector import DetectorModel, starting_in
from propscope.evaluate import ece, span_correct
from propscope.infer.heads import softmax
from propscope.infer.scores import BlockScores
from propscope.infer.threads import blas_single_thread
from propscope.scoring import full_score, si_score, tc_score


@dataclass
class Cached:
    doc: Document
    blocks: list[BlockScores]


def cache_scores(model: DetectorModel, docs: list[Document]) -> list[Cached]:
    with blas_single_thread():
        return [Cached(d, list(model.scorer.score_text(d.text))) for d in docs]


def candidates(
    model: DetectorModel, cache: list[Cached], cfg: DecoderConfig
) -> dict[str, list[Candidate]]:
    """The decoder's candidates for every cached document under ``cfg``."""
    return {
        c.doc.id: [x for sc in c.blocks for x in model.candidates(sc, c.doc.text, cfg)]
        for c in cache
    }


def _gold(cache: list[Cached]) -> tuple[dict[str, Any], dict[str, Any]]:
    # as in evaluate_docs: SI gold is the TC spans and the SI labels together
    gold_si = {
        c.doc.id: [(s.start, s.end) for s in c.doc.spans] + list(c.doc.si_spans) for c in cache
    }
    gold_tc = {c.doc.id: [(s.start, s.end, s.technique or "") for s in c.doc.spans] for c in cache}
    return gold_si, gold_tc


def score_config(
    model: DetectorModel, cache: list[Cached], cfg: DecoderConfig, *, with_full: bool = True
) -> dict[str, float]:
    """SI (and, ``with_full``, full-task) scores of the decoder under ``cfg``, as ``evaluate``
    computes them. Without ``with_full`` only the span runs are decoded (no span classifier),
    which is what a sweep over the span thresholds needs."""
    pred_si: dict[str, list[tuple[int, int]]] = {}
    pred_full: dict[str, list[tuple[int, int, str]]] = {}
    if with_full:
        for aid, cands in candidates(model, cache, cfg).items():
            pred_full[aid] = [(x.start, x.end, x.technique) for x in cands]
            pred_si[aid] = list(dict.fromkeys((x.start, x.end) for x in cands))
    else:
        for c in cache:
            pred_si[c.doc.id] = [
                (s, e)
                for sc in c.blocks
                for s, e, _p in decode_runs(
                    sc.p_inside, sc.probs[:, 1], sc.offsets, c.doc.text, cfg
                )
            ]
    gold_si, gold_tc = _gold(cache)
    si = si_score(pred_si, gold_si)
    out = {
        "si_f1": si.f1,
        "si_p": si.precision,
        "si_r": si.recall,
        "n_pred": float(sum(len(v) for v in pred_si.values())),  # spans, techniques aside
    }
    if with_full:
        out["full_f1"] = full_score(pred_full, gold_tc)[0].f1
    return out


def gold_tc_logits(
    model: DetectorModel, cache: list[Cached]
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, int, int, str]]]:
    """Span classifier logits of every gold span (from the block holding its start, as
    ``DetectorModel.classify`` takes them) and the gold labels."""
    logits, gold, rows = [], [], []
    for c in cache:
        spans = [(s.start, s.end) for s in c.doc.spans]
        for sc in c.blocks:
            idx = starting_in(sc.start, sc.end, spans)
            if not idx:
                continue
            lg = model.technique_logits(sc, c.doc.text, [spans[i] for i in idx])
            for i, row in zip(idx, lg, strict=True):
                g = c.doc.spans[i]
                logits.append(row)
                gold.append(model.labels.index(g.technique or ""))
                rows.append((c.doc.id, g.start, g.end, g.technique or ""))
    return np.stack(logits), np.asarray(gold), rows


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature (0.5 to 3.0 in steps of 0.05) with the lowest negative log-likelihood."""
    best_t, best_nll = 1.0, math.inf
    for t in np.arange(0.5, 3.01, 0.05):
        p = softmax(logits / t)
        nll = -np.log(np.maximum(p[np.arange(len(gold)), gold], 1e-9)).mean()
        if nll < best_nll:
            best_t, best_nll = float(t), float(nll)
    return round(best_t, 2)


def tc_accuracy(model: DetectorModel, cache: list[Cached]) -> float:
    """TC micro-F1 with the official pairing, on cached scores."""
    logits, _gold, rows = gold_tc_logits(model, cache)
    pred: dict[str, list[tuple[int, int, str]]] = {}
    gold: dict[str, list[tuple[int, int, str]]] = {}
    for (aid, s, e, g), row in zip(rows, logits, strict=True):
        pred.setdefault(aid, []).append((s, e, model.labels[int(row.argmax())]))
        gold.setdefault(aid, []).append((s, e, g))
    return tc_score(pred, gold).micro_f1


def correctness(
    pred: dict[str, list[Candidate]], cache: list[Cached]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The calibration's two features (logit p_inside, log p_technique) and a 0/1 target per
    candidate: does it overlap a gold span of the same technique?"""
    xs, ys = [], []
    for c in cache:
        gold = [(s.start, s.end, s.technique or "") for s in c.doc.spans]
        for x in pred.get(c.doc.id, []):
            p = min(max(x.p_inside, 1e-6), 1 - 1e-6)
            xs.append((math.log(p / (1 - p)), math.log(max(x.p_technique, 1e-6))))
            ys.append(float(span_correct((x.start, x.end, x.technique), gold)))
    arr = np.asarray(xs, dtype=np.float64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1], np.asarray(ys)


def confidences(
    pred: dict[str, list[Candidate]], cache: list[Cached], cfg: DecoderConfig
) -> np.ndarray:
    """The runtime's span confidence (``calibrate``) of each candidate, in the order of
    ``correctness``."""
    return np.asarray([sp.score for c in cache for sp in calibrate(pred.get(c.doc.id, []), cfg)])


def fit_calibration(
    a_feat: np.ndarray, b_feat: np.ndarray, y: np.ndarray
) -> tuple[float, float, float]:
    """Logistic regression of correctness on the two features (Newton's method)."""
    x = np.stack([a_feat, b_feat, np.ones_like(a_feat)], axis=1)
    w = np.array([1.0, 1.0, 0.0])
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        g = x.T @ (p - y)
        h = (x * (p * (1 - p))[:, None]).T @ x + 1e-6 * np.eye(3)
        w = w - np.linalg.solve(h, g)
    return float(w[0]), float(w[1]), float(w[2])


def tune(
    model: DetectorModel, docs: list[Document], log: Any = print
) -> tuple[DecoderConfig, dict[str, Any]]:
    """Temperature (NLL of the gold spans' techniques), then span thresholds and gap (SI F1),
    then the second-technique threshold (full-task F1), then the confidence calibration."""
    with blas_single_thread():
        return _tune(model, docs, log)


def _tune(
    model: DetectorModel, docs: list[Document], log: Any
) -> tuple[DecoderConfig, dict[str, Any]]:
    cache = cache_scores(model, docs)
    logits, gold, _rows = gold_tc_logits(model, cache)
    temp = fit_temperature(logits, gold)
    cfg = replace(DecoderConfig(), temperature=temp)
    best: tuple[float, DecoderConfig] = (-1.0, cfg)
    for th, bt, gap in itertools.product(
        [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6],
        [0.2, 0.3, 0.5, 0.7, 1.1],
        [0, 1, 2, 3, 4, 6],
    ):
        c = replace(cfg, threshold=th, begin_threshold=bt, max_gap=gap, second_label=1.1)
        r = score_config(model, cache, c, with_full=False)
        if r["si_f1"] > best[0]:
            best = (r["si_f1"], c)
            log(f"tune: SI {r['si_f1']:.4f} n {r['n_pred']:.0f} <- th {th} begin {bt} gap {gap}")
    cfg = best[1]
    best_full = (score_config(model, cache, cfg)["full_f1"], cfg.second_label)
    for sl in [0.15, 0.2, 0.25, 0.3, 0.4]:
        r = score_config(model, cache, replace(cfg, second_label=sl))
        if r["full_f1"] > best_full[0]:
            best_full = (r["full_f1"], sl)
    cfg = replace(cfg, second_label=best_full[1])
    raw = candidates(model, cache, cfg)
    a_f, b_f, y = correctness(raw, cache)
    before = ece(confidences(raw, cache, cfg), y)
    ca, cb, cc = fit_calibration(a_f, b_f, y)
    cfg = replace(cfg, calib_a=round(ca, 4), calib_b=round(cb, 4), calib_c=round(cc, 4))
    after = ece(confidences(raw, cache, cfg), y)
    final = score_config(model, cache, cfg)
    report = {
        "si_f1": final["si_f1"],
        "si_precision": final["si_p"],
        "si_recall": final["si_r"],
        "full_f1": final["full_f1"],
        "tc_micro_f1": tc_accuracy(model, cache),
        "tc_temperature": temp,
        "ece_before": before,
        "ece": after,
        "n_pred": final["n_pred"],
    }
    return cfg, report
