"""Shared fixtures: a tiny PTC folder written by hand, and a runner for the real CLI.

The tiny folder (``ptc_dir``) holds one split, ``dev``, of four articles:

* ``article1.txt``: three lines; "thugs" carries two gold techniques.
* ``article2.txt``: starts with a BOM (U+FEFF), which counts as character 0.
* ``article3.txt``: its label files exist but are empty.
* ``article4.txt``: has no label files at all.

The offsets below are written out by hand; ``test_ptc.py`` checks each one against the text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

import pg_support
from pg_support import PgServer

ART1 = "Title one\n\nThey are evil thugs.\nA calm line here.\n"
ART2 = "\ufeffBOM title\n\nOur country is great.\n"
ART3 = "Nothing to see.\n"
ART4 = "Plain text only.\n"
ARTICLES = {"1": ART1, "2": ART2, "3": ART3, "4": ART4}

# (article, technique, start, end, expected text)
TC_GOLD = [
    ("1", "Loaded_Language", 20, 24, "evil"),
    ("1", "Name_Calling,Labeling", 25, 30, "thugs"),
    ("1", "Loaded_Language", 25, 30, "thugs"),
    ("2", "Flag-Waving", 12, 23, "Our country"),
]
# The SI gold is the TC gold merged where spans overlap.
SI_GOLD = [("1", 20, 24), ("1", 25, 30), ("2", 12, 23)]


def write_ptc(root: Path, split: str = "dev") -> Path:
    """Write the tiny PTC folder under ``root`` and return ``root``."""
    arts = root / f"{split}-articles"
    tc = root / f"{split}-labels-task-flc-tc"
    si = root / f"{split}-labels-task-si"
    for d in (arts, tc, si):
        d.mkdir(parents=True, exist_ok=True)
    for aid, text in ARTICLES.items():
        # write_bytes: no newline translation, and the BOM is written as-is.
        (arts / f"article{aid}.txt").write_bytes(text.encode("utf-8"))
    for aid in ("1", "2", "3"):  # article4 has no label file
        tc_lines = "".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e, _ in TC_GOLD if a == aid)
        si_lines = "".join(f"{a}\t{s}\t{e}\n" for a, s, e in SI_GOLD if a == aid)
        (tc / f"article{aid}.task-flc-tc.labels").write_text(tc_lines, encoding="utf-8")
        (si / f"article{aid}.task-si.labels").write_text(si_lines, encoding="utf-8")
    return root


@dataclass(frozen=True)
class TinyPTC:
    root: Path
    articles: dict[str, str]
    tc_gold: list[tuple[str, str, int, int, str]]
    si_gold: list[tuple[str, int, int]]

    def article(self, aid: str) -> Path:
        return self.root / "dev-articles" / f"article{aid}.txt"


@pytest.fixture
def ptc_writer() -> Callable[[Path, str], Path]:
    """``write_ptc`` itself, for tests that need a split other than dev."""
    return write_ptc


@pytest.fixture
def ptc(tmp_path: Path) -> TinyPTC:
    """A fresh copy of the tiny PTC folder (split ``dev``) and the gold written into it."""
    root = write_ptc(tmp_path / "ptc")
    return TinyPTC(root, dict(ARTICLES), list(TC_GOLD), list(SI_GOLD))


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run ``python -m propscope.cli.main ARGS`` in a subprocess.

    Every call checks that neither stream holds a Python traceback.
    """

    env = {k: v for k, v in os.environ.items() if k != "PROPSCOPE_PTC_DATA"}
    env["COLUMNS"] = "200"  # keep Rich from wrapping table cells in text output

    def run(
        *args: str | Path,
        input: bytes | None = None,
        cwd: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> CliResult:
        cmd: Sequence[str] = [sys.executable, "-m", "propscope.cli.main", *map(str, args)]
        proc = subprocess.run(
            cmd,
            input=input if input is not None else b"",
            capture_output=True,
            cwd=cwd or tmp_path,
            env={**env, **(extra_env or {})},
            timeout=60,
            check=False,
        )
        res = CliResult(
            proc.returncode,
            proc.stdout.decode("utf-8"),
            proc.stderr.decode("utf-8"),
        )
        assert "Traceback" not in res.stdout, res.stdout
        assert "Traceback" not in res.stderr, res.stderr
        return res

    return run


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for the session (see ``pg_support``); skips where there is none."""
    server = pg_support.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: a SQLite file, and a database on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'corpus.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database()
