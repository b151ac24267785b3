"""Turn block scores into character spans of the original text: the one decoder.

``decode_block`` (token scores -> runs -> techniques -> candidates) and ``calibrate``
(candidates -> spans with a confidence) are all the runtime, tuning, training's per-epoch
evaluation and the ensemble benchmark use, so tuning sweeps exactly the shipped decoder.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscope.infer.heads import softmax
from propscope.infer.scores import BlockScores
from propscope.types import Span

_TRIM = " \t\r\n\u00a0\ufeff.,:;"


@dataclass(frozen=True)
class DecoderConfig:
    threshold: float = 0.5  # P(B)+P(I) above which a token is inside a span
    begin_threshold: float = 0.5  # P(B) above which an inside token starts a new span
    max_gap: int = 0  # join runs separated by at most this many tokens
    min_chars: int = 2  # drop spans shorter than this
    second_label: float = 1.1  # add a second technique when its probability exceeds this
    temperature: float = 1.0  # TC calibration temperature
    # span confidence = sigmoid(calib_a * logit(p_inside) + calib_b * log(p_technique) + calib_c)
    calib_a: float = 1.0
    calib_b: float = 0.0
    calib_c: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DecoderConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def confidence(cfg: DecoderConfig, p_inside: float, p_technique: float) -> float:
    """Calibrated probability that a predicted span and its technique are right."""
    p = min(max(p_inside, 1e-6), 1 - 1e-6)
    z = (
        cfg.calib_a * math.log(p / (1 - p))
        + cfg.calib_b * math.log(max(p_technique, 1e-6))
        + cfg.calib_c
    )
    return 1.0 / (1.0 + math.exp(-z))


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a span to whole words (word pieces never cut a word in two)."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    n = len(text)
    while end < n and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    if text.startswith(("'s ", "’s "), start) and start + 3 <= end:
        start += 3  # a possessive left over from the previous word
    elif 1 < start < end and text[start - 1] in "'’" and text[start - 2].isalnum():
        # the tail of a possessive or contraction ("Council's", "don't") cut after its
        # apostrophe: the span starts after that word
        k = start
        while k < end and text[k].isalnum():
            k += 1
        if k < end and text[k].isspace():
            start = k
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def decode_runs(
    p_in: NDArray[np.float32],
    p_begin: NDArray[np.float32],
    offsets: NDArray[np.int64],
    text: str,
    cfg: DecoderConfig,
) -> list[tuple[int, int, float]]:
    """Spans (start, end, mean inside probability) from token probabilities."""
    inside = p_in > cfg.threshold
    runs: list[list[int]] = []
    last_in = -(10**9)
    for i in map(int, np.flatnonzero(inside)):
        new = not runs or i - last_in > cfg.max_gap + 1
        if not new and i == last_in + 1 and p_begin[i] > cfg.begin_threshold:
            new = True
        if new:
            runs.append([i, i])
        else:
            runs[-1][1] = i
        last_in = i
    out: list[tuple[int, int, float]] = []
    for a, b in runs:
        s0, e0 = _word_bounds(text, int(offsets[a, 0]), int(offsets[b, 1]))
        # a span never crosses a line break (PTC has one sentence per line)
        pos = s0
        for piece in text[s0:e0].split("\n"):
            s, e = trim(text, pos, pos + len(piece))
            pos += len(piece) + 1
            if e - s < cfg.min_chars:
                continue
            toks = (offsets[a : b + 1, 0] < e) & (offsets[a : b + 1, 1] > s)
            p = float(p_in[a : b + 1][toks].mean()) if toks.any() else float(p_in[a : b + 1].mean())
            out.append((s, e, p))
    return out


@dataclass(frozen=True)
class Candidate:
    """A decoded span and technique before calibration: the mean probability that its tokens
    are inside a span, and the technique's probability (after the temperature)."""

    start: int
    end: int
    technique: str
    p_inside: float
    p_technique: float


TechniqueLogits = Callable[[BlockScores, str, Sequence[tuple[int, int]]], NDArray[np.float32]]


def label_runs(
    runs: list[tuple[int, int, float]],
    probs: NDArray[np.float32],
    labels: Sequence[str],
    cfg: DecoderConfig,
) -> list[Candidate]:
    """Each run with its best technique, and with its second best where that one's
    probability exceeds ``cfg.second_label``."""
    out: list[Candidate] = []
    for (s, e, p), row in zip(runs, probs, strict=True):
        order = np.argsort(-row)
        for rank, j in enumerate(order[:2]):
            if rank == 1 and row[j] <= cfg.second_label:
                break
            out.append(Candidate(s, e, labels[int(j)], p, float(row[j])))
    return out


def technique_probs(logits: NDArray[np.float32], cfg: DecoderConfig) -> NDArray[np.float32]:
    """The span classifier's logits -> technique probabilities, with the calibration temperature."""
    return softmax(logits / cfg.temperature)


def decode_block(
    scores: BlockScores,
    text: str,
    cfg: DecoderConfig,
    labels: Sequence[str],
    technique_logits: TechniqueLogits,
) -> list[Candidate]:
    """The decoder: one block's token scores -> candidate spans with their techniques.

    Runs of tokens inside a span (``decode_runs``) are classified by ``technique_logits`` (the
    span classifier) and labelled (``label_runs``); ``calibrate`` then turns them into spans."""
    runs = decode_runs(scores.p_inside, scores.probs[:, 1], scores.offsets, text, cfg)
    if not runs:
        return []
    logits = technique_logits(scores, text, [(s, e) for s, e, _ in runs])
    return label_runs(runs, technique_probs(logits, cfg), labels, cfg)


def calibrate(candidates: Sequence[Candidate], cfg: DecoderConfig) -> list[Span]:
    """Spans with their calibrated confidence (``confidence``)."""
    return [
        Span(c.start, c.end, c.technique, confidence(cfg, c.p_inside, c.p_technique))
        for c in candidates
    ]
