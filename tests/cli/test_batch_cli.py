"""``propscope batch`` and ``propscope corpus`` as a user runs them: real subprocesses."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus_support import RECORDS, TINY, write_jsonl
from propscope.store.db import open_database
from propscope.store.queries import stats

RunCli = Callable[..., Any]  # the run_cli fixture of tests/conftest.py


def test_batch_into_the_default_sqlite_file_then_rerun(tmp_path: Path, run_cli: RunCli) -> None:
    src = write_jsonl(tmp_path / "c.jsonl")
    res = run_cli("batch", src, "--model", TINY)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "propscope.db").exists()  # no --db: propscope.db here
    assert "12 documents read: 12 analysed, 0 already done, 0 errors" in res.stderr
    assert "docs/s" in res.stderr and "words/s" in res.stderr
    assert res.stdout == ""  # the progress bar is drawn only on a terminal
    again = run_cli("batch", src, "--model", TINY)
    assert again.returncode == 0
    assert "0 analysed, 12 already done, 0 errors" in again.stderr
    errors = run_cli("batch", "--errors")
    assert (errors.returncode, errors.stdout) == (0, "")
    assert "run 2: 0 errors" in errors.stderr


def test_bad_records_are_listed_and_the_exit_code_says_so(tmp_path: Path, run_cli: RunCli) -> None:
    src = write_jsonl(tmp_path / "c.jsonl", RECORDS[:2], '{"id": "x"}\nnot json\n')
    db = tmp_path / "x.db"
    res = run_cli("batch", src, "--db", db, "--model", TINY)
    assert res.returncode == 1
    assert "4 documents read: 2 analysed, 0 already done, 2 errors" in res.stderr
    assert "errors (E052 x2):" in res.stderr
    assert f"all of them: propscope batch --errors --db {db}" in res.stderr
    listed = run_cli("batch", "--errors", "--db", db)
    assert listed.returncode == 1
    line3 = sum(len(json.dumps(r)) + 1 for r in RECORDS[:2])
    line4 = line3 + len('{"id": "x"}') + 1
    assert listed.stdout.splitlines() == [
        f"E052: record 'x' has no text field 'text' ({src}, line 3, byte {line3}, id x)",
        f"E052: not valid JSON: Expecting value ({src}, line 4, byte {line4})",
    ]


def test_a_csv_without_its_text_column_fails_before_work(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "c.csv").write_text("id,body,outlet\n1,Hello.,X\n", encoding="utf-8")
    res = run_cli("batch", "c.csv", "--model", TINY)
    assert res.returncode == 1
    assert res.stderr.strip() == (
        "error: E055: the CSV has no text column 'text' (its columns: 'id', 'body', 'outlet'); "
        "choose one with --text-col (c.csv, line 1)"
    )
    assert not (tmp_path / "propscope.db").exists()
    ok = run_cli("batch", "c.csv", "--text-col", "body", "--model", TINY)
    assert ok.returncode == 0 and "1 analysed" in ok.stderr


def test_database_errors_are_coded_not_tracebacks(tmp_path: Path, run_cli: RunCli) -> None:
    src = write_jsonl(tmp_path / "c.jsonl", RECORDS[:1])
    res = run_cli("batch", src, "--db", "postgresql://nobody:pw@127.0.0.1:1/x", "--model", TINY)
    assert res.returncode == 1
    assert res.stderr.startswith(
        "error: E050: cannot open the database postgresql+psycopg://nobody:***@127.0.0.1:1/x"
    )
    db = tmp_path / "n.db"
    assert run_cli("batch", src, "--db", db, "--model", TINY).returncode == 0
    with open_database(str(db)).engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff'")
    res = run_cli("corpus", "stats", "--db", db)
    assert res.returncode == 1 and res.stderr.startswith("error: E051: ")
    res = run_cli("batch", src, "--db", db, "--model", TINY)
    assert res.returncode == 1 and res.stderr.startswith("error: E051: ")


def test_corpus_stats_and_exports(tmp_path: Path, run_cli: RunCli) -> None:
    src = write_jsonl(tmp_path / "c.jsonl")
    db = tmp_path / "c.db"
    assert run_cli("batch", src, "--db", db, "--model", TINY).returncode == 0
    database = open_database(str(db), migrate=False)
    expected = stats(database, by="source")
    res = run_cli("corpus", "stats", "--db", db, "--by", "source", "--format", "json")
    assert res.returncode == 0 and json.loads(res.stdout) == json.loads(json.dumps(expected))
    assert [g["key"] for g in expected["groups"]] == ["Left Post", "Right Daily", "Wire"]
    assert [g["documents"] for g in expected["groups"]] == [4, 4, 4]
    rows = list(
        csv.DictReader(
            io.StringIO(run_cli("corpus", "stats", "--db", db, "--by", "month", "-f", "csv").stdout)
        )
    )
    assert [r["month"] for r in rows] == ["2020-01", "2020-02", "2020-03", "all"]
    assert sum(int(r["documents"]) for r in rows[:-1]) == 12 == int(rows[-1]["documents"])
    table = run_cli("corpus", "stats", "--db", db, "--by", "source")
    assert table.returncode == 0 and "Right Daily" in table.stdout
    lines = run_cli("corpus", "export", "--db", db, "--format", "jsonl").stdout.splitlines()
    exported = [json.loads(line) for line in lines]
    assert sorted(e["id"] for e in exported) == sorted(r["id"] for r in RECORDS)
    for e in exported:
        for s in e["spans"]:
            assert e["text"][s["start"] : s["end"]] == s["text"]
    n_spans = sum(len(e["spans"]) for e in exported)
    assert n_spans == expected["total"]["spans"]
    ptc = run_cli("corpus", "export", "--db", db, "--format", "ptc").stdout.splitlines()
    assert len(ptc) == n_spans and all(len(line.split("\t")) == 4 for line in ptc)
    spans_csv = list(
        csv.DictReader(io.StringIO(run_cli("corpus", "export", "--db", db, "-f", "csv").stdout))
    )
    assert len(spans_csv) == n_spans
    assert {r["source"] for r in spans_csv} <= {"Left Post", "Right Daily", "Wire"}
    out = tmp_path / "spans.parquet"
    assert run_cli("corpus", "export", "--db", db, "-f", "parquet", "--out", out).returncode == 0
    import pyarrow.parquet as pq

    assert pq.read_table(out).num_rows == n_spans
    database.close()
