"""Choose the decoder's thresholds, span extensions, calibration and operating points from
cached block scores, by cross-validation on train folds (never on dev).

The encoder runs once per document (``cache_scores``); each cached document carries the model
that scored it, so out-of-fold caches (each train fold scored by a model that never saw it,
``cache_folds``) tune the decoder exactly as a single model's cache does. Every configuration is
decoded by the runtime's own decoder (``DetectorModel.candidates`` -> ``decode_block``;
``calibrate`` for the two probabilities), so ``score_config`` equals ``evaluate`` on the same
configuration. The order of ``tune_cache``:

1. temperature of the span classifier (NLL of the gold spans' techniques): P(technique | span);
2. span thresholds and gap (SI F1);
3. per technique, whether its spans grow to their clause or sentence (SI F1 + full-task F1);
4. the second-technique threshold (full-task F1);
5. P(span): logistic regression of "overlaps a gold span" on logit(mean P(inside)) and
   log(characters), at each span threshold up to that of step 2, keeping the lowest whose best
   F1 after filtering by P(span) is within ``LOWER_THRESHOLD_SLACK`` of the best;
6. the operating points: the P(span) from which a span is shown, for ``precise``,
   ``balanced`` (best SI F1) and ``sensitive``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from propscope.corpus.ptc import Document
from propscope.decode.spans import (
    EXTEND_MODES,
    Candidate,
    DecoderConfig,
    calibrate,
    decode_runs,
    extend_candidates,
    span_probability,
)
from propscope.detector import DetectorModel, starting_in
from propscope.evaluate import CalibrationData, ece, gold_spans
from propscope.infer.heads import softmax
from propscope.infer.scores import BlockScores
from propscope.infer.threads import blas_single_thread
from propscope.scoring import full_score, si_score, tc_score

Log = Callable[[str], Any]

# the operating points: the span probability threshold with the best F-beta (SI), beta 0.5
# weighing precision twice as much as recall, 2 recall twice as much as precision
POINT_BETAS = {"precise": 0.5, "balanced": 1.0, "sensitive": 2.0}
SCORE_GRID = [k / 100 for k in range(96)]
# the span threshold (at most the one of step 2) is the lowest whose best F1 after the P(span)
# filter is within this of the best: the sensitive point reaches further, the balanced one
# loses nothing
LOWER_THRESHOLD_SLACK = 0.003


@dataclass
class Cached:
    doc: Document
    blocks: list[BlockScores]
    model: DetectorModel  # the model that scored it (out of fold: one that never saw it)


def cache_scores(model: DetectorModel, docs: Sequence[Document]) -> list[Cached]:
    with blas_single_thread():
        return [Cached(d, list(model.scorer.score_text(d.text)), model) for d in docs]


def cache_folds(folds: Sequence[tuple[DetectorModel, Sequence[Document]]]) -> list[Cached]:
    """Out-of-fold cache: each model scores the documents it was not trained on."""
    return [c for model, docs in folds for c in cache_scores(model, docs)]


def raw_candidates(cache: list[Cached], cfg: DecoderConfig) -> dict[str, list[Candidate]]:
    """The decoder's candidates before any span extension."""
    plain = replace(cfg, extend={})
    return {
        c.doc.id: [x for sc in c.blocks for x in c.model.candidates(sc, c.doc.text, plain)]
        for c in cache
    }


def candidates(cache: list[Cached], cfg: DecoderConfig) -> dict[str, list[Candidate]]:
    """The decoder's candidates for every cached document under ``cfg``."""
    return {
        c.doc.id: [x for sc in c.blocks for x in c.model.candidates(sc, c.doc.text, cfg)]
        for c in cache
    }


def _gold(cache: list[Cached]) -> tuple[dict[str, Any], dict[str, Any]]:
    return gold_spans([c.doc for c in cache])


