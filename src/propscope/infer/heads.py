"""The two small heads on the encoder's hidden states, in numpy, with one weight format.

Both the span classifier (``tc_head.npz``: span features -> technique logits) and the
check-worthiness head (``claims_head.npz``: sentence features -> one logit) are
``gelu(x @ w1 + b1) @ w2 + b2`` with the tanh approximation of GELU, stored as float32 arrays
``w1`` (in, hidden), ``b1`` (hidden), ``w2`` (hidden, out), ``b2`` (out).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

FArr = NDArray[np.float32]
KEYS = ("w1", "b1", "w2", "b2")


def softmax(x: NDArray[np.floating[Any]], axis: int = -1) -> FArr:
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    out: FArr = (e / e.sum(axis=axis, keepdims=True)).astype(np.float32)
    return out


def sigmoid(z: np.floating[Any] | float) -> float:
    """1 / (1 + e^-z), in the precision of ``z`` (float32 for a head's output). For z below
    about -88 e^-z overflows float32 to inf and the result is 0.0, as it should be: numpy's
    overflow warning is silenced, not the value changed."""
    with np.errstate(over="ignore"):
        return float(1.0 / (1.0 + np.exp(-z)))


def sigmoids(z: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """1 / (1 + e^-z) of each value, in float64, with z clipped to [-60, 60] so that nothing
    overflows (the claims model's calibrated scores and its Platt fit)."""
    out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(np.asarray(z, np.float64), -60, 60)))
    return out


def gelu(x: FArr) -> FArr:
    out: FArr = (0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))).astype(
        np.float32, copy=False
    )
    return out


@dataclass(frozen=True)
class MlpHead:
    w1: FArr
    b1: FArr
    w2: FArr
    b2: FArr

    def __call__(self, feats: FArr) -> FArr:
        out: FArr = gelu(feats @ self.w1 + self.b1) @ self.w2 + self.b2
        return out

    @property
    def n_in(self) -> int:
        return int(self.w1.shape[0])

    @property
    def n_out(self) -> int:
        return int(self.w2.shape[1])

    @classmethod
    def of(cls, **arrays: Any) -> MlpHead:
        return cls(*(np.asarray(arrays[k], dtype=np.float32) for k in KEYS))

    @classmethod
    def load(cls, path: Path) -> MlpHead:
        with np.load(path) as z:
            missing = [k for k in KEYS if k not in z.files]
            if missing:
                raise ValueError(f"{path.name} lacks {', '.join(missing)}")
            return cls.of(**{k: z[k] for k in KEYS})

    def save(self, path: Path) -> None:
        np.savez(path, w1=self.w1, b1=self.b1, w2=self.w2, b2=self.b2)
