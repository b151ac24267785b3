"""Features of spans and sentences for the two heads, shared by training and inference."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from propscope.infer.encoder import FArr
from propscope.infer.scores import BlockScores, tokens_in

N_EXTRA = 4


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def span_extras(text: str, spans: list[tuple[int, int]]) -> NDArray[np.float32]:
    """Per span: log count of its text in the article, repeated (>=2), count >= 3, log length."""
    low = _norm(text)
    out = np.zeros((len(spans), N_EXTRA), dtype=np.float32)
    cache: dict[str, int] = {}
    for i, (s, e) in enumerate(spans):
        frag = _norm(text[s:e])
        if frag not in cache:
            cache[frag] = low.count(frag) if frag else 0
        c = cache[frag]
        out[i] = (np.log1p(c), float(c >= 2), float(c >= 3), np.log1p(len(frag)) / 5.0)
    return out


def span_features(scores: BlockScores, text: str, spans: Sequence[tuple[int, int]]) -> FArr:
    """[mean, first, last, [CLS], extras] of each span's tokens; the layout the trainer uses
    (zeros where a span has no token in the block)."""
    h = scores.hidden.shape[1]
    feats = np.zeros((len(spans), 4 * h), dtype=np.float32)
    for i, (s, e) in enumerate(spans):
        idx = np.flatnonzero(tokens_in(scores, s, e))
        if idx.size == 0:
            continue
        hs = scores.hidden[idx]
        feats[i] = np.concatenate([hs.mean(0), hs[0], hs[-1], scores.cls[idx[0]]])
    return np.concatenate([feats, span_extras(text, list(spans))], axis=1)


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