def _si_figures(
    pred_si: dict[str, list[tuple[int, int]]], gold_si: dict[str, Any]
) -> dict[str, float]:
    si = si_score(pred_si, gold_si)
    return {
        "si_f1": si.f1,
        "si_p": si.precision,
        "si_r": si.recall,
        "n_pred": float(sum(len(v) for v in pred_si.values())),
    }


def score_spans(
    cache: list[Cached], spans: dict[str, list[tuple[int, int, str]]]
) -> dict[str, float]:
    """SI and full-task scores of predicted (start, end, technique) spans."""
    gold_si, gold_tc = _gold(cache)
    pred_si = {a: list(dict.fromkeys((s, e) for s, e, _t in v)) for a, v in spans.items()}
    return {**_si_figures(pred_si, gold_si), "full_f1": full_score(spans, gold_tc)[0].f1}


def score_candidates(
    cache: list[Cached], cands: dict[str, list[Candidate]], cfg: DecoderConfig
) -> dict[str, float]:
    """Scores of candidates as the runtime returns them (``calibrate``: ``cfg.min_score``)."""
    spans = {
        a: [(s.start, s.end, s.technique) for s in calibrate(v, cfg)] for a, v in cands.items()
    }
    return score_spans(cache, spans)


def score_config(
    cache: list[Cached], cfg: DecoderConfig, *, with_full: bool = True
) -> dict[str, float]:
    """SI (and, ``with_full``, full-task) scores of the decoder under ``cfg``, as ``evaluate``
    computes them. Without ``with_full`` only the span runs are decoded (no span classifier,
    no extension, no ``min_score``), which is what a sweep over the span thresholds needs."""
    if with_full:
        return score_candidates(cache, candidates(cache, cfg), cfg)
    pred_si = {
        c.doc.id: [
            (s, e)
            for sc in c.blocks
            for s, e, _p in decode_runs(sc.p_inside, sc.probs[:, 1], sc.offsets, c.doc.text, cfg)
        ]
        for c in cache
    }
    return _si_figures(pred_si, _gold(cache)[0])


