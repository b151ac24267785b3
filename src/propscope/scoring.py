"""The SemEval-2020 Task 11 metrics, written from the formulas of the official scorers.

* SI: spans are sets of character indices. Overlapping spans within an article are merged
  (gold always; submissions too, like the official ``-m`` flag). With S submitted and T gold
  spans, pairs counted only within one article::

      P = 1/|S| * sum_s sum_t |s & t| / |s|
      R = 1/|T| * sum_s sum_t |s & t| / |t|

* TC: micro-F1 (= accuracy) over gold spans, each carrying one prediction; where one span has
  several gold techniques, predictions are paired to maximise matches.
* Full task: the SI formula computed per technique (spans of one technique merged with each
  other) and pooled, so overlap only counts where the techniques agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from propscope.errors import Code, PropscopeError
from propscope.techniques import LABELS

Interval = tuple[int, int]
Labelled = tuple[int, int, str]


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def f1_of(p: float, r: float) -> float:
    return 0.0 if p <= 0 or r <= 0 else 2 * p * r / (p + r)


def merge_intervals(spans: Iterable[Interval]) -> list[Interval]:
    """Merge spans that share at least one character (touching spans stay apart)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _overlap_sums(pred: list[Interval], gold: list[Interval]) -> tuple[float, float]:
    """(sum over s,t of |s&t|/|s|, sum of |s&t|/|t|) for merged, sorted span lists."""
    p_sum = r_sum = 0.0
    j0 = 0
    for s0, s1 in pred:
        while j0 < len(gold) and gold[j0][1] <= s0:
            j0 += 1
        j = j0
        while j < len(gold) and gold[j][0] < s1:
            inter = min(s1, gold[j][1]) - max(s0, gold[j][0])
            if inter > 0:
                p_sum += inter / (s1 - s0)
                r_sum += inter / (gold[j][1] - gold[j][0])
            j += 1
    return p_sum, r_sum


def si_score(pred: Mapping[str, Iterable[Interval]], gold: Mapping[str, Iterable[Interval]]) -> PRF:
    """Span identification score; ``gold`` must hold every article of the split."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    gold_m = {a: merge_intervals(g) for a, g in gold.items()}
    n_gold = sum(len(g) for g in gold_m.values())
    for aid, spans in pred.items():
        p = merge_intervals(spans)
        n_pred += len(p)
        ps, rs = _overlap_sums(p, gold_m.get(aid, []))
        p_sum += ps
        r_sum += rs
    if n_pred == 0 and n_gold == 0:
        return PRF(1.0, 1.0, 1.0)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    return PRF(precision, recall, f1_of(precision, recall))


def full_score(
    pred: Mapping[str, Iterable[Labelled]], gold: Mapping[str, Iterable[Labelled]]
) -> tuple[PRF, dict[str, PRF]]:
    """Span + technique: the SI formula per technique, pooled (and per technique)."""

    def by_tech(data: Mapping[str, Iterable[Labelled]]) -> dict[str, dict[str, list[Interval]]]:
        out: dict[str, dict[str, list[Interval]]] = defaultdict(lambda: defaultdict(list))
        for aid, spans in data.items():
            for s, e, t in spans:
                out[t][aid].append((s, e))
        return out

    p_t, g_t = by_tech(pred), by_tech(gold)
    tot_p = tot_r = 0.0
    tot_np = tot_ng = 0
    per: dict[str, PRF] = {}
    for tech in sorted(set(p_t) | set(g_t) | set(LABELS)):
        ps_t = rs_t = 0.0
        np_t = ng_t = 0
        gm = {a: merge_intervals(v) for a, v in g_t.get(tech, {}).items()}
        ng_t = sum(len(v) for v in gm.values())
        for aid, spans in p_t.get(tech, {}).items():
            pm = merge_intervals(spans)
            np_t += len(pm)
            a, b = _overlap_sums(pm, gm.get(aid, []))
            ps_t += a
            rs_t += b
        prec = ps_t / np_t if np_t else 0.0
        rec = rs_t / ng_t if ng_t else 0.0
        if np_t or ng_t:
            per[tech] = PRF(prec, rec, f1_of(prec, rec))
        tot_p += ps_t
        tot_r += rs_t
        tot_np += np_t
        tot_ng += ng_t
    if tot_np == 0 and tot_ng == 0:
        return PRF(1.0, 1.0, 1.0), per
    precision = tot_p / tot_np if tot_np else 0.0
    recall = tot_r / tot_ng if tot_ng else 0.0
    return PRF(precision, recall, f1_of(precision, recall)), per


@dataclass(frozen=True)
class TCResult:
    micro_f1: float
    correct: int
    total: int
    per_technique: dict[str, PRF]
    pairs: list[tuple[str, str]]  # (gold, predicted)


def tc_score(
    pred: Mapping[str, Iterable[Labelled]], gold: Mapping[str, Iterable[Labelled]]
) -> TCResult:
    """Technique classification on the gold spans.

    Predictions must cover exactly the gold spans (same offsets, same count per article).
    """
    pairs: list[tuple[str, str]] = []
    for aid in sorted(set(gold) | set(pred)):
        g_by: dict[Interval, Counter[str]] = defaultdict(Counter)
        p_by: dict[Interval, Counter[str]] = defaultdict(Counter)
        for s, e, t in gold.get(aid, []):
            g_by[(s, e)][t] += 1
        for s, e, t in pred.get(aid, []):
            p_by[(s, e)][t] += 1
        for key in set(g_by) | set(p_by):
            ng, npred = sum(g_by[key].values()), sum(p_by[key].values())
            if ng != npred:
                raise PropscopeError(
                    Code.TEMPLATE_MISMATCH,
                    f"article {aid}, span {key[0]}..{key[1]}: {ng} gold label(s) but "
                    f"{npred} prediction(s); TC predictions must match the gold spans",
                )
            both = g_by[key] & p_by[key]
            for t, n in both.items():
                pairs.extend([(t, t)] * n)
            rest_g = list((g_by[key] - both).elements())
            rest_p = list((p_by[key] - both).elements())
            pairs.extend(zip(sorted(rest_g), sorted(rest_p), strict=True))
    total = len(pairs)
    correct = sum(1 for g, p in pairs if g == p)
    per: dict[str, PRF] = {}
    for tech in sorted({g for g, _ in pairs} | {p for _, p in pairs}):
        tp = sum(1 for g, p in pairs if g == tech and p == tech)
        n_pred = sum(1 for _, p in pairs if p == tech)
        n_gold = sum(1 for g, _ in pairs if g == tech)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        per[tech] = PRF(prec, rec, f1_of(prec, rec))
    return TCResult(correct / total if total else 1.0, correct, total, per, pairs)
