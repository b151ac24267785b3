"""Features of spans and sentences for the two heads, shared by training and inference."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from propscope.infer.encoder import FArr
from propscope.infer.scores import BlockScores, tokens_in
from propscope.segment.windows import BLOCK_CHARS, StartIndex, blocks

N_EXTRA = 4


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def span_extras(
    text: str, spans: Sequence[tuple[int, int]], start: int = 0, end: int | None = None
) -> NDArray[np.float32]:
    """Per span: log count of its text in the block ``text[start:end]`` (default: the whole
    text), repeated (>=2), count >= 3, log length. The block is widened to hold every span
    given, so a span always counts itself. Only the block is read: the cost of a block does
    not grow with the text around it."""
    end = len(text) if end is None else end
    if spans:
        start = min(start, min(s for s, _ in spans))
        end = max(end, max(e for _, e in spans))
    low = _norm(text[start:end])
    out = np.zeros((len(spans), N_EXTRA), dtype=np.float32)
    cache: dict[str, int] = {}
    for i, (s, e) in enumerate(spans):
        frag = _norm(text[s:e])
        if frag not in cache:
            cache[frag] = low.count(frag) if frag else 0
        c = cache[frag]
        out[i] = (np.log1p(c), float(c >= 2), float(c >= 3), np.log1p(len(frag)) / 5.0)
    return out


def block_span_extras(
    text: str, spans: Sequence[tuple[int, int]], block_chars: int = BLOCK_CHARS
) -> NDArray[np.float32]:
    """``span_extras`` of each span as the runtime computes them: counted in the block
    (``segment.windows.blocks``) that holds the span's start (for training, which reads
    whole documents)."""
    out = np.zeros((len(spans), N_EXTRA), dtype=np.float32)
    starting = StartIndex(spans)
    for bs, be in blocks(text, block_chars):
        mine = starting(bs, be)
        if mine:
            out[mine] = span_extras(text, [spans[i] for i in mine], bs, be)
    return out


def span_features(scores: BlockScores, text: str, spans: Sequence[tuple[int, int]]) -> FArr:
    """[mean, first, last, [CLS], extras] of each span's tokens; the layout the trainer uses
    (zeros where a span has no token in the block). The extras count in the block only."""
    h = scores.hidden.shape[1]
    feats = np.zeros((len(spans), 4 * h), dtype=np.float32)
    for i, (s, e) in enumerate(spans):
        idx = np.flatnonzero(tokens_in(scores, s, e))
        if idx.size == 0:
            continue
        hs = scores.hidden[idx]
        feats[i] = np.concatenate([hs.mean(0), hs[0], hs[-1], scores.cls[idx[0]]])
    extras = span_extras(text, spans, scores.start, scores.end)
    return np.concatenate([feats, extras], axis=1)


def sentence_features(scores: BlockScores, sentences: Sequence[tuple[int, int]]) -> FArr:
    """[mean, max] of the hidden states of each sentence's tokens (zeros where it has none)."""
    h = scores.hidden.shape[1]
    feats = np.zeros((len(sentences), 2 * h), dtype=np.float32)
    for i, (s, e) in enumerate(sentences):
        idx = np.flatnonzero(tokens_in(scores, s, e))
        if idx.size:
            hs = scores.hidden[idx]
            feats[i] = np.concatenate([hs.mean(0), hs.max(0)])
    return feats
