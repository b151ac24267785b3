"""numpy's BLAS runs on one thread while propscope analyses, and as before outside."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import propscope
from propscope.detector import DetectorModel
from propscope.infer.threads import blas_single_thread

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model"


def _blas_threads() -> list[int]:
    return [int(i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"]


def test_limit_holds_inside_and_is_restored() -> None:
    np.ones((4, 4)) @ np.ones((4, 4))  # BLAS loaded
    before = _blas_threads()
    if not before:
        pytest.skip("numpy reports no BLAS library to limit")
    with blas_single_thread():
        assert _blas_threads() == [1] * len(before)
        with blas_single_thread():  # nested use is fine
            assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before


def test_analysis_runs_with_one_blas_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = propscope.load(FIXTURE)
    model = nlp.model
    assert isinstance(model, DetectorModel)
    seen: list[list[int]] = []
    encoder = model.scorer.encoder
    run = encoder.run

    def spy(ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        seen.append(_blas_threads())
        return run(ids, mask)

    monkeypatch.setattr(encoder, "run", spy)
    before = _blas_threads()
    nlp.analyze("They are evil thugs. A calm line here.")
    list(nlp.pipe(["They are evil thugs.", ("b", "A calm line here.")]))
    assert seen and all(set(s) <= {1} for s in seen)
    assert _blas_threads() == before  # lifted once the analyses are done
