"""``GET /api/v1/corpus/...``: the corpus database of ``propscope serve --db`` (read only).

Thin skins over :mod:`propscope.store.queries`: statistics by source, month or author, the
filters' facets, the document list and one stored analysis. Without a database every route
answers 404 (E041) saying how to start the server with one. Where a token is set these routes
need it, as the analyze routes do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query

from propscope.errors import Code, PropscopeError
from propscope.store import queries
from propscope.store.db import Database
from propscope.techniques import LABELS
from propscope.web import examples
from propscope.web.deps import AppState, State
from propscope.web.errors import ApiError, error_responses

router = APIRouter(prefix="/api/v1/corpus", tags=["corpus"])

NO_DATABASE = (
    "this server has no corpus database: start it with propscope serve --db URL "
    "(a database filled by propscope batch INPUT... --db URL)"
)
ERRORS: dict[int | str, dict[str, Any]] = error_responses(400, 401, 404, 422, 500)

Sensitivity = Annotated[
    Literal["precise", "balanced", "sensitive"],
    Query(description="Operating point from which spans count (default balanced)."),
]
Model = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Analyses of this model (`NAME` or `NAME@VERSION`); default: the model "
        "that analysed last.",
    ),
]

T = TypeVar("T")


def _database(state: AppState) -> Database:
    if state.database is None:
        raise ApiError(404, Code.NOT_FOUND, NO_DATABASE)
    return state.database


def _call(state: AppState, query: Callable[[Database], T]) -> T:
    """Run a query on the database; its coded errors in the API's terms."""
    database = _database(state)
    try:
        return query(database)
    except PropscopeError as exc:
        if exc.code == Code.NOT_FOUND:
            raise ApiError(404, Code.NOT_FOUND, exc.message) from None
        if exc.code == Code.BAD_OPTION:
            raise ApiError(400, Code.BAD_REQUEST, exc.message) from None
        raise


@router.get(
    "/stats",
    summary="Technique statistics of the corpus, in total and by group",
    response_model=dict[str, Any],
    responses={
        200: {
            "description": "Totals and one entry per group",
            "content": examples.json_example(examples.CORPUS_STATS),
        },
        **ERRORS,
    },
)
def corpus_stats(
    state: State,
    by: Annotated[
        Literal["source", "month", "author"] | None,
        Query(description="Group by source, month (`YYYY-MM`) or author; default: no groups."),
    ] = None,
    sensitivity: Sensitivity = "balanced",
    model: Model = None,
) -> dict[str, Any]:
    """Documents, words, spans per technique (count and per 1,000 words), the share of
    sentences with a technique and the check-worthy claims, per group and in `total`."""
    return _call(state, lambda db: queries.stats(db, by=by, sensitivity=sensitivity, model=model))


@router.get(
    "/facets",
    summary="What the corpus filters offer",
    response_model=dict[str, Any],
    responses={
        200: {
            "description": "Sources, date range, techniques, model",
            "content": examples.json_example(examples.CORPUS_FACETS),
        },
        **ERRORS,
    },
)
def corpus_facets(state: State, model: Model = None) -> dict[str, Any]:
    """The sources, the first and last date, the techniques and the number of documents."""
    return _call(state, lambda db: queries.facets(db, model=model))


@router.get(
    "/documents",
    summary="The documents analysed, filtered, a page at a time",
    response_model=dict[str, Any],
    responses={
        200: {
            "description": "`total` and one page of `documents`",
            "content": examples.json_example(examples.CORPUS_DOCUMENTS),
        },
        **ERRORS,
    },
)
def corpus_documents(
    state: State,
    q: Annotated[
        str | None, Query(max_length=500, description="Text or id contains this (any case).")
    ] = None,
    source: Annotated[str | None, Query(max_length=500, description="Exact source.")] = None,
    date_from: Annotated[date | None, Query(description="First date (YYYY-MM-DD).")] = None,
    date_to: Annotated[date | None, Query(description="Last date (YYYY-MM-DD).")] = None,
    technique: Annotated[
        str | None,
        Query(
            description="Only documents with a span of this technique.",
            json_schema_extra={"enum": list(LABELS)},
        ),
    ] = None,
    sensitivity: Sensitivity = "balanced",
    model: Model = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Documents per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31, description="Documents to skip.")] = 0,
) -> dict[str, Any]:
    """Newest first, each with its title, source, date, author, words, span count and
    check-worthy claims."""
    if technique is not None and technique not in LABELS:
        raise ApiError(
            422,
            Code.BAD_REQUEST,
            f"invalid request: query.technique: unknown technique {technique!r}",
        )
    return _call(
        state,
        lambda db: queries.documents(
            db,
            q=q,
            source=source,
            date_from=date_from,
            date_to=date_to,
            technique=technique,
            sensitivity=sensitivity,
            model=model,
            limit=limit,
            offset=offset,
        ),
    )


@router.get(
    "/documents/{doc_id:path}",
    summary="One stored analysis",
    response_model=dict[str, Any],
    responses={
        200: {
            "description": "The analysis JSON with `text` and `document` (metadata)",
            "content": examples.json_example(examples.CORPUS_DOCUMENT),
        },
        **ERRORS,
    },
)
def corpus_document(
    state: State,
    doc_id: Annotated[
        str, Path(description="The document's id, as stored by propscope batch (may hold /).")
    ],
    model: Model = None,
) -> dict[str, Any]:
    """The analysis JSON as `POST /api/v1/analyze` answers it (spans down to the `sensitive`
    point, with `operating_points` and `min_score`), its `text`, and `document`: source,
    date, author and the record's other fields."""
    return _call(state, lambda db: queries.document_json(db, doc_id, model=model))
