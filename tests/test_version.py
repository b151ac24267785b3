"""One version everywhere, from one place: ``src/propscope/version.py``.

pyproject.toml reads it (``dynamic = ["version"]``), so the installed metadata, the CHANGELOG's
newest heading, ``GET /api/v1/health``, the HTML report's generator and the shipped model's
``requires_propscope`` range must all agree with it.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import tomllib
from pathlib import Path

import pytest

import propscope
from propscope.models.folder import version_in_range
from propscope.version import __version__

ROOT = Path(__file__).resolve().parents[1]
VERSION_PY = ROOT / "src" / "propscope" / "version.py"
DEFAULT_META = ROOT / "src" / "propscope" / "models" / "default" / "meta.json"


def test_version_py_is_the_only_literal_source() -> None:
    text = VERSION_PY.read_text(encoding="utf-8")
    (found,) = re.findall(r'^__version__ = "([^"]+)"$', text, flags=re.M)
    assert found == __version__ == propscope.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_pyproject_reads_the_version_from_version_py() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"], "pyproject.toml must not state a version"
    assert "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "propscope.version.__version__"


def test_installed_metadata_agrees() -> None:
    # the editable install (scripts/setup.sh: pip install -e .) takes it from version.py
    assert importlib.metadata.version("propscope") == __version__


def test_changelog_newest_heading_is_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (\S+)(?: \(([^)]*)\))?\s*$", text, flags=re.M)
    assert headings, "CHANGELOG.md has no '## X.Y.Z' heading"
    newest, _note = headings[0]
    assert newest == __version__


def test_health_reports_this_version() -> None:
    from fastapi.testclient import TestClient

    from propscope.pipeline import load
    from propscope.web import Settings, create_app

    settings = Settings(model="builtin:lexicon", executor="thread")
    app = create_app(settings, pipeline=load("builtin:lexicon"))
    with TestClient(app) as client:
        r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json()["version"] == __version__
    assert app.version == __version__  # the OpenAPI document's version


def test_html_report_generator_is_this_version(run_cli, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("They are evil thugs.\n", encoding="utf-8")
    r = run_cli("analyze", article, "--format", "html", "--model", "builtin:lexicon")
    assert r.returncode == 0, r.stderr
    (generator,) = re.findall(r'<meta name="generator" content="propscope ([^"]+)">', r.stdout)
    assert generator == __version__


def test_shipped_model_runs_with_this_version() -> None:
    meta = json.loads(DEFAULT_META.read_text(encoding="utf-8"))
    spec = meta["requires_propscope"]
    assert version_in_range(__version__, spec), f"{__version__} is outside {spec}"
    # the range names this minor series: >=X.Y,<X.(Y+1)
    major, minor, _patch = (int(p) for p in __version__.split("."))
    assert spec == f">={major}.{minor},<{major}.{minor + 1}"


@pytest.mark.parametrize("version", ["0.3.9", "0.5.0"])
def test_the_range_check_rejects_other_series(version: str) -> None:
    meta = json.loads(DEFAULT_META.read_text(encoding="utf-8"))
    assert not version_in_range(version, meta["requires_propscope"])
