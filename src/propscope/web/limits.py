"""The guards every request passes before a route sees it, outermost first:

1. ``ResponseHeaders``: ``X-Content-Type-Options: nosniff`` on every answer, and
   ``Cache-Control: no-store`` on the API's (analyses are of the caller's texts).
2. ``TokenGate``: where a token is set, the analyze and corpus routes answer 401 before the
   body is read or validated.
3. ``BusyGate``: an analysis request while every analysis slot is taken gets 503 at once,
   before its body is read (the route checks again when it takes a slot).
4. ``BodyGuard``: 413 for a body over ``max_bytes`` (at once where Content-Length says so,
   else as soon as the bytes received pass it), 408 for a body that does not arrive within
   ``timeout_s`` of the headers.

Slow headers are the server protocol's business (``web/server.py``): no ASGI code runs
before the headers are complete.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from propscope.errors import Code
from propscope.web.errors import ApiError, error_response
from propscope.web.runner import busy_error

# Paths that need the token where one is set.
PROTECTED = ("/api/v1/analyze", "/api/v1/explain", "/api/v1/corpus")
ANALYSIS = frozenset({"/api/v1/analyze", "/api/v1/analyze/batch", "/api/v1/explain"})


def _too_large(limit: int) -> ApiError:
    return ApiError(413, Code.BODY_TOO_LARGE, f"the request body is larger than {limit} bytes")


def _too_slow(timeout_s: float) -> ApiError:
    return ApiError(
        408,
        Code.REQUEST_TIMEOUT,
        f"the request body did not arrive within {timeout_s:g} s (body_timeout_s)",
        headers={"Connection": "close"},
    )


class ResponseHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                replaced = (
                    {b"x-content-type-options", b"cache-control"}
                    if api
                    else {b"x-content-type-options"}
                )
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in replaced
                ]
                headers.append((b"x-content-type-options", b"nosniff"))
                if api:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def token_accepted(authorization: str, token: str) -> bool:
    """``Authorization: Bearer <token>``, compared in constant time."""
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8", "surrogateescape"), token.encode("utf-8")
    )


class TokenGate:
    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.token and scope["path"].startswith(PROTECTED):
            raw = dict(scope.get("headers", [])).get(b"authorization", b"")
            if not token_accepted(raw.decode("latin-1"), self.token):
                response = error_response(
                    401,
                    Code.UNAUTHORIZED,
                    "this server requires 'Authorization: Bearer <token>' (see "
                    "PROPSCOPE_API_TOKEN)",
                    {"WWW-Authenticate": "Bearer"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BusyGate:
    """``free_slots()`` is the runner's count of analysis slots free now."""

    def __init__(
        self, app: ASGIApp, free_slots: Callable[[], int], slots: int, retry_after_s: int
    ) -> None:
        self.app = app
        self.free_slots = free_slots
        # the refusal is the same every time: rendered once (it is what a flood gets)
        busy = busy_error(slots, retry_after_s)  # the route's own refusal, word for word
        response = error_response(busy.status_code, busy.code, busy.message, busy.headers)
        self._start: Message = {
            "type": "http.response.start",
            "status": 503,
            "headers": response.raw_headers,
        }
        self._body: Message = {"type": "http.response.body", "body": response.body}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] in ANALYSIS
            and self.free_slots() <= 0
        ):
            await send(self._start)
            await send(self._body)
            return
        await self.app(scope, receive, send)


class BodyGuard:
    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                response = error_response(400, Code.BAD_REQUEST, "invalid Content-Length header")
                await response(scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                exc = _too_large(self.max_bytes)
                response = error_response(413, exc.code, exc.message, {"Connection": "close"})
                await response(scope, receive, send)
                return
        received = 0
        limit = self.max_bytes
        timeout_s = self.timeout_s
        deadline = time.monotonic() + timeout_s
        complete = False

        async def guarded_receive() -> Message:
            nonlocal received, complete
            if complete:  # the body is in: only a disconnect is left to wait for
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise _too_slow(timeout_s) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
                complete = not message.get("more_body", False)
            return message

        await self.app(scope, guarded_receive, send)
