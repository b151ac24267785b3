"""ONNX Runtime owns the cores: numpy's BLAS runs on one thread while propscope analyses.

OpenBLAS keeps its worker threads spinning for a while after each call. On a machine with few
cores they take the cores from ONNX Runtime's own thread pool: on this project's 2-core machine
``process`` over PTC dev ran at 6,244 words/s with BLAS on two threads and 10,335 with
BLAS on one. The matrices numpy multiplies here (span and claim heads) are small, so one BLAS
thread costs nothing. The limit holds inside ``blas_single_thread()`` only; the caller's own
numpy is left as it was outside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_controller: Any = None


@contextmanager
def blas_single_thread() -> Iterator[None]:
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield
