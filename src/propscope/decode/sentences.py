"""Block scores -> sentence scores: how likely a sentence holds a technique span."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

from propscope.infer.scores import BlockScores, tokens_in
from propscope.types import Span


def sentence_score(scores: BlockScores, start: int, end: int) -> float:
    """The highest probability that one of the sentence's tokens is inside a technique span
    (0 where the sentence has no token)."""
    idx = tokens_in(scores, start, end)
    return float(scores.p_inside[idx].max()) if idx.any() else 0.0


def overlap_scores(spans: Sequence[Span], sentences: Sequence[tuple[int, int]]) -> list[float]:
    """1.0 for a sentence that a span overlaps, else 0.0 (for models without token scores);
    O((n + m) log n) for n spans and m sentences."""
    ordered = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    max_end = list(accumulate((s.end for s in ordered), max))
    out = []
    for b, e in sentences:
        k = bisect_left(starts, e)  # spans [0, k) start before the sentence ends
        out.append(float(k > 0 and max_end[k - 1] > b))
    return out
