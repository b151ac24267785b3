"""The check-worthiness model: a small fine-tuned encoder (``claims.onnx``) that reads one
sentence at a time and gives the probability that it states a check-worthy fact.

Sentences are scored on their own (no surrounding text), as the training sets label them. The
logit of the ONNX graph is calibrated by Platt scaling (``p = sigmoid(a * z + b)``, fitted on
held-out sentences: ``training/cw_ship.py``), so ``claims[].score`` is a probability in the
sense of the CT24 annotators: "a check-worthy factual claim".

Each sentence goes through its own encoder call: int8 dynamic quantization scales a call's
activations together, so in a batch a sentence's score would depend on the other sentences of
the article (measured: one sentence per call costs no more than batches of similar length,
since nothing is padded). ``threads`` calls run at once, each on one ONNX Runtime thread
without spinning, as the detector's windows do (``infer/encoder.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscope.infer.encoder import default_threads, one_thread_session
from propscope.infer.heads import sigmoids
from propscope.infer.tokenize import TextTokenizer


def calibrate(logits: NDArray[np.floating[Any]], platt: tuple[float, float]) -> NDArray[np.float64]:
    """Platt scaling: ``sigmoid(a * logit + b)`` of each logit."""
    a, b = platt
    return sigmoids(a * np.asarray(logits, np.float64) + b)


class ClaimsModel:
    def __init__(
        self,
        path: Path,
        tokenizer: TextTokenizer,
        *,
        max_tokens: int = 96,
        platt: tuple[float, float] = (1.0, 0.0),
        threads: int | None = None,
    ) -> None:
        self.session = one_thread_session(path)
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        self.platt = platt
        self.threads = threads or default_threads()
        self._pool: ThreadPoolExecutor | None = None

    def ids(self, text: str) -> list[int]:
        """[CLS] + the text's first ``max_tokens - 2`` tokens + [SEP]."""
        body, _ = self.tokenizer.encode(text)
        t = self.tokenizer
        return [t.cls_id, *body[: self.max_tokens - 2].tolist(), t.sep_id]

    def _run(self, seq: list[int]) -> float:
        ids = np.asarray([seq], dtype=np.int64)
        (z,) = self.session.run(["logit"], {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        return float(np.asarray(z).reshape(-1)[0])

    def logits(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """The uncalibrated logit of each text, in order."""
        seqs = [self.ids(t) for t in texts]
        if self.threads > 1 and len(seqs) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="propscope-cw")
            return np.asarray(list(self._pool.map(self._run, seqs)), dtype=np.float32)
        return np.asarray([self._run(s) for s in seqs], dtype=np.float32)

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        """The calibrated probability that each text is check-worthy."""
        return [float(p) for p in calibrate(self.logits(texts), self.platt)]