def gold_tc_logits(
    cache: list[Cached],
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
            lg = c.model.technique_logits(sc, c.doc.text, [spans[i] for i in idx])
            for i, row in zip(idx, lg, strict=True):
                g = c.doc.spans[i]
                logits.append(row)
                gold.append(c.model.labels.index(g.technique or ""))
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


def tc_accuracy(cache: list[Cached]) -> float:
    """TC micro-F1 with the official pairing, on cached scores."""
    logits, _gold, rows = gold_tc_logits(cache)
    labels = cache[0].model.labels
    pred: dict[str, list[tuple[int, int, str]]] = {}
    gold: dict[str, list[tuple[int, int, str]]] = {}
    for (aid, s, e, g), row in zip(rows, logits, strict=True):
        pred.setdefault(aid, []).append((s, e, labels[int(row.argmax())]))
        gold.setdefault(aid, []).append((s, e, g))
    return tc_score(pred, gold).micro_f1


def span_targets(
    cands: dict[str, list[Candidate]], cache: list[Cached]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(span)'s two features (logit of the mean P(inside), log characters) and its target
    (the candidate overlaps a gold span, any technique), one row per candidate."""
    gold_si, _ = _gold(cache)
    xs, ys = [], []
    for c in cache:
        gold = gold_si[c.doc.id]
        for x in cands.get(c.doc.id, []):
            p = min(max(x.p_inside, 1e-6), 1 - 1e-6)
            xs.append((math.log(p / (1 - p)), math.log(max(x.end - x.start, 1))))
            ys.append(float(any(x.start < ge and gs < x.end for gs, ge in gold)))
    arr = np.asarray(xs, dtype=np.float64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1], np.asarray(ys)


def fit_logistic(
    a_feat: np.ndarray, b_feat: np.ndarray, y: np.ndarray
) -> tuple[float, float, float]:
    """Logistic regression of ``y`` on the two features (Newton's method)."""
    x = np.stack([a_feat, b_feat, np.ones_like(a_feat)], axis=1)
    w = np.array([1.0, 0.0, 0.0])
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        g = x.T @ (p - y)
        h = (x * (p * (1 - p))[:, None]).T @ x + 1e-6 * np.eye(3)
        w = w - np.linalg.solve(h, g)
    return float(w[0]), float(w[1]), float(w[2])


def operating_curve(
    cache: list[Cached], cands: dict[str, list[Candidate]], cfg: DecoderConfig
) -> list[dict[str, float]]:
    """SI precision, recall and F1 (and full-task F1) of the spans with P(span) >= each
    threshold of ``SCORE_GRID``."""
    scored = {
        a: [(span_probability(cfg, x.p_inside, x.end - x.start), x) for x in v]
        for a, v in cands.items()
    }
    out = []
    for m in SCORE_GRID:
        spans = {
            a: [(x.start, x.end, x.technique) for p, x in v if p >= m] for a, v in scored.items()
        }
        r = score_spans(cache, spans)
        out.append({"min_score": m, **r})
    return out


def f_beta(p: float, r: float, beta: float) -> float:
    b2 = beta * beta
    return 0.0 if p <= 0 or r <= 0 else (1 + b2) * p * r / (b2 * p + r)


def choose_points(curve: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each operating point: the threshold of the curve with the best SI F-beta
    (``POINT_BETAS``: precise 0.5, balanced 1, sensitive 2); on a tie the lowest threshold."""

    def best(beta: float) -> dict[str, float]:
        return max(curve, key=lambda r: (f_beta(r["si_p"], r["si_r"], beta), -r["min_score"]))

    return {name: best(beta) for name, beta in POINT_BETAS.items()}


THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)

LONG_TECHNIQUES = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)


def tune(
    model: DetectorModel, docs: list[Document], log: Log = print
) -> tuple[DecoderConfig, dict[str, Any]]:
    """``tune_cache`` on one model's scores of ``docs``."""
    return tune_cache(cache_scores(model, docs), log)


def tune_cache(cache: list[Cached], log: Log = print) -> tuple[DecoderConfig, dict[str, Any]]:
    with blas_single_thread():
        return _tune(cache, log)


def _tune(cache: list[Cached], log: Log) -> tuple[DecoderConfig, dict[str, Any]]:
    logits, gold, _rows = gold_tc_logits(cache)
    temp = fit_temperature(logits, gold)
    cfg = replace(DecoderConfig(), temperature=temp)
    # 2. span thresholds and gap
    best: tuple[float, DecoderConfig] = (-1.0, cfg)
    for th, bt, gap in itertools.product(
        THRESHOLDS,
        [0.2, 0.3, 0.5, 0.7, 1.1],
        [0, 1, 2, 3, 4, 6],
    ):
        c = replace(cfg, threshold=th, begin_threshold=bt, max_gap=gap, second_label=1.1)
        r = score_config(cache, c, with_full=False)
        if r["si_f1"] > best[0]:
            best = (r["si_f1"], c)
            log(f"tune: SI {r['si_f1']:.4f} n {r['n_pred']:.0f} <- th {th} begin {bt} gap {gap}")
    cfg = best[1]
    # 3. span extensions, one technique at a time (coordinate ascent, two rounds)
    raw = raw_candidates(cache, cfg)

    def ext_score(c: DecoderConfig) -> float:
        r = score_candidates(
            cache, {a: extend_candidates(cache_text[a], v, c) for a, v in raw.items()}, c
        )
        return r["si_f1"] + r["full_f1"]

    cache_text = {c.doc.id: c.doc.text for c in cache}
    current = ext_score(cfg)
    for _round in range(2):
        for t in LONG_TECHNIQUES:
            for mode in (None, *EXTEND_MODES):
                ext = {k: v for k, v in cfg.extend.items() if k != t}
                if mode is not None:
                    ext[t] = mode
                c = replace(cfg, extend=ext)
                sc = ext_score(c)
                if sc > current + 1e-9:
                    current, cfg = sc, c
                    log(f"tune: extend {t} -> {mode}: SI+full {sc:.4f}")
    # 4. second technique
    best_full = (score_config(cache, cfg)["full_f1"], cfg.second_label)
    for sl in [0.15, 0.2, 0.25, 0.3, 0.4]:
        r = score_config(cache, replace(cfg, second_label=sl))
        if r["full_f1"] > best_full[0]:
            best_full = (r["full_f1"], sl)
    cfg = replace(cfg, second_label=best_full[1])
    # 5. P(span), and 6. operating points; then the same at lower span thresholds
    tried = [
        calibrated(cache, replace(cfg, threshold=th)) for th in THRESHOLDS if th <= cfg.threshold
    ]
    best_f1 = max(max(r["si_f1"] for r in cv) for _c, _cd, cv in tried)
    for c, _cd, cv in tried:
        f1 = max(r["si_f1"] for r in cv)
        log(f"tune: threshold {c.threshold}: best SI F1 after the span filter {f1:.4f}")
    # the lowest span threshold within the slack of the best: the most recall on offer
    cfg, cands, curve = next(
        t for t in tried if max(r["si_f1"] for r in t[2]) >= best_f1 - LOWER_THRESHOLD_SLACK
    )
    points = choose_points(curve)
    cfg = replace(cfg, min_score=points["balanced"]["min_score"])
    report = {
        **report_of(cache, cands, cfg),
        "tc_temperature": temp,
        "operating_points": {k: _round4(v) for k, v in points.items()},
    }
    return cfg, report


def calibrated(
    cache: list[Cached], cfg: DecoderConfig
) -> tuple[DecoderConfig, dict[str, list[Candidate]], list[dict[str, float]]]:
    """``cfg`` with P(span) fitted on its candidates, the candidates, and the operating curve."""
    cands = candidates(cache, replace(cfg, min_score=0.0))
    a_f, b_f, y = span_targets(cands, cache)
    sa, sb, sc = fit_logistic(a_f, b_f, y)
    cfg = replace(cfg, span_a=round(sa, 4), span_b=round(sb, 4), span_c=round(sc, 4), min_score=0.0)
    return cfg, cands, operating_curve(cache, cands, cfg)


def _round4(r: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in r.items()}


def report_of(
    cache: list[Cached], cands: dict[str, list[Candidate]], cfg: DecoderConfig
) -> dict[str, Any]:
    """Scores of ``cfg`` at its ``min_score``, TC, and the calibration of both probabilities."""
    final = score_candidates(cache, cands, cfg)
    p_span, y_span, p_tech, y_tech = calibration_data(cache, cands, cfg)
    return {
        "si_f1": final["si_f1"],
        "si_precision": final["si_p"],
        "si_recall": final["si_r"],
        "full_f1": final["full_f1"],
        "tc_micro_f1": tc_accuracy(cache),
        "n_pred": final["n_pred"],
        "span_ece": ece(p_span, y_span),
        "technique_ece": ece(p_tech, y_tech),
    }


def calibration_data(
    cache: list[Cached], cands: dict[str, list[Candidate]], cfg: DecoderConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(P(span), overlaps a gold span) of every candidate above ``cfg.min_score``, and
    (P(technique | span), a gold span it overlaps has that technique) of those that overlap:
    ``evaluate.CalibrationData`` on the runtime's spans."""
    gold_si, gold_tc = _gold(cache)
    cal = CalibrationData()
    for c in cache:
        cal.add(calibrate(cands.get(c.doc.id, []), cfg), gold_si[c.doc.id], gold_tc[c.doc.id])
    arr = np.asarray
    return arr(cal.p_span), arr(cal.y_span), arr(cal.p_tech), arr(cal.y_tech)
