"""The Ray engine (``propscope batch --engine ray``) against the local engine.

One hand-written JSONL corpus (a full article, an empty text, a record without text, a
malformed line, a blank line, a record without id, a text holding U+2028 and U+0085, which
``str.splitlines`` would split) is analysed with the tiny model by the local engine into
``a.db`` and by the Ray engine into ``b.db``; both databases must hold the same documents,
analyses, spans, sentences, claims, facts and errors. Then: a second Ray run over ``b.db``
analyses nothing; ``out`` writes Parquet rows that match ``a.db``; a Parquet input gives the
same analyses (and E052 for its record without id).

Ray starts once, in the module-scoped ``runs`` fixture, which does every run. Without Ray
(the ``[ray]`` extra) these tests skip saying why, except where ``PROPSCOPE_REQUIRE_SYSTEM=1``,
where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from propscope.corpus.batch import BatchOptions, Progress, Summary, run_batch
from propscope.corpus.ray_engine import (
    ANALYSED,
    ERROR,
    NO_ID,
    actor_cpus,
    analysis_from_json,
    analysis_to_json,
    run_ray,
)
from propscope.errors import Code, PropscopeError
from propscope.store import schema as t
from propscope.store.db import open_database
from propscope.store.queries import stored_analysis

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / "tests" / "fixtures" / "tiny-model")
REQUIRE_ENV = "PROPSCOPE_REQUIRE_SYSTEM"

ARTICLE = (
    "The council met on 3 May 2020. They are evil thugs who lie to everyone! "
    "Prices rose 5% in 2019, the report said. Our country is great."
)
RECORDS: list[Any] = [
    {
        "id": "a",
        "text": ARTICLE,
        "source": "Daily",
        "date": "2020-05-04",
        "author": "Ann",
        "tags": ["x", 1],
        "meta": {"score": 0.5, "ok": True},
    },
    {"id": "b", "text": "", "source": "Daily"},
    {"id": "c", "title": "no text"},
    "{not json",
    "",
    {"text": "No id here. It was 12 degrees on July 21, 2020.", "date": "July 21, 2020"},
    {
        "id": "e",
        "text": "Line one\u2028still one record\u0085and more. Sales fell 20 percent in March.",
        "source": "Weekly",
        "date": "sometime",
        "authors": ["Bo", "Cy"],
    },
    {"id": 7, "text": "A number id. The vote was 52 to 48 on Tuesday."},
]
N_DOCS = 7  # records and malformed lines (the blank line is no document)
ANALYSED_IDS = {"a", "b", "e", "7"}  # plus the record without id


def write_jsonl(path: Path) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in RECORDS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_parquet(path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {k: r.get(k) for k in ("id", "text", "source", "date", "author")}
        for r in RECORDS
        if isinstance(r, dict)
    ]
    for row in rows:
        row["id"] = None if row["id"] is None else str(row["id"])
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@dataclass
class Recorded(Progress):
    total: int = -1
    advances: list[tuple[int, int]] = field(default_factory=list)
    stopped: bool = False

    def start(self, total_bytes: int) -> None:
        self.total = total_bytes

    def advance(self, size: int, words: int, summary: Summary) -> None:
        self.advances.append((size, words))

    def stop(self) -> None:
        self.stopped = True


@dataclass
class Runs:
    root: Path
    jsonl: Path
    local: Summary
    ray: Summary
    ray_progress: Recorded
    rerun: Summary
    out: Path
    out_summary: Summary
    parquet: Summary

    def db(self, name: str) -> str:
        return f"sqlite:///{self.root / name}"


def require_ray() -> None:
    """Skip (fail where PROPSCOPE_REQUIRE_SYSTEM=1) without Ray, saying why."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        reason = f"Ray is not installed ({exc}): pip install 'propscope[ray]' to run these tests"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
        print(f"\nskipping Ray engine test: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    require_ray()
    import ray

    root = tmp_path_factory.mktemp("ray_engine")
    jsonl = write_jsonl(root / "docs.jsonl")
    parquet = write_parquet(root / "docs.parquet")
    temp_dir = tempfile.mkdtemp(prefix="ray", dir="/tmp")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
        mp.setenv("RAY_AUTH_MODE", "disabled")
        ray.init(num_cpus=2, include_dashboard=False, _temp_dir=temp_dir, log_to_driver=False)
        try:
            local = run_batch(BatchOptions([jsonl], db=f"sqlite:///{root / 'a.db'}", model=TINY))

            def on_ray(db: str, **kw: Any) -> Summary:
                options = BatchOptions(kw.pop("inputs", [jsonl]), db=db, model=TINY, workers=2)
                return run_ray(options, num_cpus=2, **kw)

            progress = Recorded()
            b_db = f"sqlite:///{root / 'b.db'}"
            on_ray_b = on_ray(b_db, progress=progress)
            rerun = on_ray(b_db)
            out = root / "out"
            out_summary = on_ray(f"sqlite:///{root / 'unused.db'}", out=out)
            on_parquet = on_ray(f"sqlite:///{root / 'c.db'}", inputs=[parquet])
        finally:
            ray.shutdown()
            shutil.rmtree(temp_dir, ignore_errors=True)
    yield Runs(root, jsonl, local, on_ray_b, progress, rerun, out, out_summary, on_parquet)


# -- the two databases -------------------------------------------------------------------


def documents(db: str) -> dict[str, dict[str, Any]]:
    database = open_database(db, migrate=False)
    try:
        with database.engine.connect() as conn:
            rows = conn.execute(select(t.documents)).mappings().all()
        return {r["id"]: {k: v for k, v in r.items() if k != "added_at"} for r in rows}
    finally:
        database.close()


def analyses(db: str) -> dict[str, Any]:
    """Per document: its analysis row and its records keyed by position (no ids, times)."""
    database = open_database(db, migrate=False)
    out: dict[str, Any] = {}
    try:
        with database.engine.connect() as conn:
            for a in conn.execute(select(t.analyses)).mappings().all():
                row = {k: v for k, v in a.items() if k not in ("id", "created_at", "run_id")}
                records = {}
                for table in (t.spans, t.sentences, t.claims, t.facts):
                    keys = [c.name for c in table.primary_key.columns if c.name != "analysis_id"]
                    found = conn.execute(select(table).where(table.c.analysis_id == a["id"]))
                    records[table.name] = {
                        tuple(r[k] for k in keys): {
                            k: v for k, v in r.items() if k != "analysis_id"
                        }
                        for r in found.mappings()
                    }
                out[a["document_id"]] = (row, records)
        return out
    finally:
        database.close()


def errors(db: str, run: int | None = None) -> list[tuple[Any, ...]]:
    database = open_database(db, migrate=False)
    e = t.errors.c
    query = select(e.code, e.message, e.path, e.line, e.byte, e.document_id)
    if run is not None:
        query = query.where(e.run_id == run)
    try:
        with database.engine.connect() as conn:
            return sorted(tuple(r) for r in conn.execute(query))
    finally:
        database.close()


def test_same_documents_as_the_local_engine(runs: Runs) -> None:
    local, on_ray = documents(runs.db("a.db")), documents(runs.db("b.db"))
    assert set(local) == ANALYSED_IDS | {f"{runs.jsonl}:6"}
    assert on_ray == local
    assert local["e"]["text"] == RECORDS[6]["text"]  # U+2028 and U+0085 kept inside


def test_same_analyses_span_for_span(runs: Runs) -> None:
    local, on_ray = analyses(runs.db("a.db")), analyses(runs.db("b.db"))
    assert set(on_ray) == set(local)
    assert sum(len(recs["spans"]) for _, recs in local.values()) > 0
    assert sum(len(recs["facts"]) for _, recs in local.values()) > 0
    for doc_id, (row, records) in local.items():
        assert on_ray[doc_id][0] == row, doc_id
        for name, items in records.items():
            assert on_ray[doc_id][1][name] == items, (doc_id, name)


def test_same_errors_and_summary(runs: Runs) -> None:
    assert errors(runs.db("b.db"), runs.ray.run_id) == errors(runs.db("a.db"))
    assert [e[0] for e in errors(runs.db("a.db"))] == ["E052", "E052"]
    assert runs.ray.counts() == runs.local.counts()
    assert runs.ray.counts()["documents"] == N_DOCS
    assert runs.ray.errors == runs.local.errors
    assert sorted(runs.ray.first_errors) == sorted(runs.local.first_errors)
    database = open_database(runs.db("b.db"), migrate=False)
    try:
        with database.engine.connect() as conn:
            run = conn.execute(select(t.runs).where(t.runs.c.id == runs.ray.run_id)).one()
    finally:
        database.close()
    assert run.engine == "ray"
    assert run.counts == runs.ray.counts()
    assert run.finished_at is not None


def test_progress_is_reported(runs: Runs) -> None:
    p = runs.ray_progress
    assert p.total == runs.jsonl.stat().st_size
    assert len(p.advances) == N_DOCS
    assert sum(size for size, _ in p.advances) == p.total - 1  # all but the blank line
    assert sum(words for _, words in p.advances) == runs.ray.words > 0
    assert p.stopped


def test_a_second_run_analyses_nothing(runs: Runs) -> None:
    assert runs.rerun.analysed == 0
    assert runs.rerun.skipped == len(ANALYSED_IDS) + 1
    assert runs.rerun.counts()["documents"] == N_DOCS
    assert analyses(runs.db("b.db")) == analyses(runs.db("a.db"))
    assert errors(runs.db("b.db"), runs.rerun.run_id) == errors(runs.db("a.db"))


def test_out_writes_parquet_rows_that_match(runs: Runs) -> None:
    import pyarrow.parquet as pq

    assert not (runs.root / "unused.db").exists()
    rows = pq.read_table(runs.out).to_pylist()
    assert len(rows) == N_DOCS
    assert runs.out_summary.counts() == runs.local.counts()
    assert runs.out_summary.errors == runs.local.errors
    local_docs = documents(runs.db("a.db"))
    database = open_database(runs.db("a.db"), migrate=False)
    try:
        for row in rows:
            if row["status"] == ERROR:
                continue
            assert row["status"] == ANALYSED and row["ok"]
            doc = local_docs[row["id"]]
            assert row["text"] == doc["text"]
            assert row["sha256"] == doc["sha256"]
            assert row["where"] == doc["location"]
            assert (row["source"], row["date_text"], row["author"]) == (
                doc["source"],
                doc["date_text"],
                doc["author"],
            )
            assert row["date"] == (doc["date"].isoformat() if doc["date"] else None)
            assert json.loads(row["meta"]) == doc["meta"]
            stored = stored_analysis(database, row["id"])
            assert stored is not None
            got = analysis_from_json(row["analysis"], row["text"])
            assert (got.spans, got.sentences, got.claims) == (
                stored.spans,
                stored.sentences,
                stored.claims,
            )
            assert got.profile == stored.profile
    finally:
        database.close()
    got_errors = sorted(
        (r["code"], r["message"], r["path"], r["line"], r["byte"], r["id"])
        for r in rows
        if r["status"] == ERROR
    )
    assert got_errors == errors(runs.db("a.db"))


def test_parquet_input(runs: Runs) -> None:
    parquet = str(runs.root / "docs.parquet")
    docs = documents(runs.db("c.db"))
    assert set(docs) == ANALYSED_IDS
    local = documents(runs.db("a.db"))
    for doc_id, doc in docs.items():
        assert doc["location"] == parquet
        for key in ("text", "sha256", "source", "date", "date_text", "words"):
            assert doc[key] == local[doc_id][key], (doc_id, key)
    local_analyses = analyses(runs.db("a.db"))
    for doc_id, (row, records) in analyses(runs.db("c.db")).items():
        assert (row, records) == local_analyses[doc_id]
    assert errors(runs.db("c.db")) == sorted(
        [
            ("E052", NO_ID, parquet, None, None, None),
            ("E052", "record 'c' has no text field 'text'", parquet, None, None, "c"),
        ]
    )
    assert runs.parquet.analysed == len(ANALYSED_IDS)


# -- without a Ray job -------------------------------------------------------------------


def test_without_ray_the_error_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    options = BatchOptions([write_jsonl(tmp_path / "d.jsonl")], db=str(tmp_path / "x.db"))
    with pytest.raises(PropscopeError) as exc:
        run_ray(options)
    assert exc.value.code is Code.MISSING_EXTRA
    assert "pip install 'propscope[ray]'" in exc.value.message


@pytest.mark.parametrize("name", ["d.csv", "folder", "d.txt"])
def test_other_inputs_are_for_the_local_engine(tmp_path: Path, name: str) -> None:
    require_ray()
    path = tmp_path / name
    if name == "folder":
        path.mkdir()
    else:
        path.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(PropscopeError) as exc:
        run_ray(BatchOptions([path], db=str(tmp_path / "x.db")))
    assert exc.value.code is Code.BAD_OPTION
    assert "the ray engine reads .jsonl and .parquet" in exc.value.message
    assert "local engine" in exc.value.message
    assert not (tmp_path / "x.db").exists()


def test_checks_before_any_work(tmp_path: Path) -> None:
    require_ray()
    import pyarrow as pa
    import pyarrow.parquet as pq

    jsonl = write_jsonl(tmp_path / "d.jsonl")
    cases: list[tuple[BatchOptions, dict[str, Any], Code]] = [
        (BatchOptions([tmp_path / "none.jsonl"]), {}, Code.FILE_NOT_FOUND),
        (BatchOptions([jsonl], workers=0), {}, Code.BAD_OPTION),
    ]
    body = tmp_path / "body.parquet"
    pq.write_table(pa.table({"id": ["1"], "body": ["hello"]}), body)
    cases.append((BatchOptions([body]), {}, Code.MISSING_COLUMN))
    no_id = tmp_path / "no_id.parquet"
    pq.write_table(pa.table({"text": ["hello"]}), no_id)
    cases.append((BatchOptions([no_id]), {}, Code.MISSING_COLUMN))
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("x", encoding="utf-8")
    cases.append((BatchOptions([jsonl]), {"out": full}, Code.BAD_OPTION))
    for options, kw, code in cases:
        with pytest.raises(PropscopeError) as exc:
            run_ray(replace_db(options, tmp_path), **kw)
        assert exc.value.code is code, exc.value
    assert not (tmp_path / "x.db").exists()


def replace_db(options: BatchOptions, tmp_path: Path) -> BatchOptions:
    from dataclasses import replace

    return replace(options, db=str(tmp_path / "x.db"))


def test_analysis_json_round_trip() -> None:
    from propscope.pipeline import load

    analysis = load(TINY, sensitivity="sensitive").analyze(ARTICLE)
    assert analysis.spans and analysis.claims
    again = analysis_from_json(analysis_to_json(analysis), analysis.text)
    assert again == analysis


def test_actor_cpus_leave_room_for_reading() -> None:
    assert actor_cpus(16, 4) == 1.0
    assert actor_cpus(2, 2) == 0.5
    assert 8 * actor_cpus(4, 8) + 1 <= 4
    assert actor_cpus(1, 8) > 0
