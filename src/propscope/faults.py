"""Fault injection for the crash tests: ``PROPSCOPE_FAULT=POINT:N`` kills this process with
SIGKILL the N-th time it reaches ``POINT`` (for example ``write:3``: inside the third
document's transaction, before its commit). Unset, ``reached`` only counts."""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "PROPSCOPE_FAULT"
_seen: Counter[str] = Counter()


def reached(point: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, nth = spec.partition(":")
    if name != point:
        return
    _seen[point] += 1
    if str(_seen[point]) == nth:
        os.kill(os.getpid(), signal.SIGKILL)
