"""The encoder seam: token ids and mask in, hidden states and BIO logits out.

Every caller of an encoder (the runtime, tuning, the per-epoch evaluation in training, the
ensemble benchmark) goes through ``Encoder.run``. ``OnnxEncoder`` is the runtime's;
``propscope.training.torch_backend.TorchEncoder`` runs a PyTorch detector ([train] extra);
``AveragingEncoder`` averages the BIO logits of several encoders.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

FArr = NDArray[np.float32]
IArr = NDArray[np.int64]


Batch = tuple[IArr, IArr]


class Encoder(Protocol):
    def run(self, input_ids: IArr, attention_mask: IArr) -> tuple[FArr, FArr]:
        """(batch, seq) ids and mask -> hidden states (batch, seq, H), BIO logits
        (batch, seq, 3)."""
        ...

    def run_many(self, batches: Sequence[Batch]) -> list[tuple[FArr, FArr]]:
        """``run`` on each batch, in order (an encoder may run them concurrently)."""
        ...


def default_threads() -> int:
    """Encoder threads: ``PROPSCOPE_THREADS``, else the usable cores (at most 4)."""
    import os

    env = os.environ.get("PROPSCOPE_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def one_thread_session(path: Path) -> Any:
    """An ONNX Runtime CPU session that runs each call on one thread, without spinning (the
    callers run several calls at once instead)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


class OnnxEncoder:
    """An exported detector encoder in ONNX Runtime, on the CPU.

    The windows of a text are short and independent, so the cores are used by running
    ``threads`` windows at once, each on one ONNX Runtime thread (``session.run`` releases the
    GIL), rather than one window on several threads: ONNX Runtime's threads spin while they
    wait, and on a 2-core machine two spinning threads ran slower than one (issue 11). With one
    intra-op thread and spinning off no thread waits busily."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        self.session = one_thread_session(path)
        self.threads = threads or default_threads()
        self._pool: ThreadPoolExecutor | None = None

    def run(self, input_ids: IArr, attention_mask: IArr) -> tuple[FArr, FArr]:
        hidden, logits = self.session.run(
            ["hidden", "si_logits"], {"input_ids": input_ids, "attention_mask": attention_mask}
        )
        return np.asarray(hidden, dtype=np.float32), np.asarray(logits, dtype=np.float32)

    def run_many(self, batches: Sequence[Batch]) -> list[tuple[FArr, FArr]]:
        if self.threads < 2 or len(batches) < 2:
            return [self.run(*b) for b in batches]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="propscope-onnx")
        return list(self._pool.map(lambda b: self.run(*b), batches))


class AveragingEncoder:
    """Several encoders as one: the BIO logits are averaged, the hidden states (which feed the
    span classifier and the claims head) are those of the first member."""

    def __init__(self, members: Sequence[Encoder]) -> None:
        if not members:
            raise ValueError("an ensemble needs at least one encoder")
        self.members = list(members)

    def run(self, input_ids: IArr, attention_mask: IArr) -> tuple[FArr, FArr]:
        outs = [m.run(input_ids, attention_mask) for m in self.members]
        logits: FArr = np.mean([o[1] for o in outs], axis=0).astype(np.float32)
        return outs[0][0], logits

    def run_many(self, batches: Sequence[Batch]) -> list[tuple[FArr, FArr]]:
        return [self.run(*b) for b in batches]
