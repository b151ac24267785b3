"""Evaluate a model on a PTC split with the official metrics (SI, TC, full task)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscope.corpus.ct24 import LabelledSentence
from propscope.corpus.ptc import Document, read_split
from propscope.errors import Code, PropscopeError
from propscope.infer.threads import blas_single_thread
from propscope.model import Model
from propscope.scoring import full_score, si_score, tc_score
from propscope.techniques import LABELS
from propscope.types import Span


def ece(conf: NDArray[np.float64], y: NDArray[np.float64], bins: int = 10) -> float:
    """Expected calibration error with equal-width confidence bins."""
    if len(conf) == 0:
        return 0.0
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() / len(conf) * abs(conf[m].mean() - y[m].mean())
    return float(total)


def span_correct(span: tuple[int, int, str], gold: list[tuple[int, int, str]]) -> bool:
    """A predicted span is right when it overlaps a gold span of the same technique."""
    s, e, t = span
    return any(t == gt and s < ge and gs < e for gs, ge, gt in gold)


def gold_spans(
    docs: list[Document],
) -> tuple[dict[str, list[tuple[int, int]]], dict[str, list[tuple[int, int, str]]]]:
    """Per article, the SI gold (the SI labels and the TC spans together: the scorer merges
    overlaps; on PTC the merged TC spans equal the SI labels) and the TC gold."""
    gold_si = {d.id: [(s.start, s.end) for s in d.spans] + list(d.si_spans) for d in docs}
    gold_tc = {d.id: [(s.start, s.end, s.technique or "") for s in d.spans] for d in docs}
    return gold_si, gold_tc


@dataclass
class CalibrationData:
    """The two span probabilities against what they claim: ``score`` against "overlaps a gold
    span" for every span, ``technique_score`` against "overlaps a gold span of its technique"
    for the spans that overlap one."""

    p_span: list[float] = field(default_factory=list)
    y_span: list[float] = field(default_factory=list)
    p_tech: list[float] = field(default_factory=list)
    y_tech: list[float] = field(default_factory=list)

    def add(
        self,
        spans: list[Span],
        gold_si: list[tuple[int, int]],
        gold_tc: list[tuple[int, int, str]],
    ) -> None:
        for sp in spans:
            hit = any(sp.start < ge and gs < sp.end for gs, ge in gold_si)
            self.p_span.append(sp.score)
            self.y_span.append(float(hit))
            if hit:
                self.p_tech.append(sp.technique_score)
                self.y_tech.append(float(span_correct((sp.start, sp.end, sp.technique), gold_tc)))


def reliability(
    conf: NDArray[np.float64], y: NDArray[np.float64], bins: int = 10
) -> list[dict[str, Any]]:
    """Reliability table: per equal-width bin of the predicted probability, how many
    predictions, their mean probability and the observed rate."""
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        m = idx == b
        rows.append(
            {
                "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
                "n": int(m.sum()),
                "mean_predicted": float(conf[m].mean()) if m.any() else None,
                "observed": float(y[m].mean()) if m.any() else None,
            }
        )
    return rows


def _calibration(conf: list[float], y: list[float]) -> dict[str, Any]:
    c, t = np.asarray(conf, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return {
        "n": len(conf),
        "ece": ece(c, t),
        "mean_predicted": float(c.mean()) if conf else 0.0,
        "observed": float(t.mean()) if conf else 0.0,
        "table": reliability(c, t),
    }


LONG_SPAN_WORDS = 20


def coverage(
    docs: list[Document], pred: dict[str, list[tuple[int, int]]], min_words: int = 0
) -> dict[str, Any]:
    """Of the gold spans longer than ``min_words`` words: how many a prediction touches, and
    the share of their characters that predictions cover (overall and per technique)."""
    n = touched = 0
    chars = covered = 0
    per: dict[str, list[int]] = {}
    for d in docs:
        mask = np.zeros(len(d.text) + 1, dtype=bool)
        for s, e in pred.get(d.id, []):
            mask[s:e] = True
        for g in d.spans:
            if len(d.text[g.start : g.end].split()) <= min_words:
                continue
            c = int(mask[g.start : g.end].sum())
            n += 1
            touched += int(c > 0)
            chars += g.end - g.start
            covered += c
            row = per.setdefault(g.technique or "", [0, 0, 0])
            row[0] += 1
            row[1] += g.end - g.start
            row[2] += c
    return {
        "min_words": min_words,
        "gold_spans": n,
        "touched": touched / n if n else 0.0,
        "chars_covered": covered / chars if chars else 0.0,
        "per_technique": {
            t: {"gold_spans": r[0], "chars_covered": r[2] / r[1] if r[1] else 0.0}
            for t, r in sorted(per.items())
        },
    }


def evaluate_docs(model: Model, docs: list[Document]) -> dict[str, Any]:
    with blas_single_thread():
        return _evaluate_docs(model, docs)


def _evaluate_docs(model: Model, docs: list[Document]) -> dict[str, Any]:
    """Scores at the model's default operating point (``balanced``), the SI scores at each of
    its operating points, and the calibration of both span probabilities over every span the
    model proposes (``min_score`` 0)."""
    gold_si, gold_tc = gold_spans(docs)
    points = dict(model.operating_points)
    default = points.get("balanced")
    every: dict[str, list[Span]] = {}
    pred_tc: dict[str, list[tuple[int, int, str]]] = {}
    cal = CalibrationData()
    for d in docs:
        spans = model.process(d.text, [], min_score=0.0 if points else None).spans
        every[d.id] = spans
        cal.add(spans, gold_si[d.id], gold_tc[d.id])
        offsets = [(s.start, s.end) for s in d.spans]
        labels = model.classify(d.text, offsets) if offsets else []
        pred_tc[d.id] = [(s, e, t) for (s, e), (t, _p) in zip(offsets, labels, strict=True)]

    def shown(m: float | None) -> dict[str, list[Span]]:
        return {a: [s for s in v if m is None or s.score >= m] for a, v in every.items()}

    chosen = shown(default)
    pred_si = {a: [(s.start, s.end) for s in v] for a, v in chosen.items()}
    pred_full = {a: [(s.start, s.end, s.technique) for s in v] for a, v in chosen.items()}
    si = si_score(pred_si, gold_si)
    tc = tc_score(pred_tc, gold_tc)
    full, full_per = full_score(pred_full, gold_tc)
    support = {t: 0 for t in LABELS}
    for g, _p in tc.pairs:
        support[g] = support.get(g, 0) + 1
    per: dict[str, Any] = {}
    for t in LABELS:
        tcp = tc.per_technique.get(t)
        fp = full_per.get(t)
        per[t] = {
            "support": support.get(t, 0),
            "tc_precision": tcp.precision if tcp else 0.0,
            "tc_recall": tcp.recall if tcp else 0.0,
            "tc_f1": tcp.f1 if tcp else 0.0,
            "full_precision": fp.precision if fp else 0.0,
            "full_recall": fp.recall if fp else 0.0,
            "full_f1": fp.f1 if fp else 0.0,
        }
    long_spans = coverage(docs, pred_si, min_words=LONG_SPAN_WORDS)
    operating = {}
    for name, m in points.items():
        sel = shown(m)
        r = si_score({a: [(s.start, s.end) for s in v] for a, v in sel.items()}, gold_si)
        f = full_score(
            {a: [(s.start, s.end, s.technique) for s in v] for a, v in sel.items()}, gold_tc
        )[0]
        operating[name] = {
            "min_score": m,
            **r.to_dict(),
            "full_f1": f.f1,
            "spans": sum(len(v) for v in sel.values()),
        }
    return {
        "model": {"name": model.info.name, "version": model.info.version},
        "articles": len(docs),
        "gold_spans": sum(len(v) for v in gold_tc.values()),
        "predicted_spans": sum(len(v) for v in pred_full.values()),
        "min_score": default,
        "si": si.to_dict(),
        "tc": {"micro_f1": tc.micro_f1, "correct": tc.correct, "total": tc.total},
        "full": full.to_dict(),
        "per_technique": per,
        "operating_points": operating,
        "long_spans": long_spans,
        "all_spans": coverage(docs, pred_si),
        "calibration": {
            "span": _calibration(cal.p_span, cal.y_span),
            "technique": _calibration(cal.p_tech, cal.y_tech),
        },
    }


def read_gold_split(data: Path, split: str) -> list[Document]:
    """A PTC split with its gold labels; a split without any (``test``, or a folder of articles
    alone) is E060: scored against nothing, every prediction would look right or wrong."""
    docs = read_split(data, split)
    if not any(d.spans for d in docs):
        tc_folder = data / f"{split}-labels-task-flc-tc"
        tc_file = data / f"{split}-task-flc-tc.labels"
        where = tc_folder if tc_folder.is_dir() else tc_file if tc_file.exists() else None
        found = (
            f"{where.name} holds no label"
            if where is not None
            else f"neither {tc_folder.name}/ nor {tc_file.name} is there"
        )
        raise PropscopeError(
            Code.NO_LABELS,
            f"split {split!r} has no gold technique labels to score against ({found}); "
            "eval needs a labelled split such as dev or train "
            "(ptc-predict writes predictions for an unlabelled one)",
            path=str(data),
        )
    return docs


def evaluate(model: Model, data: Path, split: str = "dev") -> dict[str, Any]:
    return evaluate_docs(model, read_gold_split(data, split))


def evaluate_claims(model: Model, rows: list[LabelledSentence]) -> dict[str, Any]:
    """Precision, recall and F1 of the positive (check-worthy) class, each row scored alone as
    one sentence; a row is predicted check-worthy when its score reaches the model's threshold."""
    threshold = model.claim_threshold
    if threshold is None:
        raise PropscopeError(
            Code.BAD_MODEL, f"model {model.info.name} has no check-worthiness head"
        )
    tp = fp = fn = 0
    with blas_single_thread():
        all_scores = model.claim_scores([r.text for r in rows]) or [-1.0] * len(rows)
        for r, score in zip(rows, all_scores, strict=True):
            pred = score >= threshold
            tp += int(pred and r.label)
            fp += int(pred and not r.label)
            fn += int(r.label and not pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    return {
        "model": {"name": model.info.name, "version": model.info.version},
        "sentences": len(rows),
        "positives": tp + fn,
        "threshold": threshold,
        "precision": p,
        "recall": rec,
        "f1": f1,
    }


def roc_auc(scores: NDArray[np.float64], labels: NDArray[np.bool_]) -> float:
    """Area under the ROC curve (the probability that a positive outranks a negative)."""
    pos, neg = scores[labels], scores[~labels]
    if len(pos) == 0 or len(neg) == 0:
        return 0.0
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order), dtype=np.float64)
    ranks[order] = np.arange(1, len(order) + 1)
    # average ranks of ties
    allv = np.concatenate([pos, neg])
    for v in np.unique(allv):
        m = allv == v
        if m.sum() > 1:
            ranks[m] = ranks[m].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def evaluate_sentences(
    model: Model, docs: list[Document], threshold: float = 0.5
) -> dict[str, Any]:
    """Sentence propaganda scores against the PTC gold: a sentence is positive when a gold span
    overlaps it. Reports ROC AUC and precision/recall/F1 at ``threshold``."""
    from propscope.segment.sentences import split_sentences

    scores: list[float] = []
    gold: list[bool] = []
    with blas_single_thread():
        for d in docs:
            sents = split_sentences(d.text)
            scores.extend(model.process(d.text, sents).sentence_scores)
            gold.extend(any(g.start < e and b < g.end for g in d.spans) for b, e in sents)
    s, g = np.asarray(scores, dtype=np.float64), np.asarray(gold, dtype=bool)
    pred = s >= threshold
    tp = float((pred & g).sum())
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(g.sum()))
    return {
        "sentences": len(s),
        "positives": int(g.sum()),
        "roc_auc": roc_auc(s, g),
        "threshold": threshold,
        "precision": p,
        "recall": r,
        "f1": 0.0 if p + r == 0 else 2 * p * r / (p + r),
    }
