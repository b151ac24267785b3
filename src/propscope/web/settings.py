"""Settings of ``propscope serve``: one table, each with a default and help text.

Every setting can also come from the environment as ``PROPSCOPE_<NAME>`` (upper case), e.g.
``PROPSCOPE_API_TOKEN``; options given on the command line win.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_ENV = "PROPSCOPE_API_TOKEN"


class Settings(BaseSettings):
    """Configuration of the web app and API."""

    model_config = SettingsConfigDict(env_prefix="PROPSCOPE_", extra="ignore", frozen=True)

    host: str = Field(
        default="127.0.0.1",
        description="Address to bind. Any address other than loopback requires api_token.",
    )
    port: int = Field(default=8000, ge=0, le=65535, description="TCP port to listen on.")
    model: str | None = Field(
        default=None,
        description="Model folder, or builtin:lexicon / builtin:lines (default: the shipped "
        "model). Loaded once, when the app starts.",
    )
    api_token: str | None = Field(
        default=None,
        description="Bearer token that the analyze and corpus routes require (environment: "
        f"{TOKEN_ENV}). Required when host is not a loopback address.",
    )
    max_body_bytes: int = Field(
        default=2_000_000, ge=1, description="Largest request body, in bytes; larger ones get 413."
    )
    max_batch: int = Field(
        default=32, ge=1, description="Most texts in one POST /api/v1/analyze/batch."
    )
    max_concurrency: int = Field(
        default=2,
        ge=1,
        description="Analyses running at once (with the process executor: worker processes, "
        "each holding the model; propscope serve --workers); a request beyond that gets 503 "
        "with Retry-After at once, never queued.",
    )
    executor: Literal["process", "thread"] = Field(
        default="process",
        description="Where analyses run: worker processes (the server's own process stays free "
        "to answer at once; an analysis past its budget is stopped) or threads of the server's "
        "process (less memory; an analysis past its budget runs on to its end, holding its "
        "slot).",
    )
    analysis_budget_s: float = Field(
        default=30.0,
        gt=0,
        description="Longest time one request's analysis (a batch's together) may take, in "
        "seconds; past it the request gets 422 (E057).",
    )
    max_fetches: int = Field(
        default=4,
        ge=1,
        description='URL fetches ({"url": ...}) at once, apart from the analysis slots so that '
        "a slow page never holds one; a fetch beyond that gets 503.",
    )
    header_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="Time a client has to send a request's headers (from connecting, or from "
        "the previous answer on a kept-alive connection), in seconds; then the connection is "
        "closed (with 408 if part of a request came). Relax it behind a reverse proxy that "
        "buffers requests.",
    )
    body_timeout_s: float = Field(
        default=20.0,
        gt=0,
        description="Time a client has to send a request's body once its headers came, in "
        "seconds; then it gets 408 (E058).",
    )
    retry_after_s: int = Field(
        default=2, ge=0, description="Seconds in the Retry-After header of a 503 (server busy)."
    )
    allow_private_urls: bool = Field(
        default=False,
        description='Let {"url": ...} fetch loopback, private and link-local addresses.',
    )
    url_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="Time limit for fetching a URL, redirects included, in seconds.",
    )
    url_max_bytes: int = Field(
        default=5_000_000,
        ge=1,
        description="Largest page fetched from a URL, in bytes (decompressed).",
    )
    db: str | None = Field(
        default=None,
        description="Corpus database to read (a SQLite file path or a database URL, as for "
        "propscope batch --db) for the dashboard at /corpus and the /api/v1/corpus routes. "
        "Opened once at start; never created or migrated.",
    )


def is_loopback(host: str) -> bool:
    """True where ``host`` is a loopback address (127.0.0.0/8, ::1), or a name every address
    of which is one. Names are resolved like any other (``localhost`` and ``*.localhost``
    included: no name is trusted for what it says); one that does not resolve is not loopback.
    """
    name = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    addresses = {str(info[4][0]).split("%", 1)[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)
