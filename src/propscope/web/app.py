"""``create_app(settings)``: the one factory behind ``propscope serve`` and the tests.

The model is loaded here, once: in ``max_concurrency`` worker processes (``executor =
"process"``), or in this process for threads (``executor = "thread"``, or a ``pipeline``
given by the caller). See ``web/runner.py``; the guards in front of the routes are in
``web/limits.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from propscope.errors import Code, PropscopeError
from propscope.pipeline import Pipeline
from propscope.store.db import Database, database_url, open_database, schema_revision
from propscope.version import __version__
from propscope.web.deps import AppState
from propscope.web.errors import install_error_handlers
from propscope.web.limits import BodyGuard, BusyGate, ResponseHeaders, TokenGate
from propscope.web.routes import analyze, corpus, explain, health, pages, techniques
from propscope.web.runner import make_runner
from propscope.web.settings import TOKEN_ENV, Settings, is_loopback

DESCRIPTION = """\
Persuasion techniques (the 14 of SemEval-2020 Task 11) and check-worthy claims, span by span.

Offsets are Python `str` indices (Unicode code points) into the text analysed, start
inclusive, end exclusive. Send JSON (`Content-Type: application/json`); answers are JSON.

Every error has one shape: `{"error": {"code": "E0..", "message": "..."}}`, with the HTTP
status each operation lists (any path also answers 404 E041 when unknown and 405 E042 for a
method it does not take). Where the server has a token (`PROPSCOPE_API_TOKEN`), the analyze,
explain and corpus routes need `Authorization: Bearer <token>`; `GET /api/v1/health` says
whether it does.
"""

TAGS = [
    {
        "name": "analyze",
        "description": "Analyse texts, HTML pages or URLs, and explain a flagged span. Each "
        "takes an analysis slot (max_concurrency): one more is refused with 503, never queued.",
    },
    {
        "name": "corpus",
        "description": "Read the corpus database of `propscope serve --db` (filled by "
        "`propscope batch`); 404 without one.",
    },
    {"name": "reference", "description": "The techniques, and the server's health and limits."},
]


def check_settings(settings: Settings) -> None:
    """Refuse to serve beyond loopback without a token (E048)."""
    if not is_loopback(settings.host) and not settings.api_token:
        raise PropscopeError(
            Code.TOKEN_REQUIRED,
            f"serving on {settings.host}, which is not a loopback address, needs an API token: "
            f"pass --token or set {TOKEN_ENV}",
        )


def open_corpus(db: str) -> Database:
    """The corpus database of ``settings.db``, opened once and never created or migrated: a
    missing SQLite file or a database without the propscope schema is E050."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(database_url(db))
    except ArgumentError:  # open_database words the error
        parsed = None
    if parsed is not None and parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path != ":memory:" and not Path(path).is_file():
            raise PropscopeError(
                Code.DATABASE,
                f"no corpus database at {path}: fill one with propscope batch INPUT... --db {db}",
            )
    database = open_database(db, migrate=False)
    if schema_revision(database) is None:
        database.close()
        raise PropscopeError(
            Code.DATABASE,
            f"the database {database.url} holds no propscope corpus: fill it with "
            "propscope batch INPUT... --db first",
        )
    return database


def create_app(settings: Settings | None = None, *, pipeline: Pipeline | None = None) -> FastAPI:
    """The web app. ``pipeline`` lets a caller share one loaded pipeline between apps."""
    settings = settings or Settings()
    check_settings(settings)
    database = open_corpus(settings.db) if settings.db else None
    try:
        runner = make_runner(
            settings.executor,
            settings.model,
            settings.max_concurrency,
            settings.analysis_budget_s,
            settings.retry_after_s,
            pipeline,
        )
    except BaseException:
        if database is not None:
            database.close()
        raise

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runner.close()
        if database is not None:
            database.close()

    app = FastAPI(
        title="propscope",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.propscope = AppState(settings, runner, database)
    install_error_handlers(app)
    # Added innermost first: a request meets ResponseHeaders, TokenGate, BusyGate, BodyGuard.
    app.add_middleware(
        BodyGuard, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s
    )
    app.add_middleware(
        BusyGate,
        free_slots=runner.free_slots,
        slots=settings.max_concurrency,
        retry_after_s=settings.retry_after_s,
    )
    app.add_middleware(TokenGate, token=settings.api_token)
    app.add_middleware(ResponseHeaders)
    for module in (analyze, explain, corpus, techniques, health, pages):
        app.include_router(module.router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _openapi(app, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """FastAPI's document, plus what depends on the settings: the batch limit and the token
    (the analyze and corpus routes need it)."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    batch = schema["components"]["schemas"]["BatchRequest"]["properties"]["texts"]
    batch["maxItems"] = settings.max_batch
    if settings.api_token:  # every protected operation lists 401 (web/errors.py) already
        schema["components"]["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": f"See {TOKEN_ENV}."}
        }
        for item in schema["paths"].values():
            for op in item.values():
                if {"analyze", "corpus"} & set(op.get("tags", [])):
                    op["security"] = [{"bearer": []}]
    return schema
