"""uvicorn, as ``propscope serve`` (and the tests' live servers) run it: its HTTP/1.1 protocol
with a deadline for the request headers.

uvicorn has no limit on the time a client takes to send its headers: a client sending one byte
a second keeps a connection open for ever, and a few hundred of them hold the server's
connections. ``GuardedH11Protocol`` gives every request ``header_timeout_s`` from the
connection's start (or the end of the previous answer, on a kept-alive connection) to finish
its headers; past it the connection is closed, with a 408 if part of a request came. Once the
headers are in, ``BodyGuard`` (``web/limits.py``) times the body. The guard sits on uvicorn's
httptools protocol where httptools is installed (a dependency), else on its h11 one; uvicorn
runs on uvloop where that is installed. Both are several times cheaper per request, which is
what keeps refusals and health checks fast under a flood of requests.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from propscope.errors import Code, PropscopeError
from propscope.web.runner import encode
from propscope.web.settings import Settings


def _timeout_answer(timeout_s: float) -> bytes:
    body = encode(
        {
            "error": {
                "code": Code.REQUEST_TIMEOUT.value,
                "message": f"the request headers did not arrive within {timeout_s:g} s "
                "(header_timeout_s)",
            }
        }
    )
    head = (
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n"
        "x-content-type-options: nosniff\r\ncache-control: no-store\r\n\r\n"
    )
    return head.encode("ascii") + body


class _HeaderDeadline:
    """The deadline for a request's headers, shared by both protocols: armed when the
    connection opens and after each answer, disarmed when a request's headers are in."""

    header_timeout_s = 10.0  # set per server by ``protocol_class``
    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm(self) -> None:
        self._disarm()
        self._got_bytes = False
        self._awaiting_headers = True
        self._header_timer: asyncio.TimerHandle | None = self.loop.call_later(
            self.header_timeout_s, self._headers_late
        )

    def _disarm(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
        self._header_timer = None

    def _headers_in(self) -> None:
        self._awaiting_headers = False
        self._disarm()

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or not self._awaiting_headers:
            return
        if self._got_bytes:
            self.transport.write(_timeout_answer(self.header_timeout_s))
        self.transport.close()


class GuardedH11Protocol(_HeaderDeadline, H11Protocol):
    """uvicorn's pure-Python protocol (h11) with the header deadline."""

    def data_received(self, data: bytes) -> None:
        self._got_bytes = self._got_bytes or bool(data)
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are in
            self._headers_in()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # the next request on this connection gets its own deadline


def _httptools_protocol() -> type[Any] | None:
    """uvicorn's protocol on httptools (a C parser, several times cheaper per request than
    h11) with the header deadline; None where httptools is not installed."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return None

    class GuardedHttpToolsProtocol(_HeaderDeadline, HttpToolsProtocol):
        def data_received(self, data: bytes) -> None:
            self._got_bytes = self._got_bytes or bool(data)
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self._headers_in()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and not self.pipeline:
                self._arm()

    return GuardedHttpToolsProtocol


def protocol_class(header_timeout_s: float, parser: str = "auto") -> type[Any]:
    """The guarded protocol on httptools where it is installed (``parser="auto"``), else h11."""
    base = _httptools_protocol() if parser in ("auto", "httptools") else None
    if base is None:
        if parser == "httptools":
            raise ImportError("httptools is not installed")
        base = GuardedH11Protocol
    return type(base.__name__, (base,), {"header_timeout_s": header_timeout_s})


def uvicorn_config(
    app: Any, settings: Settings, *, parser: str = "auto", **options: Any
) -> uvicorn.Config:
    """uvicorn's configuration for ``app`` with the guarded protocol (``parser``: ``"auto"``,
    ``"httptools"`` or ``"h11"``)."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=protocol_class(settings.header_timeout_s, parser),
        **options,
    )


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (not yet listening; uvicorn listens on it), bound
    before the model loads so that a port in use is said at once: E059 where another process
    holds the port, E030 where the address cannot be bound (not this machine's, no
    permission)."""
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        raise PropscopeError(Code.BAD_OPTION, f"cannot listen on {shown}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        # as uvicorn binds: a port whose last connections are in TIME_WAIT can be reused (a
        # port another socket listens on cannot)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PropscopeError(
                Code.PORT_IN_USE,
                f"port {port} on {host} is already in use: stop what listens there or choose "
                "another with --port",
            ) from None
        raise PropscopeError(
            Code.BAD_OPTION, f"cannot listen on {shown}: {exc.strerror or exc}"
        ) from None
    return sock
