from __future__ import annotations

from pathlib import Path

import pytest

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-model"


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    return TINY
