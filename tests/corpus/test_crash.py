"""Exactly once under SIGKILL: ``propscope batch`` killed at several points (inside a
document's transaction, just after a commit, before the run's end, and from outside while two
workers run), then started again, ends with every document analysed exactly once and no
half-written analysis ever visible."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from corpus_support import RECORDS, TINY, dump, write_jsonl
from propscope.store import schema as t
from propscope.store.db import open_database


def _batch(src: Path, url: str, *args: str, fault: str | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "PROPSCOPE_FAULT"}
    if fault:
        env["PROPSCOPE_FAULT"] = fault
    return subprocess.Popen(
        [sys.executable, "-m", "propscope.cli.main", "batch", str(src), "--db", url,
         "--model", str(TINY), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip


def _consistent(url: str) -> int:
    """Every stored document has exactly one analysis, and every analysis all of its
    sentences (none of a document's records is visible without the others). Returns the
    number of documents stored."""
    db = open_database(url, migrate=False)
    with db.engine.connect() as conn:
        docs = conn.execute(select(func.count()).select_from(t.documents)).scalar_one()
        per_doc = conn.execute(
            select(t.documents.c.id, func.count(t.analyses.c.id))
            .join_from(
                t.documents, t.analyses, t.analyses.c.document_id == t.documents.c.id, isouter=True
            )
            .group_by(t.documents.c.id)
        ).all()
        assert all(n == 1 for _, n in per_doc), per_doc
        for a in conn.execute(select(t.analyses.c.id, t.analyses.c.n_sentences)).all():
            n = conn.execute(
                select(func.count()).where(t.sentences.c.analysis_id == a.id)
            ).scalar_one()
            assert n == a.n_sentences
        orphans = conn.execute(
            select(func.count())
            .select_from(t.spans)
            .where(t.spans.c.analysis_id.not_in(select(t.analyses.c.id)))
        ).scalar_one()
        assert orphans == 0
    db.close()
    return int(docs)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The database of one run that nothing interrupted."""
    tmp = tmp_path_factory.mktemp("ref")
    url = f"sqlite:///{tmp / 'ref.db'}"
    proc = _batch(write_jsonl(tmp / "c.jsonl"), url)
    assert proc.wait(120) == 0, proc.stderr.read() if proc.stderr else ""  # type: ignore[union-attr]
    return dump(url)


@pytest.mark.parametrize(
    "faults",
    [
        ["write:1"],  # inside the first document's transaction
        ["write:6", "commit:3"],  # mid-run inside a transaction, then again after a commit
        ["commit:12"],  # after the last document, before the run is closed
    ],
)
def test_killed_inside_and_between_transactions_then_resumed(
    tmp_path: Path, reference: dict[str, object], faults: list[str], db_url: str
) -> None:
    src = write_jsonl(tmp_path / "c.jsonl")
    url = db_url  # SQLite and PostgreSQL
    stored = 0
    for fault in faults:
        proc = _batch(src, url, fault=fault)
        assert proc.wait(120) == -signal.SIGKILL
        now = _consistent(url)
        # "write:N" dies before the N-th new document of this run is committed
        point, n = fault.split(":")
        assert now == stored + int(n) - (1 if point == "write" else 0)
        stored = now
    proc = _batch(src, url)
    assert proc.wait(120) == 0
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert f"{len(RECORDS) - stored} analysed, {stored} already done, 0 errors" in err
    assert _consistent(url) == len(RECORDS)
    assert dump(url) == reference


def test_killed_from_outside_while_two_workers_run(
    tmp_path: Path, reference: dict[str, object]
) -> None:
    records = RECORDS * 1
    src = write_jsonl(tmp_path / "c.jsonl", records)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    proc = _batch(src, url, "--workers", "2")
    db = open_database(url)  # made here too, so the poll below can read it at once
    deadline = time.monotonic() + 120
    stored = 0
    while stored < 2 and proc.poll() is None and time.monotonic() < deadline:
        with db.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(t.analyses)).scalar_one()
        time.sleep(0.05)
    db.close()
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
    proc.wait(30)
    _consistent(url)
    proc = _batch(src, url, "--workers", "2")
    assert proc.wait(180) == 0
    assert _consistent(url) == len(RECORDS)
    assert dump(url) == reference


def test_worker_processes_end_when_the_run_is_killed(tmp_path: Path) -> None:
    """Only the main process is killed: its workers must not live on."""
    src = write_jsonl(tmp_path / "c.jsonl", RECORDS * 1)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    proc = _batch(src, url, "--workers", "2", fault="commit:2")
    assert proc.wait(120) == -signal.SIGKILL
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("worker processes were still running 30 s after the run was killed")
    _consistent(url)
