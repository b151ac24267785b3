"""Fixtures of the web tests: apps on fast models, live servers, and Debian's chromium.

* ``make_app`` builds ``create_app`` on the ``builtin:lexicon`` model (spans, no claims), loaded
  once per session; ``tiny_pipeline`` is the checked-in tiny ONNX model, which lists every
  sentence as a claim.
* ``live_server`` / ``tiny_server``: uvicorn in a background thread on a free 127.0.0.1 port.
* Browser tests need /usr/bin/chromium (Debian's package; never a downloaded browser). Without
  it they skip, saying why, unless ``PROPSCOPE_REQUIRE_SYSTEM=1`` (CI), where they fail: the
  logic is in :func:`system_chromium`, used by the launch-arguments fixture.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import TINY, LiveServer, start_server, stop_server

from propscope.pipeline import Pipeline, load
from propscope.web import Settings, create_app

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_ENV = "PROPSCOPE_REQUIRE_SYSTEM"


def system_chromium() -> Path:
    """Debian's chromium, or skip (fail where PROPSCOPE_REQUIRE_SYSTEM=1) saying why."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = (
        f"{CHROMIUM} not found: install Debian's chromium "
        "(apt-get install -y --no-install-recommends chromium) to run the browser tests"
    )
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
    print(f"\nskipping browser test: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _no_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test, never from the developer's environment."""
    for name in Settings.model_fields:
        monkeypatch.delenv(f"PROPSCOPE_{name.upper()}", raising=False)


@pytest.fixture(scope="session")
def lexicon_pipeline() -> Pipeline:
    return load("builtin:lexicon")


@pytest.fixture(scope="session")
def tiny_pipeline() -> Pipeline:
    pipeline = load(str(TINY))
    pipeline.analyze("Warm up. The council met on 3 May.")
    return pipeline


MakeApp = Callable[..., FastAPI]


@pytest.fixture
def make_app(lexicon_pipeline: Pipeline) -> MakeApp:
    """``make_app(**settings)``: an app on the lexicon model (or ``pipeline=...``)."""

    def make(pipeline: Pipeline | None = None, **settings: Any) -> FastAPI:
        settings.setdefault("model", "builtin:lexicon")
        return create_app(Settings(**settings), pipeline=pipeline or lexicon_pipeline)

    return make


@pytest.fixture
def client(make_app: MakeApp) -> Iterator[TestClient]:
    with TestClient(make_app()) as c:
        yield c


@pytest.fixture(scope="session")
def live_server(lexicon_pipeline: Pipeline) -> Iterator[LiveServer]:
    """The page and API on builtin:lexicon."""
    live = start_server(create_app(Settings(model="builtin:lexicon"), pipeline=lexicon_pipeline))
    yield live
    stop_server(live)


@pytest.fixture(scope="session")
def tiny_server(tiny_pipeline: Pipeline) -> Iterator[LiveServer]:
    """The page and API on the tiny ONNX fixture (every sentence is a claim)."""
    live = start_server(create_app(Settings(model=str(TINY)), pipeline=tiny_pipeline))
    yield live
    stop_server(live)


# --- pytest-playwright: Debian's chromium, no downloaded browser, no network ---

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(system_chromium()),
        "args": ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}
