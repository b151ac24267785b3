"""Metrics of check-worthiness scores, and choosing calibration and threshold across data sets.

- **F1** of the positive class at a threshold (CT24's official metric).
- **MAP**: the mean over documents of the average precision of the document's sentences ranked
  by score (the official metric of the CLEF 2019/2020 debate sets and of the 2020 tweets).
- **Calibration**: Platt scaling ``p = sigmoid(a * logit + b)`` fitted on held-out sentences.
- **Threshold**: the probability at which the mean F1 over several data sets (different periods,
  genres and topics) is highest, so that it is not fitted to one split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from propscope.corpus.checkworthy import CwSentence, groups
from propscope.infer.heads import sigmoids as sigmoid


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = float((pred & gold).sum())
    p = tp / float(pred.sum()) if pred.sum() else 0.0
    r = tp / float(gold.sum()) if gold.sum() else 0.0
    return {"precision": p, "recall": r, "f1": 0.0 if p + r == 0 else 2 * p * r / (p + r)}


def average_precision(scores: np.ndarray, gold: np.ndarray) -> float:
    """Mean of the precision at the rank of each positive (ties broken by input order, as a
    stable sort of the scores leaves them); 0 when there is no positive."""
    if not gold.any():
        return 0.0
    order = np.argsort(-scores, kind="stable")
    g = gold[order]
    hits = np.cumsum(g)
    ranks = np.arange(1, len(g) + 1)
    return float((hits[g] / ranks[g]).mean())


def mean_average_precision(rows: Sequence[CwSentence], scores: np.ndarray) -> float:
    """Average precision per document (``group``), averaged over documents."""
    gold = np.array([r.label for r in rows], dtype=bool)
    aps = [
        average_precision(scores[idx], gold[idx]) for idx in map(np.array, groups(rows).values())
    ]
    return float(np.mean(aps)) if aps else 0.0


def fit_platt(logits: np.ndarray, gold: np.ndarray, iters: int = 500) -> tuple[float, float]:
    """``a, b`` minimising the log loss of ``sigmoid(a * logit + b)`` (Newton's method with
    Platt's smoothed targets)."""
    n_pos, n_neg = float(gold.sum()), float((~gold).sum())
    t = np.where(gold, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, b = 1.0, 0.0
    for _ in range(iters):
        p = sigmoid(a * logits + b)
        g = np.array([((p - t) * logits).sum(), (p - t).sum()])
        w = p * (1 - p) + 1e-12
        h = np.array(
            [[(w * logits * logits).sum(), (w * logits).sum()], [(w * logits).sum(), w.sum()]]
        )
        step = np.linalg.solve(h + 1e-9 * np.eye(2), g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-9:
            break
    return float(a), float(b)


def reliability(probs: np.ndarray, gold: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Per equal-width bin of predicted probability: count, mean prediction, positive share."""
    out = []
    edges = np.linspace(0, 1, bins + 1)
    for i in range(bins):
        lo, hi = edges[i], edges[i + 1]
        sel = (probs >= lo) & ((probs < hi) if i < bins - 1 else (probs <= hi))
        n = int(sel.sum())
        out.append(
            {
                "lo": float(lo),
                "hi": float(hi),
                "n": n,
                "mean_predicted": float(probs[sel].mean()) if n else 0.0,
                "observed": float(gold[sel].mean()) if n else 0.0,
            }
        )
    return out


def ece(probs: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    table = reliability(probs, gold, bins)
    n = max(1, len(probs))
    return float(sum(b["n"] * abs(b["mean_predicted"] - b["observed"]) for b in table) / n)


def best_threshold(
    probs: Mapping[str, np.ndarray], gold: Mapping[str, np.ndarray], grid: np.ndarray | None = None
) -> tuple[float, float]:
    """The threshold with the highest mean F1 over the given sets, and that mean."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2) if grid is None else grid
    best = (0.5, -1.0)
    for th in grid:
        f = float(np.mean([prf(probs[k] >= th, gold[k])["f1"] for k in probs]))
        if f > best[1] + 1e-12:
            best = (float(th), f)
    return best


RANKED = ("clef2019/test", "clef2020t5/test", "clef2020t1/test", "clef2020t1/dev")


def summary(
    evaluation: Mapping[str, Sequence[CwSentence]], logits: Mapping[str, np.ndarray]
) -> dict[str, dict[str, float]]:
    """Per set: MAP (ranked sets) or average precision, F1 at logit 0 and the best F1."""
    out: dict[str, dict[str, float]] = {}
    for name, rows in evaluation.items():
        gold = np.array([r.label for r in rows], dtype=bool)
        z = logits[name]
        f_best = max(prf(z >= t, gold)["f1"] for t in np.quantile(z, np.linspace(0.02, 0.98, 97)))
        out[name] = {
            "map": round(mean_average_precision(rows, z), 4),
            "f1@0": round(prf(z >= 0, gold)["f1"], 4),
            "best_f1": round(f_best, 4),
        }
    return out
