"""``run_batch``: every document analysed once, stored as the pipeline gives it, errors kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus_support import RECORDS, TINY, dump, write_jsonl
from propscope.corpus.batch import BatchOptions, Summary, run_batch
from propscope.errors import Code, PropscopeError
from propscope.pipeline import Pipeline, load
from propscope.store.db import open_database
from propscope.store.queries import document_json, run_errors
from propscope.store.writer import count_rows


@pytest.fixture(scope="module")
def tiny() -> Pipeline:
    return load(str(TINY), sensitivity="sensitive")


def _run(url: str, inputs: list[Path], tiny: Pipeline, **kw: object) -> Summary:
    return run_batch(BatchOptions(inputs, db=url, model=str(TINY), **kw), pipeline=tiny)  # type: ignore[arg-type]


def test_a_corpus_is_stored_as_the_pipeline_analyses_it_and_only_once(
    db_url: str, tmp_path: Path, tiny: Pipeline
) -> None:
    src = write_jsonl(tmp_path / "c.jsonl")
    first = _run(db_url, [src], tiny)
    assert (first.documents, first.analysed, first.skipped, first.n_errors) == (12, 12, 0, 0)
    assert first.words == sum(len(r["text"].split()) for r in RECORDS)  # plain words here
    db = open_database(db_url, migrate=False)
    for r in RECORDS:
        stored = document_json(db, r["id"])
        fresh = tiny.pipe([(r["id"], r["text"])]).__next__().to_dict(with_text=True)
        assert {k: v for k, v in stored.items() if k != "document"} == fresh
        assert stored["document"]["source"] == r["source"]
        assert stored["document"]["meta"]["title"] == r["title"]
    again = _run(db_url, [src], tiny)
    assert (again.analysed, again.skipped, again.n_errors) == (0, 12, 0)
    rows = count_rows(db, ["documents", "analyses", "spans", "claims"])
    before = dump(db_url)
    forced = _run(db_url, [src], tiny, force=True)
    assert (forced.analysed, forced.skipped) == (12, 0)
    assert count_rows(db, ["documents", "analyses", "spans", "claims"]) == rows
    assert dump(db_url) == before
    db.close()


def test_bad_records_are_errors_with_their_place_and_the_run_goes_on(
    tmp_path: Path, tiny: Pipeline
) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    changed = dict(RECORDS[1], text="A different text.")
    src = write_jsonl(tmp_path / "c.jsonl", [*RECORDS[:3], RECORDS[0], changed], "{broken\n")
    summary = _run(url, [src], tiny)
    assert (summary.documents, summary.analysed, summary.skipped) == (6, 3, 1)
    assert dict(summary.errors) == {"E053": 1, "E052": 1}
    db = open_database(url, migrate=False)
    _, errors = run_errors(db)
    assert [e.render() for e in errors] == [
        f"E053: id 'doc1' is already stored with a different text (pass --force to replace it) "
        f"({src}, line 5, id doc1)",
        f"E052: not valid JSON: Expecting property name enclosed in double quotes ({src}, line 6, "
        f"byte {sum(len(json.dumps(r)) + 1 for r in [*RECORDS[:3], RECORDS[0], changed]) + 1})",
    ]
    db.close()


def test_empty_text_is_a_document_with_an_empty_analysis(tmp_path: Path, tiny: Pipeline) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    _run(url, [write_jsonl(tmp_path / "c.jsonl", [RECORDS[4]])], tiny)
    db = open_database(url, migrate=False)
    stored = document_json(db, "doc4")
    assert (stored["text"], stored["spans"], stored["claims"], stored["sentences"]) == (
        "",
        [],
        [],
        [],
    )
    db.close()


def test_two_worker_processes_store_the_same_as_one(tmp_path: Path, tiny: Pipeline) -> None:
    src = write_jsonl(tmp_path / "c.jsonl")
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    _run(one, [src], tiny)
    summary = run_batch(BatchOptions([src], db=two, model=str(TINY), workers=2))
    assert (summary.analysed, summary.n_errors) == (12, 0)
    assert dump(two) == dump(one)


def test_work_is_refused_before_it_starts(tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("id,body\n1,x\n", encoding="utf-8")
    db = tmp_path / "c.db"
    with pytest.raises(PropscopeError) as exc:
        run_batch(BatchOptions([csv], db=f"sqlite:///{db}", model="builtin:lexicon"))
    assert exc.value.code is Code.MISSING_COLUMN
    assert not db.exists()  # nothing was started
    with pytest.raises(PropscopeError) as exc:
        run_batch(BatchOptions([csv], db=str(db), workers=0, text_col="body"))
    assert exc.value.code is Code.BAD_OPTION


def test_worker_pool_keeps_few_documents_in_flight() -> None:
    """With 2 workers, at most 2 x IN_FLIGHT_PER_WORKER tasks are out, one more waits to go and
    one document is read ahead when the first result comes back: a huge input is never read
    far ahead of the work."""
    from propscope.corpus.batch import IN_FLIGHT_PER_WORKER, _Pool
    from propscope.corpus.documents import Document

    pulled = 0

    def docs() -> Iterator[Document]:
        nonlocal pulled
        for i in range(40):
            pulled += 1
            yield Document(f"d{i}", "Evil thugs. " * 1300, "mem")  # 15,600 characters: 1 a task

    with _Pool(str(TINY), 2) as pool:
        results = pool.analyse(docs())
        doc, first = next(results)
        assert doc.id == "d0" and not isinstance(first, PropscopeError)
        assert pulled == 2 * IN_FLIGHT_PER_WORKER + 2
        assert len(list(results)) == 39
