"""Typed dependencies of the routes: the app's state, the token check, the URL fetcher."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from propscope.corpus.url import Fetched, FetchLimits, fetch_url
from propscope.errors import Code
from propscope.pipeline import Pipeline
from propscope.store.db import Database
from propscope.web.errors import ApiError
from propscope.web.limits import Limiter
from propscope.web.settings import Settings

Fetcher = Callable[[str, FetchLimits], Fetched]


@dataclass(frozen=True)
class AppState:
    """Everything a request needs, built once by ``create_app``."""

    settings: Settings
    pipeline: Pipeline
    limiter: Limiter
    database: Database | None = None  # the corpus database of --db, opened once

    @property
    def fetch_limits(self) -> FetchLimits:
        s = self.settings
        return FetchLimits(
            timeout_s=s.url_timeout_s,
            max_bytes=s.url_max_bytes,
            allow_private=s.allow_private_urls,
        )


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.propscope
    return state


State = Annotated[AppState, Depends(get_state)]


def require_token(request: Request, state: State) -> None:
    """Where a token is configured, ``Authorization: Bearer <token>`` must carry it."""
    token = state.settings.api_token
    if not token:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8", "surrogateescape"), token.encode("utf-8")
    ):
        raise ApiError(
            401,
            Code.UNAUTHORIZED,
            "this server requires 'Authorization: Bearer <token>' (see PROPSCOPE_API_TOKEN)",
            headers={"WWW-Authenticate": "Bearer"},
        )


def get_fetcher() -> Fetcher:
    """The URL fetcher; tests override it to stay off the network."""

    def fetch(url: str, limits: FetchLimits) -> Fetched:
        return fetch_url(url, limits)

    return fetch


FetcherDep = Annotated[Fetcher, Depends(get_fetcher)]
