"""Choose decoder thresholds and calibration on dev from cached model scores.

The model is run once per document; every configuration is then decoded from the cache.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from propscope.corpus.ptc import Document
from propscope.decode.spans import DecoderConfig, confidence, decode_runs
from propscope.evaluate import ece, span_correct
from propscope.infer.onnx_model import (
    BlockStates,
    OnnxModel,
    softmax,
    spans_from_scores,
)
from propscope.scoring import full_score, si_score, tc_score
from propscope.segment.windows import blocks


@dataclass
class Cached:
    doc: Document
    states: list[BlockStates]


def cache_states(model: OnnxModel, docs: list[Document]) -> list[Cached]:
    out = []
    for d in docs:
        sts = [
            st
            for bs, be in blocks(d.text)
            if (st := model.block_states(d.text, bs, be)) is not None
        ]
        out.append(Cached(d, sts))
    return out


def score_config(
    model: OnnxModel, cache: list[Cached], cfg: DecoderConfig, *, with_full: bool = True
) -> dict[str, float]:
    pred_si: dict[str, list[tuple[int, int]]] = {}
    pred_full: dict[str, list[tuple[int, int, str]]] = {}
    for c in cache:
        si_rows: list[tuple[int, int]] = []
        full_rows: list[tuple[int, int, str]] = []
        for st in c.states:
            p_in = st.probs[:, 1] + st.probs[:, 2]
            runs = decode_runs(p_in, st.probs[:, 1], st.offsets, c.doc.text, cfg)
            si_rows.extend((s, e) for s, e, _ in runs)
            if runs and with_full:
                probs = softmax(
                    model.tc_logits(st, c.doc.text, [(s, e) for s, e, _ in runs]) / cfg.temperature
                )
                full_rows.extend(
                    (sp.start, sp.end, sp.technique)
                    for sp in spans_from_scores(runs, probs, model.labels, cfg)
                )
        pred_si[c.doc.id] = si_rows
        pred_full[c.doc.id] = full_rows
    gold_si = {c.doc.id: [(s.start, s.end) for s in c.doc.spans] for c in cache}
    gold_tc = {c.doc.id: [(s.start, s.end, s.technique or "") for s in c.doc.spans] for c in cache}
    si = si_score(pred_si, gold_si)
    full, _ = full_score(pred_full, gold_tc)
    return {
        "si_f1": si.f1,
        "si_p": si.precision,
        "si_r": si.recall,
        "full_f1": full.f1,
        "n_pred": float(sum(len(v) for v in pred_si.values())),
    }


def gold_tc_logits(
    model: OnnxModel, cache: list[Cached]
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, int, int, str]]]:
    """TC logits of every gold span (taken from the block holding its start) and the gold labels."""
    logits, gold, rows = [], [], []
    for c in cache:
        spans = [(s.start, s.end) for s in c.doc.spans]
        for bs, be in blocks(c.doc.text):
            idx = [i for i, (s, _e) in enumerate(spans) if bs <= s < be]
            if not idx:
                continue
            st = next(
                (x for x in c.states if x.offsets[0, 0] >= bs and x.offsets[-1, 1] <= be), None
            )
            if st is None:
                continue
            lg = model.tc_logits(st, c.doc.text, [spans[i] for i in idx])
            for i, row in zip(idx, lg, strict=True):
                logits.append(row)
                g = c.doc.spans[i]
                gold.append(model.labels.index(g.technique or ""))
                rows.append((c.doc.id, g.start, g.end, g.technique or ""))
    return np.stack(logits), np.asarray(gold), rows


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    best_t, best_nll = 1.0, math.inf
    for t in np.arange(0.5, 3.01, 0.05):
        p = softmax(logits / t)
        nll = -np.log(np.maximum(p[np.arange(len(gold)), gold], 1e-9)).mean()
        if nll < best_nll:
            best_t, best_nll = float(t), float(nll)
    return round(best_t, 2)


def tc_accuracy(model: OnnxModel, cache: list[Cached]) -> float:
    """TC micro-F1 with the official pairing, on cached states."""
    logits, _gold, rows = gold_tc_logits(model, cache)
    pred: dict[str, list[tuple[int, int, str]]] = {}
    gold: dict[str, list[tuple[int, int, str]]] = {}
    for (aid, s, e, g), row in zip(rows, logits, strict=True):
        pred.setdefault(aid, []).append((s, e, model.labels[int(row.argmax())]))
        gold.setdefault(aid, []).append((s, e, g))
    return tc_score(pred, gold).micro_f1


def correctness(
    pred: dict[str, list[tuple[int, int, str, float, float]]], cache: list[Cached]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features (logit p_inside, log p_technique) and a 0/1 target per predicted span: does it
    overlap a gold span of the same technique?"""
    xs, ys = [], []
    for c in cache:
        gold = [(s.start, s.end, s.technique or "") for s in c.doc.spans]
        for s, e, t, p_in, p_t in pred.get(c.doc.id, []):
            ok = span_correct((s, e, t), gold)
            p = min(max(p_in, 1e-6), 1 - 1e-6)
            xs.append((math.log(p / (1 - p)), math.log(max(p_t, 1e-6))))
            ys.append(float(ok))
    x = np.asarray(xs, dtype=np.float64).reshape(-1, 2)
    return x[:, 0], x[:, 1], np.asarray(ys)


def confidences(
    pred: dict[str, list[tuple[int, int, str, float, float]]],
    cache: list[Cached],
    cfg: DecoderConfig,
) -> np.ndarray:
    """The runtime's span confidence for each prediction, in the order of ``correctness``."""
    return np.asarray(
        [confidence(cfg, p_in, p_t) for c in cache for *_, p_in, p_t in pred.get(c.doc.id, [])]
    )


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


def raw_predictions(
    model: OnnxModel, cache: list[Cached], cfg: DecoderConfig
) -> dict[str, list[tuple[int, int, str, float, float]]]:
    out: dict[str, list[tuple[int, int, str, float, float]]] = {}
    for c in cache:
        rows = []
        for st in c.states:
            p_in = st.probs[:, 1] + st.probs[:, 2]
            runs = decode_runs(p_in, st.probs[:, 1], st.offsets, c.doc.text, cfg)
            if not runs:
                continue
            probs = softmax(
                model.tc_logits(st, c.doc.text, [(s, e) for s, e, _ in runs]) / cfg.temperature
            )
            for (s, e, p), row in zip(runs, probs, strict=True):
                order = np.argsort(-row)
                rows.append((s, e, model.labels[int(order[0])], p, float(row[order[0]])))
                if row[order[1]] > cfg.second_label:
                    rows.append((s, e, model.labels[int(order[1])], p, float(row[order[1]])))
        out[c.doc.id] = rows
    return out


def tune(
    model: OnnxModel, docs: list[Document], log: Any = print
) -> tuple[DecoderConfig, dict[str, Any]]:
    cache = cache_states(model, docs)
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
    raw = raw_predictions(model, cache, cfg)
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
