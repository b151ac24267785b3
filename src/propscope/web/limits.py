"""Request body limit and bounded analysis concurrency."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from propscope.errors import Code
from propscope.web.errors import ApiError, error_response


def _too_large(limit: int) -> ApiError:
    return ApiError(413, Code.BODY_TOO_LARGE, f"the request body is larger than {limit} bytes")


class BodyLimitMiddleware:
    """Answers 413 for a body over ``max_bytes``: at once where Content-Length says so, else as
    soon as the bytes received pass the limit (chunked uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

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

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
            return message

        await self.app(scope, limited_receive, send)


class Limiter:
    """At most ``slots`` analyses at once; one more is refused (503), never queued.

    A thread semaphore, not an asyncio one: it does not belong to an event loop, so tests can
    take every slot from their own thread and see the next request refused."""

    def __init__(self, slots: int, retry_after_s: int) -> None:
        self.slots = slots
        self.retry_after_s = retry_after_s
        self._sem = threading.BoundedSemaphore(slots)

    def try_acquire(self) -> bool:
        return self._sem.acquire(blocking=False)

    def release(self) -> None:
        self._sem.release()

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self.try_acquire():
            raise ApiError(
                503,
                Code.BUSY,
                f"the server is busy ({self.slots} analyses running); retry in "
                f"{self.retry_after_s} s",
                headers={"Retry-After": str(self.retry_after_s)},
            )
        try:
            yield
        finally:
            self.release()
