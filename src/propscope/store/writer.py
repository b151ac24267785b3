"""The single writer of the corpus database: runs, documents, analyses and errors.

Every document's records (document row, analysis, spans, sentences, claims, facts) are written
in one transaction, so a process killed at any moment leaves each document either fully
analysed or not at all. ``status`` answers, before any work, whether a document still needs
analysing: a document already analysed by this model version with the same text is skipped
(``force`` re-analyses it); an id already stored with another text is a conflict (E053) unless
``force``, which replaces the text and drops the analyses of the old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from propscope import faults
from propscope.claims.profile import count_words, sentences_with_span
from propscope.corpus.documents import Document
from propscope.errors import Code, PropscopeError
from propscope.store import schema as t
from propscope.store.db import Database
from propscope.types import Analysis, ModelInfo

ALL = "all"  # key of sentences_with_technique: every span stored


class Status(str, Enum):
    NEW = "new"  # analyse it
    DONE = "done"  # already analysed by this model version with this text: skip
    CONFLICT = "conflict"  # the id is stored with another text (E053)


@dataclass(frozen=True)
class RunInfo:
    id: int
    model: ModelInfo


def _now() -> datetime:
    return datetime.now(UTC)


class Writer:
    """Writes one run's results; the only code that changes the database."""

    def __init__(
        self,
        database: Database,
        model: ModelInfo,
        *,
        force: bool = False,
        engine: str = "local",
        inputs: Sequence[str] = (),
    ) -> None:
        self.db = database
        self.model = model
        self.force = force
        with database.engine.begin() as conn:
            self.run_id = int(
                conn.execute(
                    insert(t.runs).values(
                        started_at=_now(),
                        model_name=model.name,
                        model_version=model.version,
                        engine=engine,
                        inputs=list(inputs),
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
            )

    # -- before the work ------------------------------------------------------------------

    def status(self, doc_id: str, sha256: str) -> Status:
        with self.db.engine.connect() as conn:
            return self._status(conn, doc_id, sha256, _stored_sha(conn, doc_id))

    def _status(self, conn: Connection, doc_id: str, sha256: str, stored: str | None) -> Status:
        """``stored``: the sha256 the database holds for this id (None: no such document)."""
        if stored is None:
            return Status.NEW
        if stored != sha256:
            if self.force and not self._in_this_run(conn, doc_id):
                return Status.NEW
            return Status.CONFLICT
        done = conn.execute(
            select(t.analyses.c.run_id).where(
                t.analyses.c.document_id == doc_id,
                t.analyses.c.model_name == self.model.name,
                t.analyses.c.model_version == self.model.version,
                t.analyses.c.sha256 == sha256,
            )
        ).one_or_none()
        if done is None:
            return Status.NEW
        if self.force and done.run_id != self.run_id:
            return Status.NEW
        return Status.DONE

    def _in_this_run(self, conn: Connection, doc_id: str) -> bool:
        return (
            conn.execute(
                select(t.analyses.c.id).where(
                    t.analyses.c.document_id == doc_id, t.analyses.c.run_id == self.run_id
                )
            ).first()
            is not None
        )

    # -- the work's results ---------------------------------------------------------------

    def write(self, doc: Document, analysis: Analysis) -> Status:
        """Store a document and its analysis in one transaction. Returns NEW where written,
        DONE where another writer got there first, CONFLICT where the id holds another text."""
        sha = doc.sha256
        with self.db.engine.begin() as conn:
            stored = _stored_sha(conn, doc.id)
            status = self._status(conn, doc.id, sha, stored)
            if status is not Status.NEW:
                return status
            self._put_document(conn, doc, sha, stored)
            self._drop_analysis(conn, doc.id)
            analysis_id = self._insert_analysis(conn, doc.id, sha, analysis)
            _insert_records(conn, analysis_id, analysis)
            faults.reached("write")  # crash tests: killed here, nothing of this doc is kept
        faults.reached("commit")
        return Status.NEW

    def _put_document(self, conn: Connection, doc: Document, sha: str, stored: str | None) -> None:
        values = {
            "sha256": sha,
            "text": doc.text,
            "source": _cut(doc.source, 512),
            "date": doc.date,
            "date_text": _cut(doc.date_text, 128),
            "author": _cut(doc.author, 512),
            "meta": _jsonable(doc.meta),
            "words": count_words(doc.text),
            "chars": len(doc.text),
            "location": doc.where,
            "added_at": _now(),
        }
        if stored is None:
            conn.execute(insert(t.documents).values(id=doc.id, **values))
            return
        if stored != sha:  # force: the text changed, so every analysis of it is stale
            for a in conn.execute(
                select(t.analyses.c.id).where(t.analyses.c.document_id == doc.id)
            ).all():
                _delete_analysis(conn, a.id)
        conn.execute(update(t.documents).where(t.documents.c.id == doc.id).values(**values))

    def _drop_analysis(self, conn: Connection, doc_id: str) -> None:
        for a in conn.execute(
            select(t.analyses.c.id).where(
                t.analyses.c.document_id == doc_id,
                t.analyses.c.model_name == self.model.name,
                t.analyses.c.model_version == self.model.version,
            )
        ).all():
            _delete_analysis(conn, a.id)

    def _insert_analysis(self, conn: Connection, doc_id: str, sha: str, a: Analysis) -> int:
        points: dict[str, float] = dict(a.operating_points)
        with_technique = {
            name: sentences_with_span([s for s in a.spans if s.score >= cut], _bounds(a))
            for name, cut in points.items()
        }
        with_technique[ALL] = sentences_with_span(a.spans, _bounds(a))
        result = conn.execute(
            insert(t.analyses).values(
                document_id=doc_id,
                sha256=sha,
                model_name=a.model.name,
                model_version=a.model.version,
                created_at=_now(),
                run_id=self.run_id,
                min_score=a.min_score,
                claims_threshold=a.claims_threshold,
                operating_points=points,
                profile=_jsonable(a.profile),
                warnings=[dict(w) for w in a.warnings],
                n_sentences=len(a.sentences),
                sentences_with_technique=with_technique,
                n_claims=len(a.claims),
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def error(self, error: PropscopeError, doc_id: str | None = None) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(
                insert(t.errors).values(
                    run_id=self.run_id,
                    code=error.code.value,
                    message=error.message,
                    path=error.path,
                    line=error.line,
                    byte=error.byte,
                    document_id=doc_id,
                    created_at=_now(),
                )
            )

    def finish(self, counts: Mapping[str, int]) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(
                update(t.runs)
                .where(t.runs.c.id == self.run_id)
                .values(finished_at=_now(), counts=dict(counts))
            )


def _stored_sha(conn: Connection, doc_id: str) -> str | None:
    sha: str | None = conn.execute(
        select(t.documents.c.sha256).where(t.documents.c.id == doc_id)
    ).scalar_one_or_none()
    return sha


def conflict_error(doc: Document) -> PropscopeError:
    path, _, line = doc.where.rpartition(":")
    return PropscopeError(
        Code.DUPLICATE_ID,
        f"id {doc.id!r} is already stored with a different text (pass --force to replace it)",
        path=path if line.isdigit() else doc.where,
        line=int(line) if line.isdigit() else None,
    )


def _bounds(a: Analysis) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in a.sentences]


def _insert_records(conn: Connection, analysis_id: int, a: Analysis) -> None:
    rows: list[tuple[Any, list[dict[str, Any]]]] = [
        (
            t.spans,
            [
                {
                    "analysis_id": analysis_id,
                    "idx": i,
                    "start": s.start,
                    "end": s.end,
                    "technique": s.technique,
                    "score": float(s.score),
                    "technique_score": float(s.technique_score),
                    "quoted": s.quoted,
                    "speaker": s.speaker,
                }
                for i, s in enumerate(a.spans)
            ],
        ),
        (
            t.sentences,
            [
                {
                    "analysis_id": analysis_id,
                    "idx": i,
                    "start": s.start,
                    "end": s.end,
                    "score": float(s.score),
                }
                for i, s in enumerate(a.sentences)
            ],
        ),
        (
            t.claims,
            [
                {
                    "analysis_id": analysis_id,
                    "idx": i,
                    "start": c.start,
                    "end": c.end,
                    "score": float(c.score),
                    "quoted": c.quoted,
                    "speaker": c.speaker,
                }
                for i, c in enumerate(a.claims)
            ],
        ),
        (
            t.facts,
            [
                {
                    "analysis_id": analysis_id,
                    "claim_idx": i,
                    "idx": j,
                    "start": f.start,
                    "end": f.end,
                    "kind": f.kind,
                }
                for i, c in enumerate(a.claims)
                for j, f in enumerate(c.facts)
            ],
        ),
    ]
    for table, values in rows:
        if values:
            conn.execute(insert(table), values)


def _delete_analysis(conn: Connection, analysis_id: int) -> None:
    for table in (t.facts, t.claims, t.sentences, t.spans):
        conn.execute(delete(table).where(table.c.analysis_id == analysis_id))
    conn.execute(delete(t.analyses).where(t.analyses.c.id == analysis_id))


def _cut(value: str | None, n: int) -> str | None:
    return None if value is None else value[:n]


def _jsonable(value: Any) -> Any:
    """Metadata as JSON can hold it (dates and other objects as their text)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def count_rows(database: Database, names: Iterable[str]) -> dict[str, int]:
    with database.engine.connect() as conn:
        counts = {}
        for n in names:
            query = select(func.count()).select_from(t.metadata.tables[n])
            counts[n] = int(conn.execute(query).scalar_one())
        return counts
