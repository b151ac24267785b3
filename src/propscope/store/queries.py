"""Reading the corpus database: statistics by source, month or author, the document list with
its filters, one stored analysis, errors of a run, exports. The CLI (``propscope corpus``), the
JSON API (``/api/v1/corpus/...``) and the dashboard all call these.

Spans are stored down to the model's ``sensitive`` point; every query takes a ``sensitivity``
(default ``balanced``) and counts the spans whose score reaches that point.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select

from propscope.claims.profile import quoted_sentences
from propscope.claims.quotes import find_quotes
from propscope.errors import Code, PropscopeError
from propscope.model import SENSITIVITIES
from propscope.store import schema as t
from propscope.store.db import Database
from propscope.techniques import LABELS
from propscope.types import Analysis, Claim, Fact, ModelInfo, Sentence, Span

GROUPS = ("source", "month", "author")
UNKNOWN = "(unknown)"
DEFAULT_SENSITIVITY = "balanced"


@dataclass(frozen=True)
class Scope:
    """Which analyses a query reads (one model version) and from which score spans count."""

    model: ModelInfo
    sensitivity: str
    min_score: float | None  # None: every stored span

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": {"name": self.model.name, "version": self.model.version},
            "sensitivity": self.sensitivity,
            "min_score": None if self.min_score is None else round(self.min_score, 4),
        }


def scope(
    database: Database, sensitivity: str = DEFAULT_SENSITIVITY, model: str | None = None
) -> Scope | None:
    """The model version to read (``model``: ``NAME`` or ``NAME@VERSION``; default: the one
    that analysed last) and its threshold; None for a database without analyses."""
    if sensitivity not in SENSITIVITIES:
        raise PropscopeError(
            Code.BAD_OPTION,
            f"unknown sensitivity {sensitivity!r} (choose {', '.join(SENSITIVITIES)})",
        )
    a = t.analyses.c
    query = select(a.model_name, a.model_version, a.operating_points).order_by(a.id.desc())
    if model:
        name, _, version = model.partition("@")
        query = query.where(a.model_name == name)
        if version:
            query = query.where(a.model_version == version)
    with database.engine.connect() as conn:
        row = conn.execute(query.limit(1)).one_or_none()
    if row is None:
        if model:
            raise PropscopeError(Code.BAD_OPTION, f"no analyses by model {model!r} in the database")
        return None
    points: Mapping[str, float] = row.operating_points or {}
    return Scope(ModelInfo(row.model_name, row.model_version), sensitivity, points.get(sensitivity))


def _of_model(query: Select[Any], sc: Scope) -> Select[Any]:
    return query.where(
        t.analyses.c.model_name == sc.model.name, t.analyses.c.model_version == sc.model.version
    )


def _span_ok(sc: Scope) -> Any:
    return True if sc.min_score is None else t.spans.c.score >= sc.min_score


def _group_key(by: str | None, source: str | None, day: date | None, author: str | None) -> str:
    if by == "source":
        return source or UNKNOWN
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}" if day else "(undated)"
    if by == "author":
        return author or UNKNOWN
    return "all"


@dataclass
class _Tally:
    documents: int = 0
    words: int = 0
    sentences: int = 0
    with_technique: int = 0
    claims: int = 0
    techniques: Counter[str] = field(default_factory=Counter)

    def to_dict(self, key: str) -> dict[str, Any]:
        spans = sum(self.techniques.values())
        per_k = (lambda n: round(n * 1000 / self.words, 3)) if self.words else (lambda n: 0.0)
        return {
            "key": key,
            "documents": self.documents,
            "words": self.words,
            "spans": spans,
            "spans_per_1000_words": per_k(spans),
            "share_of_sentences_with_technique": round(self.with_technique / self.sentences, 4)
            if self.sentences
            else 0.0,
            "check_worthy_claims": self.claims,
            "techniques": {
                name: {
                    "count": self.techniques[name],
                    "per_1000_words": per_k(self.techniques[name]),
                }
                for name in LABELS
            },
        }


def stats(
    database: Database,
    *,
    by: str | None = None,
    sensitivity: str = DEFAULT_SENSITIVITY,
    model: str | None = None,
) -> dict[str, Any]:
    """Documents, words, spans per technique (count and per 1,000 words), the share of
    sentences with a technique and the check-worthy claims, per group and in total."""
    if by is not None and by not in GROUPS:
        raise PropscopeError(
            Code.BAD_OPTION, f"cannot group by {by!r} (choose {', '.join(GROUPS)})"
        )
    sc = scope(database, sensitivity, model)
    if sc is None:
        return {"model": None, "sensitivity": sensitivity, "by": by, "groups": [], "total": None}
    d, a, s = t.documents.c, t.analyses.c, t.spans.c
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    total = _Tally()
    docs = _of_model(
        select(
            d.source,
            d.date,
            d.author,
            d.words,
            a.n_sentences,
            a.sentences_with_technique,
            a.n_claims,
        ).join_from(t.analyses, t.documents, a.document_id == d.id),
        sc,
    )
    point = sensitivity if sc.min_score is not None else "all"
    with database.engine.connect() as conn:
        for row in conn.execute(docs.execution_options(yield_per=1000)):
            with_t = int((row.sentences_with_technique or {}).get(point, 0))
            for tally in (tallies[_group_key(by, row.source, row.date, row.author)], total):
                tally.documents += 1
                tally.words += row.words
                tally.sentences += row.n_sentences
                tally.with_technique += with_t
                tally.claims += row.n_claims
        counts = _of_model(
            select(d.source, d.date, d.author, s.technique, func.count().label("n"))
            .join_from(t.spans, t.analyses, s.analysis_id == a.id)
            .join(t.documents, a.document_id == d.id)
            .where(_span_ok(sc))
            .group_by(d.source, d.date, d.author, s.technique),
            sc,
        )
        for row in conn.execute(counts):
            tallies[_group_key(by, row.source, row.date, row.author)].techniques[row.technique] += (
                row.n
            )
            total.techniques[row.technique] += row.n
    groups = [tallies[k].to_dict(k) for k in sorted(tallies)]
    return {**sc.to_dict(), "by": by, "groups": groups, "total": total.to_dict("all")}


def facets(database: Database, model: str | None = None) -> dict[str, Any]:
    """What the dashboard's filters offer: sources, the date range, the techniques."""
    sc = scope(database, DEFAULT_SENSITIVITY, model)
    d = t.documents.c
    with database.engine.connect() as conn:
        sources = [
            r.source
            for r in conn.execute(
                select(d.source).where(d.source.is_not(None)).distinct().order_by(d.source)
            )
        ]
        lo, hi = conn.execute(select(func.min(d.date), func.max(d.date))).one()
        n = int(conn.execute(select(func.count()).select_from(t.documents)).scalar_one())
    return {
        **(sc.to_dict() if sc else {"model": None}),
        "documents": n,
        "sources": sources,
        "date_from": lo.isoformat() if lo else None,
        "date_to": hi.isoformat() if hi else None,
        "techniques": list(LABELS),
    }


