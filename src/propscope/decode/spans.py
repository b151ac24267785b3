"""Turn block scores into character spans of the original text: the one decoder.

``decode_block`` (token scores -> runs -> techniques -> candidates) and ``calibrate``
(candidates -> spans with a confidence) are all the runtime, tuning, training's per-epoch
evaluation and the ensemble benchmark use, so tuning sweeps exactly the shipped decoder.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscope.infer.heads import softmax
from propscope.infer.scores import BlockScores
from propscope.segment.windows import LINE_BREAK, LINE_BREAKS
from propscope.types import Span

_TRIM = " \t\u00a0\ufeff.,:;" + LINE_BREAKS


EXTEND_MODES = ("clause", "sentence")


@dataclass(frozen=True)
class DecoderConfig:
    threshold: float = 0.5  # P(B)+P(I) above which a token is inside a span
    begin_threshold: float = 0.5  # P(B) above which an inside token starts a new span
    max_gap: int = 0  # join runs separated by at most this many tokens
    min_chars: int = 2  # drop spans shorter than this
    second_label: float = 1.1  # add a second technique when its probability exceeds this
    temperature: float = 1.0  # TC calibration temperature: P(technique | span)
    # P(span) = sigmoid(span_a * logit(mean P(inside)) + span_b * log(characters) + span_c):
    # the calibrated probability that the text is (part of) a persuasion span
    span_a: float = 1.0
    span_b: float = 0.0
    span_c: float = 0.0
    min_score: float = 0.0  # spans with a lower P(span) are not returned
    # technique -> "clause" or "sentence": its spans grow to the clause or sentence around them
    extend: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DecoderConfig:
        names = {f.name for f in fields(cls)}
        out = {k: v for k, v in d.items() if k in names}
        out["extend"] = dict(out.get("extend") or {})
        bad = {t: m for t, m in out["extend"].items() if m not in EXTEND_MODES}
        if bad:
            raise ValueError(f"unknown extend mode(s) {bad}: choose from {EXTEND_MODES}")
        return cls(**out)


def span_probability(cfg: DecoderConfig, p_inside: float, chars: int) -> float:
    """Calibrated probability that a predicted span's text is (part of) a persuasion span."""
    p = min(max(p_inside, 1e-6), 1 - 1e-6)
    z = cfg.span_a * math.log(p / (1 - p)) + cfg.span_b * math.log(max(chars, 1)) + cfg.span_c
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
        # a span never crosses a line break, whichever (PTC has one sentence per line)
        pos = s0
        for piece in LINE_BREAK.split(text[s0:e0]):
            s, e = trim(text, pos, pos + len(piece))
            pos += len(piece) + 1
            if e - s < cfg.min_chars:
                continue
            toks = (offsets[a : b + 1, 0] < e) & (offsets[a : b + 1, 1] > s)
            p = float(p_in[a : b + 1][toks].mean()) if toks.any() else float(p_in[a : b + 1].mean())
            out.append((s, e, p))
    return out


_SENTENCE_END = ".!?…"
_CLAUSE_MARKS = ',;:()[]"“”—–'
_REACH = 400  # characters an extension may look back or ahead


def extend_span(text: str, start: int, end: int, mode: str) -> tuple[int, int]:
    """``[start, end)`` grown to the clause (``"clause"``: up to , ; : brackets, quotes or
    dashes) or sentence around it, never across a line break or sentence end, trimmed."""
    marks = _CLAUSE_MARKS if mode == "clause" else ""
    lo = start
    floor = max(0, start - _REACH)
    while lo > floor:
        c = text[lo - 1]
        if c in LINE_BREAKS or c in marks:
            break
        if c.isspace() and lo >= 2 and text[lo - 2] in _SENTENCE_END:
            break
        lo -= 1
    hi = end
    ceil = min(len(text), end + _REACH)
    while hi < ceil:
        c = text[hi]
        if c in LINE_BREAKS or c in marks:
            break
        hi += 1
        if c in _SENTENCE_END and (hi == len(text) or text[hi].isspace()):
            break
    s, e = trim(text, min(lo, start), max(hi, end))
    return (s, e) if e > s else (start, end)


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


def extend_candidates(text: str, cands: list[Candidate], cfg: DecoderConfig) -> list[Candidate]:
    """Candidates of the techniques in ``cfg.extend`` grown to their clause or sentence."""
    if not cfg.extend:
        return cands
    out = []
    for c in cands:
        mode = cfg.extend.get(c.technique)
        if mode is not None:
            s, e = extend_span(text, c.start, c.end, mode)
            c = replace(c, start=s, end=e)
        out.append(c)
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
    return extend_candidates(text, label_runs(runs, technique_probs(logits, cfg), labels, cfg), cfg)


def calibrate(candidates: Sequence[Candidate], cfg: DecoderConfig) -> list[Span]:
    """Spans with their two calibrated probabilities: ``score``, that the text is a persuasion
    span (``span_probability``), and ``technique_score``, that it uses this technique if it is
    one; spans with a ``score`` below ``cfg.min_score`` are left out."""
    out = []
    for c in candidates:
        p = span_probability(cfg, c.p_inside, c.end - c.start)
        if p >= cfg.min_score:
            out.append(Span(c.start, c.end, c.technique, p, technique_score=c.p_technique))
    return out
