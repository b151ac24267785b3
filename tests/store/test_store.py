"""The corpus database on SQLite and on a real PostgreSQL server: migrations, the single
writer, exactly-once rules and the queries, with figures worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from propscope.corpus.documents import Document
from propscope.errors import Code, PropscopeError
from propscope.store import schema as t
from propscope.store.db import database_url, open_database, schema_revision
from propscope.store.queries import (
    document_json,
    documents,
    iter_analyses,
    run_errors,
    stats,
    stored_analysis,
)
from propscope.store.writer import Status, Writer, count_rows
from propscope.types import Analysis, Claim, Fact, ModelInfo, Sentence, Span

MODEL = ModelInfo("m", "1.0")
POINTS = {"precise": 0.8, "balanced": 0.5, "sensitive": 0.2}


def _analysis(text: str, spans: list[Span], sentences: list[tuple[int, int]], claims: int = 0):
    cl = tuple(
        Claim(b, e, 0.9, (Fact(b, b + 1, "QUANTITY"),) if i == 0 else ()) for i, (b, e) in
        enumerate(sentences[:claims])
    )  # fmt: skip
    return Analysis(
        text=text,
        model=MODEL,
        spans=tuple(spans),
        claims=cl,
        sentences=tuple(Sentence(b, e, 0.5) for b, e in sentences),
        profile={"words": len(text.split())},
        id=None,
        min_score=0.2,
        operating_points=POINTS,
    )


# three documents; words are whitespace-separated (count_words agrees on these texts)
T1 = "They are evil thugs. 3 people came."  # 7 words, 2 sentences
T2 = "Great nation. Act now."  # 4 words
T3 = "Calm text with no spin at all."  # 7 words
DOCS = [
    (
        Document(
            "d1", T1, "in.jsonl:1", source="Left", date=date(2020, 5, 3), date_text="2020-05-03"
        ),
        _analysis(
            T1,
            [Span(9, 13, "Loaded_Language", 0.9), Span(21, 29, "Name_Calling,Labeling", 0.3)],
            [(0, 20), (21, 35)],
            claims=2,
        ),
    ),
    (
        Document("d2", T2, "in.jsonl:2", source="Right", date=date(2020, 6, 1), author="Bo"),
        _analysis(
            T2,
            [Span(0, 12, "Flag-Waving", 0.6), Span(14, 21, "Slogans", 0.6)],
            [(0, 13), (14, 22)],
            claims=1,
        ),
    ),
    (
        Document("d3", T3, "in.jsonl:3", source="Left", date=date(2020, 5, 9), meta={"title": "C"}),
        _analysis(T3, [], [(0, 30)]),
    ),
]


def _fill(url: str) -> Writer:
    db = open_database(url)
    w = Writer(db, MODEL)
    for doc, a in DOCS:
        assert w.write(doc, a) is Status.NEW
    w.finish({"documents": 3})
    return w


def test_a_new_database_is_created_at_the_head_revision_with_the_schema_tables(db_url: str) -> None:
    db = open_database(db_url)
    assert schema_revision(db) == "0002"
    insp = inspect(db.engine)
    assert set(insp.get_table_names()) == set(t.metadata.tables) | {"alembic_version"}
    for name, table in t.metadata.tables.items():
        assert {c["name"] for c in insp.get_columns(name)} == set(table.columns.keys()), name
    if db.is_sqlite:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.close()
    open_database(db_url).close()  # opening again changes nothing


def test_written_analysis_reads_back_equal(db_url: str) -> None:
    w = _fill(db_url)
    _doc, a = DOCS[0]
    back = stored_analysis(w.db, "d1")
    assert back is not None
    assert back.spans == a.spans and back.claims == a.claims and back.sentences == a.sentences
    assert (back.text, back.min_score, back.operating_points) == (T1, 0.2, POINTS)
    js = document_json(w.db, "d1")
    assert js["text"] == T1 and js["spans"][0]["text"] == "evil"
    assert js["document"] == {
        "source": "Left",
        "date": "2020-05-03",
        "author": None,
        "meta": {},
    }
    assert count_rows(w.db, ["documents", "analyses", "spans", "claims", "facts", "sentences"]) == {
        "documents": 3,
        "analyses": 3,
        "spans": 4,
        "claims": 3,
        "facts": 2,
        "sentences": 5,
    }


def test_same_text_is_done_other_text_a_conflict_force_replaces(db_url: str) -> None:
    w = _fill(db_url)
    doc, _a = DOCS[0]
    assert w.status("d1", doc.sha256) is Status.DONE
    assert w.status("d1", "0" * 64) is Status.CONFLICT
    assert w.status("new", "0" * 64) is Status.NEW
    other = ModelInfo("m", "2.0")  # another version of the model analyses it again
    assert Writer(w.db, other).status("d1", doc.sha256) is Status.NEW
    forced = Writer(w.db, MODEL, force=True)
    assert forced.status("d1", doc.sha256) is Status.NEW
    changed = Document("d1", "Evil text.", "x:1", source="Left")
    assert (
        forced.write(
            changed, _analysis("Evil text.", [Span(0, 4, "Loaded_Language", 0.9)], [(0, 10)])
        )
        is Status.NEW
    )
    # within the run that replaced it, the document is done
    assert forced.status("d1", changed.sha256) is Status.DONE
    assert forced.status("d1", doc.sha256) is Status.CONFLICT
    back = stored_analysis(w.db, "d1")
    assert back is not None and back.text == "Evil text." and len(back.spans) == 1
    assert count_rows(w.db, ["documents", "analyses", "spans"]) == {
        "documents": 3,
        "analyses": 3,
        "spans": 3,  # d1's two old spans are gone, one new
    }


def test_stats_by_source_month_author_at_each_sensitivity(db_url: str) -> None:
    db = _fill(db_url).db
    s = stats(db, by="source")
    assert (s["model"], s["sensitivity"], s["min_score"]) == (
        {"name": "m", "version": "1.0"},
        "balanced",
        0.5,
    )
    left, right = s["groups"]
    # Left: d1 + d3, 7 + 7 words; spans >= 0.5: d1's "evil" only; sentences 2 + 1, one with a span
    assert (left["key"], left["documents"], left["words"], left["spans"]) == ("Left", 2, 14, 1)
    assert left["spans_per_1000_words"] == round(1000 / 14, 3)
    assert left["share_of_sentences_with_technique"] == round(1 / 3, 4)
    assert left["check_worthy_claims"] == 2
    assert left["techniques"]["Loaded_Language"] == {
        "count": 1,
        "per_1000_words": round(1000 / 14, 3),
    }
    assert left["techniques"]["Name_Calling,Labeling"]["count"] == 0  # 0.3 < 0.5
    assert (
        right["key"],
        right["words"],
        right["spans"],
        right["share_of_sentences_with_technique"],
    ) == ("Right", 4, 2, 1.0)
    assert s["total"]["spans"] == 3 and s["total"]["documents"] == 3
    sensitive = stats(db, by="source", sensitivity="sensitive")["groups"][0]
    assert sensitive["spans"] == 2 and sensitive["share_of_sentences_with_technique"] == round(
        2 / 3, 4
    )
    precise = stats(db, sensitivity="precise")
    assert precise["groups"][0]["key"] == "all" and precise["total"]["spans"] == 1
    months = stats(db, by="month")["groups"]
    assert [(g["key"], g["documents"], g["spans"]) for g in months] == [
        ("2020-05", 2, 1),
        ("2020-06", 1, 2),
    ]
    authors = stats(db, by="author")["groups"]
    assert [(g["key"], g["documents"]) for g in authors] == [("(unknown)", 2), ("Bo", 1)]
    with pytest.raises(PropscopeError) as exc:
        stats(db, by="colour")
    assert exc.value.code is Code.BAD_OPTION


def test_document_list_filters(db_url: str) -> None:
    db = _fill(db_url).db
    everything = documents(db)
    assert everything["total"] == 3
    assert [d["id"] for d in everything["documents"]] == ["d2", "d3", "d1"]  # newest first
    assert [d["spans"] for d in everything["documents"]] == [2, 0, 1]
    assert everything["documents"][1]["title"] == "C"
    assert [d["id"] for d in documents(db, q="THUGS")["documents"]] == ["d1"]
    assert [d["id"] for d in documents(db, source="Left")["documents"]] == ["d3", "d1"]
    assert [
        d["id"]
        for d in documents(db, date_from=date(2020, 5, 4), date_to=date(2020, 5, 31))["documents"]
    ] == ["d3"]
    assert [d["id"] for d in documents(db, technique="Slogans")["documents"]] == ["d2"]
    assert documents(db, technique="Name_Calling,Labeling")["total"] == 0  # only below balanced
    assert documents(db, technique="Name_Calling,Labeling", sensitivity="sensitive")["total"] == 1
    page = documents(db, limit=1, offset=1)
    assert page["total"] == 3 and [d["id"] for d in page["documents"]] == ["d3"]


def test_errors_are_stored_with_their_place_per_run(db_url: str) -> None:
    db = open_database(db_url)
    w = Writer(db, MODEL)
    w.error(PropscopeError(Code.BAD_RECORD, "not valid JSON", path="a.jsonl", line=3, byte=40))
    w.error(PropscopeError(Code.DUPLICATE_ID, "dup", path="a.jsonl", line=9), "x")
    later = Writer(db, MODEL)
    later.error(PropscopeError(Code.TOO_LARGE, "big", path="b.jsonl", line=1, byte=0))
    run, rows = run_errors(db, w.run_id)
    assert run == w.run_id
    assert [r.render() for r in rows] == [
        "E052: not valid JSON (a.jsonl, line 3, byte 40)",
        "E053: dup (a.jsonl, line 9, id x)",
    ]
    last, rows = run_errors(db)
    assert last == later.run_id and [r.code for r in rows] == ["E054"]


def test_a_newer_schema_is_refused(db_url: str) -> None:
    db = open_database(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.close()
    with pytest.raises(PropscopeError) as exc:
        open_database(db_url)
    assert exc.value.code is Code.SCHEMA_TOO_NEW
    assert "revision 9999" in exc.value.message and "upgrade propscope" in exc.value.message


def test_a_database_of_something_else_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    db = open_database(url, migrate=False)
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER)"))
    db.close()
    with pytest.raises(PropscopeError) as exc:
        open_database(url)
    assert exc.value.code is Code.DATABASE and "no propscope schema" in exc.value.message


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "postgresql://nobody@127.0.0.1:1/x",
            "cannot open the database postgresql+psycopg://nobody@127.0.0.1:1/x",
        ),
        ("sqlite:////no/such/folder/x.db", "folder of the SQLite file does not exist"),
        ("mysql+nodriver://a/b", "unknown database kind"),
        ("://nohost", "not a database URL"),
    ],
)
def test_unreachable_or_unknown_databases_are_coded_errors(url: str, words: str) -> None:
    with pytest.raises(PropscopeError) as exc:
        open_database(url)
    assert exc.value.code in (Code.DATABASE, Code.MISSING_EXTRA)
    assert words in exc.value.message


def test_a_missing_postgres_database_and_a_hidden_password(pg_server) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.base_url.replace("postgres@", "postgres:s3cret@") + "/no_such_db"
    with pytest.raises(PropscopeError) as exc:
        open_database(url)
    assert exc.value.code is Code.DATABASE
    assert "s3cret" not in exc.value.message and "***" in exc.value.message
    assert "no_such_db" in exc.value.message


def test_database_url_rules() -> None:
    assert database_url(None) == "sqlite:///propscope.db"
    assert database_url("c.db") == "sqlite:///c.db"
    assert database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("sqlite:////abs.db") == "sqlite:////abs.db"


def test_rows_of_one_document_are_all_or_nothing(tmp_path: Path) -> None:
    """A failure inside a document's transaction leaves none of its rows."""
    db = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    w = Writer(db, MODEL)
    doc, a = DOCS[0]
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TRIGGER no_spans BEFORE INSERT ON spans "
                "BEGIN SELECT RAISE(ABORT, 'boom'); END"
            )
        )
    with pytest.raises(Exception, match="boom"):
        w.write(doc, a)
    with db.engine.connect() as conn:
        assert conn.execute(select(t.documents.c.id)).all() == []
        assert conn.execute(select(t.analyses.c.id)).all() == []


def test_exports_stream_every_analysis_with_spans_from_the_point(db_url: str) -> None:
    db = _fill(db_url).db
    balanced = list(iter_analyses(db))
    assert [a["id"] for a in balanced] == ["d1", "d2", "d3"]
    assert [len(a["spans"]) for a in balanced] == [1, 2, 0]  # 0.3 < 0.5 left out
    assert balanced[0]["min_score"] == 0.5 and balanced[0]["document"]["source"] == "Left"
    sensitive = list(iter_analyses(db, "sensitive"))
    assert [len(a["spans"]) for a in sensitive] == [2, 2, 0]
    assert sensitive[0]["spans"][1]["text"] == "3 people"
