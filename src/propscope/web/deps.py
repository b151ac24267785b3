"""Typed dependencies of the routes: the app's state and the URL fetcher."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from propscope.corpus.url import Fetched, FetchLimits, fetch_url_async
from propscope.errors import Code
from propscope.store.db import Database
from propscope.web.errors import ApiError
from propscope.web.runner import Runner
from propscope.web.settings import Settings

# A fetcher may be a coroutine function (the real one) or a plain function (tests' stubs).
Fetcher = Callable[[str, FetchLimits], Awaitable[Fetched] | Fetched]


@dataclass
class AppState:
    """Everything a request needs, built once by ``create_app``."""

    settings: Settings
    runner: Runner
    database: Database | None = None  # the corpus database of --db, opened once
    fetching: int = field(default=0)  # URL fetches in flight (at most settings.max_fetches)

    @property
    def fetch_limits(self) -> FetchLimits:
        s = self.settings
        return FetchLimits(
            timeout_s=s.url_timeout_s,
            max_bytes=s.url_max_bytes,
            allow_private=s.allow_private_urls,
        )

    @asynccontextmanager
    async def fetch_slot(self) -> AsyncIterator[None]:
        """One of the ``max_fetches`` fetch slots (503 when none is free), apart from the
        analysis slots: a slow page holds only its own."""
        limit = self.settings.max_fetches
        if self.fetching >= limit:
            retry = self.settings.retry_after_s
            raise ApiError(
                503,
                Code.BUSY,
                f"the server is busy ({limit} pages being fetched); retry in {retry} s",
                headers={"Retry-After": str(retry)},
            )
        self.fetching += 1
        try:
            yield
        finally:
            self.fetching -= 1

    async def fetch(self, fetcher: Fetcher, url: str) -> Fetched:
        async with self.fetch_slot():
            got = fetcher(url, self.fetch_limits)
            return await got if inspect.isawaitable(got) else got


# Both dependencies are coroutines: FastAPI runs a plain function in its thread pool, a hop
# through another thread that every request (health checks too) would pay under load.


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.propscope
    return state


State = Annotated[AppState, Depends(get_state)]


async def get_fetcher() -> Fetcher:
    """The URL fetcher; tests override it to stay off the network."""
    return fetch_url_async


FetcherDep = Annotated[Fetcher, Depends(get_fetcher)]