def documents(
    database: Database,
    *,
    q: str | None = None,
    source: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    technique: str | None = None,
    sensitivity: str = DEFAULT_SENSITIVITY,
    model: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """A page of the documents analysed, newest first, with their span counts; filtered by a
    search in the text or id, a source, a date range, a technique they use."""
    sc = scope(database, sensitivity, model)
    if sc is None:
        return {"total": 0, "documents": [], "limit": limit, "offset": offset}
    d, a, s = t.documents.c, t.analyses.c, t.spans.c
    where = []
    if q:
        pattern = f"%{q.lower()}%"
        where.append(or_(func.lower(d.text).like(pattern), func.lower(d.id).like(pattern)))
    if source:
        where.append(d.source == source)
    if date_from:
        where.append(d.date >= date_from)
    if date_to:
        where.append(d.date <= date_to)
    if technique:
        where.append(
            exists(
                select(s.idx).where(s.analysis_id == a.id, s.technique == technique, _span_ok(sc))
            )
        )
    base = _of_model(select(a.id).join_from(t.analyses, t.documents, a.document_id == d.id), sc)
    base = base.where(and_(True, *where))
    n_spans = (
        select(func.count())
        .where(s.analysis_id == a.id, _span_ok(sc))
        .correlate(t.analyses)
        .scalar_subquery()
    )
    page = (
        base.with_only_columns(
            d.id, d.source, d.date, d.date_text, d.author, d.meta, d.words, a.n_claims, n_spans
        )
        .order_by(d.date.desc().nulls_last(), d.id)
        .limit(limit)
        .offset(offset)
    )
    with database.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(base.subquery())).scalar_one())
        rows = conn.execute(page).all()
    out = [
        {
            "id": r.id,
            "title": (r.meta or {}).get("title"),
            "source": r.source,
            "date": r.date.isoformat() if r.date else r.date_text,
            "author": r.author,
            "words": r.words,
            "spans": int(r[-1]),
            "check_worthy_claims": r.n_claims,
        }
        for r in rows
    ]
    return {"total": total, "documents": out, "limit": limit, "offset": offset, **sc.to_dict()}


def stored_analysis(database: Database, doc_id: str, model: str | None = None) -> Analysis | None:
    """The stored analysis of one document as the library's record (all spans stored, its
    ``min_score`` the point they were stored from); None where there is none."""
    sc = scope(database, DEFAULT_SENSITIVITY, model)
    if sc is None:
        return None
    d, a = t.documents.c, t.analyses.c
    with database.engine.connect() as conn:
        row = conn.execute(
            _of_model(
                select(d.text, d.source, a.id, a.min_score, a.operating_points, a.profile)
                .add_columns(a.warnings, a.claims_threshold)
                .join_from(t.analyses, t.documents, a.document_id == d.id)
                .where(d.id == doc_id),
                sc,
            )
        ).one_or_none()
        if row is None:
            return None
        return _analysis(conn, doc_id, sc.model, row)


