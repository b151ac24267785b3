"""Hand-made span features shared by training and inference (repetition counts, length)."""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray

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