def _sentences(text: str, stored: Iterable[Any]) -> tuple[Sentence, ...]:
    """The stored sentences, each marked quoted as the analysis marked it: the store keeps no
    such column, so the quotes are found again in the text (``find_quotes`` is deterministic
    and sees the same sentences)."""
    scored = [(s.start, s.end, s.score) for s in stored]
    bounds = [(a, b) for a, b, _ in scored]
    in_quote = quoted_sentences(bounds, find_quotes(text, bounds))
    return tuple(Sentence(a, b, sc, q) for (a, b, sc), q in zip(scored, in_quote, strict=True))


def _analysis(conn: Any, doc_id: str, model: ModelInfo, row: Any) -> Analysis:
    aid = row.id

    def rows(table: Any, *order: Any) -> list[Any]:
        found: list[Any] = conn.execute(
            select(table).where(table.c.analysis_id == aid).order_by(*order)
        ).all()
        return found

    facts: dict[int, list[Fact]] = defaultdict(list)
    for f in rows(t.facts, t.facts.c.claim_idx, t.facts.c.idx):
        facts[f.claim_idx].append(Fact(f.start, f.end, f.kind))
    return Analysis(
        text=row.text,
        model=model,
        spans=tuple(
            Span(p.start, p.end, p.technique, p.score, p.quoted, p.speaker, p.technique_score)
            for p in rows(t.spans, t.spans.c.idx)
        ),
        claims=tuple(
            Claim(c.start, c.end, c.score, tuple(facts[c.idx]), c.quoted, c.speaker)
            for c in rows(t.claims, t.claims.c.idx)
        ),
        sentences=_sentences(row.text, rows(t.sentences, t.sentences.c.idx)),
        profile=dict(row.profile or {}),
        warnings=tuple(dict(w) for w in row.warnings or ()),
        id=doc_id,
        min_score=row.min_score,
        operating_points=dict(row.operating_points or {}),
        claims_threshold=row.claims_threshold,
    )


def document_json(database: Database, doc_id: str, model: str | None = None) -> dict[str, Any]:
    """The stored analysis as the API's JSON, with its text and the document's metadata."""
    analysis = stored_analysis(database, doc_id, model)
    if analysis is None:
        raise PropscopeError(Code.NOT_FOUND, f"no analysed document with id {doc_id!r}")
    d = t.documents.c
    with database.engine.connect() as conn:
        doc = conn.execute(
            select(d.source, d.date, d.date_text, d.author, d.meta).where(d.id == doc_id)
        ).one()
    return {**analysis.to_dict(with_text=True), "document": _document_fields(doc)}


def _document_fields(row: Any) -> dict[str, Any]:
    """A document's metadata as the JSON gives it (the date parsed where it could be)."""
    return {
        "source": row.source,
        "date": row.date.isoformat() if row.date else row.date_text,
        "author": row.author,
        "meta": row.meta,
    }


def iter_analyses(
    database: Database, sensitivity: str = DEFAULT_SENSITIVITY, model: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every stored analysis as JSON with its text and metadata, in id order, holding the
    spans that reach ``sensitivity``'s point (exports)."""
    sc = scope(database, sensitivity, model)
    if sc is None:
        return
    d, a = t.documents.c, t.analyses.c
    query = _of_model(
        select(d.id.label("doc_id"), d.text, d.source, d.date, d.date_text, d.author, d.meta)
        .add_columns(a.id, a.min_score, a.operating_points, a.profile, a.warnings)
        .add_columns(a.claims_threshold)
        .join_from(t.analyses, t.documents, a.document_id == d.id)
        .order_by(d.id),
        sc,
    )
    # streamed (yield_per), the records of each analysis read on a second connection
    with database.engine.connect() as conn, database.engine.connect() as inner:
        for row in conn.execute(query.execution_options(yield_per=200)):
            analysis = _analysis(inner, row.doc_id, sc.model, row)
            if sc.min_score is not None:
                shown = tuple(p for p in analysis.spans if p.score >= sc.min_score)
                analysis = replace(analysis, spans=shown, min_score=sc.min_score)
            yield {**analysis.to_dict(with_text=True), "document": _document_fields(row)}


@dataclass(frozen=True)
class StoredError:
    code: str
    message: str
    path: str | None
    line: int | None
    byte: int | None
    document_id: str | None

    def render(self) -> str:
        where = ", ".join(
            p
            for p in (
                self.path,
                f"line {self.line}" if self.line is not None else None,
                f"byte {self.byte}" if self.byte is not None else None,
                f"id {self.document_id}" if self.document_id is not None else None,
            )
            if p
        )
        return f"{self.code}: {self.message}" + (f" ({where})" if where else "")


def run_errors(database: Database, run: int | None = None) -> tuple[int | None, list[StoredError]]:
    """The errors of run ``run`` (default: the last run) in the order they were met."""
    r, e = t.runs.c, t.errors.c
    with database.engine.connect() as conn:
        run_id = run
        if run_id is None:
            run_id = conn.execute(select(func.max(r.id))).scalar_one_or_none()
        if run_id is None:
            return None, []
        rows = conn.execute(
            select(e.code, e.message, e.path, e.line, e.byte, e.document_id)
            .where(e.run_id == run_id)
            .order_by(e.id)
        ).all()
    return run_id, [StoredError(*row) for row in rows]
