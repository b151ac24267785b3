"""Load and abuse benchmark of ``propscope serve``, on the loopback interface only.

    .venv/bin/python benchmarks/load.py [--only SCENARIO ...] [--server-arg=ARG ...] [--url URL]
                                        [--data DIR] [--json PATH] [--quick]

It starts ``propscope serve`` itself (``python -m propscope.cli.main serve`` on 127.0.0.1 and a
free port, with the ``--server-arg`` values appended, e.g. ``--server-arg=--model
--server-arg=builtin:lexicon``; write them with ``=``), waits for ``GET /api/v1/health`` and
stops it at the end, also on Ctrl-C or an error. ``--url http://127.0.0.1:PORT`` measures a
server that is already running instead (loopback addresses only; memory is then read from the
process that listens on that port, or from ``--server-pid``). Where ``PROPSCOPE_API_TOKEN`` is
set, every request carries it as a bearer token.

Each scenario is bounded by a request count and by a time limit; every request has a client-side
timeout, so the run ends within its bounds whatever the server does:

* ``long``: ``--clients`` (50) clients POST /api/v1/analyze ``{"text": ...}`` with 800-word
  texts, each client back to back on its own keep-alive connection, ``--long-requests`` in all
  or ``--long-seconds``, whichever comes first;
* ``short``: the same with short texts (one or two sentences);
* during every scenario but ``memory``, a probe GETs /api/v1/health every ``--health-interval``
  seconds (0.1) on its own connection and records its latency;
* ``slow-client``: ``--slow-connections`` (200) connections send the headers of a valid request
  one byte per second, and one more sends ``Content-Length: 5`` and 2 bytes of body; each is
  watched until the server answers or closes it, or ``--slow-seconds`` (30) pass; meanwhile one
  client sends normal short-text requests back to back;
* ``slow-page``: the benchmark serves its own page on 127.0.0.1 that drips one byte per second
  (``/drip/headers``: status line and headers too; ``/drip/body``: headers at once, the body
  dripped), for at most ``--drip-seconds`` (30) per connection; ``--page-requests`` (2) URL
  requests (``{"url": ...}``, alternately the two pages) are sent at once, and half a second later
  ``--page-text-clients`` (2) clients send short texts back to back until every URL request is
  answered. A server it starts gets ``--allow-private-urls`` for this;
* ``memory``: the server's memory (VmRSS, and PSS, summed over the server process and all its
  descendants: workers count) before and after ``--memory-requests`` (10,000) short-text
  requests sent by as many clients as the server has analysis slots (``limits.max_concurrency``
  in the health answer), after a warm-up of 20 requests, with samples every tenth.

Requests are sent by a small HTTP/1.1 client on asyncio streams (one event loop, no threads),
so that the benchmark's own CPU cost stays low (the summary shows it); on a small machine it
still shares the cores with the server. A latency runs from sending the request (connecting
first where needed) to reading its last byte. Percentiles are nearest-rank. The server runs on
this Python, so ``PYTHONPATH=OTHER/src`` measures another checkout's server.

Every table is Markdown; ``--json PATH`` writes all figures. The exit status is 1 when any
request got a 500 (every table shows the count), 2 when the server cannot be started or
reached, else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import math
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
NEWS_GLOB = "unlabeled-news/*.jsonl"
SCENARIOS = ("long", "short", "slow-client", "slow-page", "memory")
ANALYZE = "/api/v1/analyze"
HEALTH = "/api/v1/health"

# option: (default, --quick)
SIZES: dict[str, tuple[float, float]] = {
    "clients": (50, 5),
    "long_requests": (200_000, 20),
    "long_seconds": (30, 10),
    "short_requests": (200_000, 60),
    "short_seconds": (30, 10),
    "slow_connections": (200, 10),
    "slow_seconds": (30, 3),
    "drip_seconds": (30, 3),
    "page_requests": (2, 2),
    "page_text_clients": (2, 2),
    "memory_requests": (10_000, 200),
    "memory_seconds": (300, 30),
    "timeout": (30, 15),
}


# --- statistics ---


def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (None for no values)."""
    if not values:
        return None
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def latency_summary(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": _ms(pct(values, 50)),
        "p95_ms": _ms(pct(values, 95)),
        "p99_ms": _ms(pct(values, 99)),
        "max_ms": _ms(max(values) if values else None),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


@dataclass
class Tally:
    """Outcomes of the requests of one scenario (or of one kind of request in it)."""

    counts: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"200": [], "503": []})
    errors: Counter[str] = field(default_factory=Counter)
    samples_500: list[str] = field(default_factory=list)

    def add(self, status: int | None, seconds: float, body: bytes = b"", error: str = "") -> None:
        if status is None:
            kind = "timeout" if error == "timeout" else "conn_error"
            self.counts[kind] += 1
            self.errors[error] += 1
            return
        self.statuses[status] += 1
        if status == 200:
            kind = "200"
        elif status == 503:
            kind = "503"
        elif status == 500:
            kind = "500"
            if len(self.samples_500) < 3:
                self.samples_500.append(body[:300].decode("utf-8", "replace"))
        elif 400 <= status < 500:
            kind = "4xx"
        else:
            kind = "other"
        self.counts[kind] += 1
        if kind in self.latencies:
            self.latencies[kind].append(seconds)
        if status != 200:
            code = _error_code(body)
            self.codes[f"{status} {code}" if code else str(status)] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self, elapsed: float | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "requests": self.total,
            "counts": {k: self.counts.get(k, 0) for k in COUNT_KEYS},
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "error_codes": dict(self.codes.most_common()),
            "client_errors": dict(self.errors.most_common()),
            "latency_200": latency_summary(self.latencies["200"]),
            "latency_503": latency_summary(self.latencies["503"]),
        }
        if elapsed is not None:
            out["seconds"] = round(elapsed, 2)
            out["ok_per_s"] = round(self.counts.get("200", 0) / elapsed, 1) if elapsed else None
        if self.samples_500:
            out["samples_500"] = self.samples_500
        return out


COUNT_KEYS = ("200", "503", "4xx", "500", "other", "timeout", "conn_error")


def _error_code(body: bytes) -> str | None:
    if not body or len(body) > 100_000:
        return None
    try:
        err = json.loads(body).get("error") or {}
    except (ValueError, AttributeError):
        return None
    code = err.get("code") if isinstance(err, dict) else None
    return str(code) if code else None


# --- a minimal HTTP/1.1 client on asyncio streams ---


class Http:
    """One keep-alive connection; ``request`` reconnects when the server has closed it."""

    def __init__(self, host: str, port: int, token: str | None) -> None:
        self.host, self.port = host, port
        self.auth = f"Authorization: Bearer {token}\r\n".encode() if token else b""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.transport.abort()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept: application/json\r\n"
        ).encode() + self.auth
        if method == "POST":
            head += b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        data = head + b"\r\n" + body
        for attempt in (0, 1):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection(
                    self.host, self.port, limit=1 << 20
                )
            assert self.reader is not None and self.writer is not None
            try:
                self.writer.write(data)
                await self.writer.drain()
                line = await self.reader.readline()
            except ConnectionError:
                line = b""
                if fresh:
                    self.abort()
                    raise
            if line:
                break
            self.abort()
            if fresh or attempt:  # a reused connection the server had closed: retry once
                raise ConnectionError("the server closed the connection without an answer")
        try:
            return await self._response(line)
        except BaseException:
            self.abort()
            raise

    async def _response(self, line: bytes) -> tuple[int, bytes]:
        assert self.reader is not None
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
            raise ConnectionError(f"bad status line {line[:60]!r}")
        status = int(parts[1])
        headers: dict[bytes, bytes] = {}
        while True:
            h = await self.reader.readline()
            if not h:
                raise ConnectionError("the connection closed inside the headers")
            if h in (b"\r\n", b"\n"):
                break
            name, _, value = h.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            chunks = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(chunks)
        elif b"content-length" in headers:
            body = await self.reader.readexactly(int(headers[b"content-length"]))
        else:
            body = await self.reader.read()
            headers[b"connection"] = b"close"
        if headers.get(b"connection", b"").lower() == b"close":
            self.abort()
        return status, body


async def timed(
    http: Http, method: str, path: str, body: bytes, timeout: float, tally: Tally
) -> tuple[int | None, float]:
    """One request within ``timeout``, recorded in ``tally``; returns (status, seconds)."""
    t0 = time.perf_counter()
    try:
        status, got = await asyncio.wait_for(http.request(method, path, body), timeout)
    except TimeoutError:
        http.abort()
        dt = time.perf_counter() - t0
        tally.add(None, dt, error="timeout")
        return None, dt
    except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
        http.abort()
        dt = time.perf_counter() - t0
        tally.add(None, dt, error=type(exc).__name__)
        return None, dt
    dt = time.perf_counter() - t0
    tally.add(status, dt, got)
    return status, dt


# --- the health probe ---


@dataclass
class Probe:
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        return {**latency_summary(self.latencies), "failures": dict(self.failures)}


async def probe_health(addr: Addr, interval: float, stop: asyncio.Event) -> Probe:
    """GET /api/v1/health every ``interval`` s until ``stop``; timeout 5 s each."""
    probe = Probe()
    http = Http(addr.host, addr.port, addr.token)
    try:
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(http.request("GET", HEALTH), 5.0)
                dt = time.perf_counter() - t0
                if status == 200:
                    probe.latencies.append(dt)
                else:
                    probe.failures[str(status)] += 1
            except TimeoutError:
                http.abort()
                probe.failures["timeout"] += 1
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
                http.abort()
                probe.failures[type(exc).__name__] += 1
            wait = interval - (time.perf_counter() - t0)
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
    finally:
        http.abort()
    return probe


@contextlib.asynccontextmanager
async def health_probe(addr: Addr, interval: float, out: dict[str, Any]) -> Any:
    stop = asyncio.Event()
    task = asyncio.create_task(probe_health(addr, interval, stop))
    try:
        yield
    finally:
        stop.set()
        out["health"] = (await task).summary()


# --- scenarios ---


@dataclass(frozen=True)
class Addr:
    host: str
    port: int
    token: str | None


async def closed_loop(
    addr: Addr,
    bodies: list[bytes],
    clients: int,
    requests: int,
    seconds: float,
    timeout: float,
    tally: Tally,
    until: asyncio.Event | None = None,
    on_done: Any = None,
) -> float:
    """``clients`` clients POSTing ``bodies`` back to back until ``requests`` are sent,
    ``seconds`` pass or ``until`` is set; returns the seconds taken."""
    sent = 0
    t0 = time.perf_counter()
    deadline = t0 + seconds

    async def client() -> None:
        nonlocal sent
        http = Http(addr.host, addr.port, addr.token)
        try:
            while sent < requests and time.perf_counter() < deadline:
                if until is not None and until.is_set():
                    break
                body = bodies[sent % len(bodies)]
                sent += 1
                await timed(http, "POST", ANALYZE, body, timeout, tally)
                if on_done is not None:
                    on_done()
        finally:
            http.abort()

    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    _, pending = await asyncio.wait(tasks, timeout=seconds + timeout + 5)
    for t in pending:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return time.perf_counter() - t0


async def run_load(
    addr: Addr, bodies: list[bytes], args: argparse.Namespace, kind: str
) -> dict[str, Any]:
    tally = Tally()
    out: dict[str, Any] = {
        "clients": args.clients,
        "limit_requests": getattr(args, f"{kind}_requests"),
        "limit_seconds": getattr(args, f"{kind}_seconds"),
    }
    async with health_probe(addr, args.health_interval, out):
        elapsed = await closed_loop(
            addr,
            bodies,
            args.clients,
            out["limit_requests"],
            out["limit_seconds"],
            args.timeout,
            tally,
        )
    out.update(tally.summary(elapsed))
    return out


def slow_request(port: int, content_length: int | None = None) -> bytes:
    """A valid analyze request (its Content-Length overridden if given)."""
    body = b'{"text": "They are evil thugs."}'
    length = len(body) if content_length is None else content_length
    return (
        b"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: slow-client\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (port, length)
    ) + body


async def watch_slow(
    addr: Addr, first: bytes, drip: bytes, cap: float, interval: float = 1.0
) -> dict[str, Any]:
    """Send ``first`` at once, then ``drip`` a byte every ``interval`` s; watch until the server
    answers or closes the connection, or ``cap`` seconds pass."""
    t0 = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(addr.host, addr.port), min(cap, 10)
        )
    except (TimeoutError, OSError) as exc:
        return {"outcome": "connect failed", "seconds": time.perf_counter() - t0, "error": str(exc)}

    async def send() -> None:
        if first:
            writer.write(first)
            await writer.drain()
        for i in range(len(drip)):
            writer.write(drip[i : i + 1])
            await writer.drain()
            await asyncio.sleep(interval)
        await asyncio.sleep(cap + 1)

    sender = asyncio.create_task(send())
    receiver = asyncio.create_task(reader.read(512))
    result: dict[str, Any]
    try:
        left = cap - (time.perf_counter() - t0)
        done, _ = await asyncio.wait(
            {sender, receiver}, timeout=max(0.0, left), return_when=asyncio.FIRST_COMPLETED
        )
        dt = time.perf_counter() - t0
        if receiver in done:
            failed = receiver.exception() is not None  # a reset counts as a close
            data = b"" if failed else receiver.result()
            if data:
                m = re.match(rb"HTTP/\d(?:\.\d)? (\d{3})", data)
                result = {"outcome": "answered", "status": int(m.group(1)) if m else None}
            else:
                result = {"outcome": "closed by the server"}
        elif sender in done:  # writing failed: the server closed (or reset) the connection
            result = {"outcome": "closed by the server"}
        else:
            result = {"outcome": "still open at the cap"}
        result["seconds"] = dt
    finally:
        for t in (sender, receiver):
            t.cancel()
        await asyncio.gather(sender, receiver, return_exceptions=True)
        writer.transport.abort()
    return result


async def run_slow_client(
    addr: Addr, short: list[bytes], args: argparse.Namespace
) -> dict[str, Any]:
    cap = args.slow_seconds
    req = slow_request(addr.port)
    partial = slow_request(addr.port, content_length=5).split(b"\r\n\r\n")[0] + b'\r\n\r\n{"'
    out: dict[str, Any] = {"connections": args.slow_connections, "cap_seconds": cap}
    normal = Tally()
    done = asyncio.Event()
    async with health_probe(addr, args.health_interval, out):
        slow = [
            asyncio.create_task(watch_slow(addr, b"", req, cap))
            for _ in range(args.slow_connections)
        ]
        short_body = asyncio.create_task(watch_slow(addr, partial, b"", cap))
        await asyncio.sleep(0.5)  # let the slow connections open first
        normal_task = asyncio.create_task(
            closed_loop(addr, short, 1, 10**9, cap + 5, min(args.timeout, cap), normal, done)
        )
        results = await asyncio.gather(*slow)
        body_result = await short_body
        done.set()
        await normal_task
    outcomes = Counter(r["outcome"] for r in results)
    ended = [r["seconds"] for r in results if r["outcome"] != "still open at the cap"]
    statuses = Counter(r.get("status") for r in results if r["outcome"] == "answered")
    out["slow_headers"] = {
        "outcomes": dict(outcomes),
        "answer_statuses": {str(k): v for k, v in statuses.items()},
        "seconds_to_close_or_answer": latency_summary(ended),
        "min_ms": _ms(min(ended)) if ended else None,
    }
    body_result["seconds"] = round(body_result["seconds"], 2)
    out["short_body"] = body_result
    out["normal_requests"] = normal.summary()
    out["counts_500"] = (
        normal.counts.get("500", 0) + statuses.get(500, 0) + int(body_result.get("status") == 500)
    )
    return out


class DripServer:
    """A page on 127.0.0.1 that drips one byte every ``1 / rate`` s: ``/drip/headers`` from
    the status line on, ``/drip/body`` after headers sent at once; at most ``cap`` s each."""

    def __init__(self, page: bytes, cap: float, rate: float = 1.0) -> None:
        self.page, self.cap, self.interval = page, cap, 1.0 / rate
        self.connections: list[dict[str, Any]] = []
        self.server: asyncio.Server | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        for t in list(self.tasks):
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        t0 = time.perf_counter()
        info: dict[str, Any] = {"path": None, "bytes_sent": 0}
        self.connections.append(info)
        try:
            line = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            path = line.split(b" ", 2)[1].decode("ascii", "replace")
            info["path"] = path
            head = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(self.page)
            )
            if path.startswith("/drip/body"):
                writer.write(head)
                await writer.drain()
                info["bytes_sent"] = len(head)
                drip = self.page
            else:
                drip = head + self.page
            peer_gone = asyncio.create_task(reader.read(1))
            info["ended"] = "drip cap"
            for i in range(len(drip)):
                if time.perf_counter() - t0 >= self.cap:
                    break
                writer.write(drip[i : i + 1])
                await writer.drain()
                info["bytes_sent"] += 1
                await asyncio.wait({peer_gone}, timeout=self.interval)
                if peer_gone.done():
                    info["ended"] = "fetch gave up"
                    break
            else:
                info["ended"] = "page complete"
            if peer_gone.done():
                peer_gone.exception()  # retrieved, so that asyncio does not log it
            else:
                peer_gone.cancel()
        except (OSError, ConnectionError, asyncio.IncompleteReadError, TimeoutError) as exc:
            info["ended"] = f"fetch gave up ({type(exc).__name__})"
        except asyncio.LimitOverrunError:
            info["ended"] = "bad request"
        finally:
            info["held_seconds"] = round(time.perf_counter() - t0, 2)
            writer.transport.abort()
            self.tasks.discard(task)


async def run_slow_page(
    addr: Addr, short: list[bytes], page_text: str, args: argparse.Namespace
) -> dict[str, Any]:
    cap = args.drip_seconds
    page = DripServer(page_text.encode("utf-8"), cap)
    dport = await page.start()
    out: dict[str, Any] = {
        "url_requests": args.page_requests,
        "text_clients": args.page_text_clients,
        "drip_cap_seconds": cap,
    }
    text = Tally()
    urls: list[dict[str, Any]] = []
    done = asyncio.Event()

    async def url_request(i: int) -> None:
        mode = "headers" if i % 2 == 0 else "body"
        url = f"http://127.0.0.1:{dport}/drip/{mode}/{i}"
        body = json.dumps({"url": url}).encode()
        one = Tally()
        http = Http(addr.host, addr.port, addr.token)
        try:
            status, dt = await timed(http, "POST", ANALYZE, body, cap + 30, one)
        finally:
            http.abort()
        code = next(iter(one.codes), None)
        urls.append(
            {
                "page": f"/drip/{mode}",
                "path": f"/drip/{mode}/{i}",
                "status": status,
                "code": code.split(" ", 1)[1] if code and " " in code else None,
                "seconds": round(dt, 2),
                "client_error": next(iter(one.errors), None),
            }
        )

    try:
        async with health_probe(addr, args.health_interval, out):
            url_tasks = [asyncio.create_task(url_request(i)) for i in range(args.page_requests)]
            await asyncio.sleep(0.5)  # the URL requests reach the server first
            text_task = asyncio.create_task(
                closed_loop(
                    addr,
                    short,
                    args.page_text_clients,
                    10**9,
                    cap + 35,
                    min(args.timeout, cap + 30),
                    text,
                    done,
                )
            )
            _, pending = await asyncio.wait(url_tasks, timeout=cap + 35)
            for t in pending:
                t.cancel()
            await asyncio.gather(*url_tasks, return_exceptions=True)
            done.set()
            out["text_seconds"] = round(await text_task, 2)
    finally:
        await page.stop()
    out["url_results"] = sorted(urls, key=lambda u: u["page"])
    out["page_connections"] = page.connections
    out["text_requests"] = text.summary()
    out["counts_500"] = text.counts.get("500", 0) + sum(u["status"] == 500 for u in urls)
    return out


# --- server memory ---


def _ppids() -> dict[int, int]:
    parents = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue
        parents[int(p.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def process_tree(pid: int) -> list[int]:
    parents = _ppids()
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [c for c, pp in parents.items() if pp in frontier]
        tree += frontier
    return tree


def _kb(path: Path, key: str) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def memory(pid: int | None) -> dict[str, Any] | None:
    """RSS and PSS in MB summed over ``pid`` and its descendants, and the process count."""
    if pid is None or not Path(f"/proc/{pid}").exists():
        return None
    pids = process_tree(pid)
    rss = [_kb(Path(f"/proc/{p}/status"), "VmRSS:") for p in pids]
    pss = [_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss:") for p in pids]
    return {
        "processes": len(pids),
        "rss_mb": round(sum(r or 0 for r in rss) / 1024, 1),
        "pss_mb": round(sum(p or 0 for p in pss) / 1024, 1)
        if all(p is not None for p in pss)
        else None,
        "main_peak_mb": round((_kb(Path(f"/proc/{pid}/status"), "VmHWM:") or 0) / 1024, 1),
    }


def listening_pid(port: int) -> int | None:
    """The topmost process that holds the socket listening on ``port`` (if this user can see
    it)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                f = line.split()
                if f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{f[9]}]")
    owners = set()
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (p / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in inodes:
                        owners.add(int(p.name))
                        break
    if not owners:
        return None
    parents = _ppids()
    roots = [p for p in owners if parents.get(p) not in owners]
    return min(roots or owners)


async def run_memory(
    addr: Addr, bodies: list[bytes], args: argparse.Namespace, pid: int | None, slots: int
) -> dict[str, Any]:
    clients = args.memory_clients or slots
    warm = Tally()
    await closed_loop(addr, bodies, clients, 20, 60, args.timeout, warm)
    n = args.memory_requests
    out: dict[str, Any] = {"clients": clients, "limit_requests": n}
    out["limit_seconds"] = args.memory_seconds
    out["before"] = memory(pid)
    samples: list[dict[str, Any]] = [{"requests": 0, **(out["before"] or {})}]
    tally = Tally()
    step = max(1, n // 10)
    finished = 0

    def on_done() -> None:
        nonlocal finished
        finished += 1
        if finished % step == 0 and finished < n:
            samples.append({"requests": finished, **(memory(pid) or {})})

    elapsed = await closed_loop(
        addr, bodies, clients, n, args.memory_seconds, args.timeout, tally, on_done=on_done
    )
    out["after"] = memory(pid)
    samples.append({"requests": tally.total, **(out["after"] or {})})
    out["samples"] = samples
    out.update(tally.summary(elapsed))
    out["warmup"] = warm.summary()
    out["counts_500"] = tally.counts.get("500", 0) + warm.counts.get("500", 0)
    return out


# --- texts ---


def first_words(text: str, n: int) -> str | None:
    """The text up to the end of its ``n``-th whitespace-separated word (None if shorter)."""
    ends = [m.end() for _, m in zip(range(n), re.finditer(r"\S+", text), strict=False)]
    return text[: ends[-1]] if len(ends) == n else None


def load_texts(
    data: Path, words: int, n_long: int = 100, n_short: int = 1000
) -> tuple[list[str], list[str], str]:
    """``words``-word texts (the first words of news articles) and short ones (the first one or
    two sentences of their paragraphs) from the unlabeled news articles, or generated ones where
    the data is absent; and where they came from."""
    files = sorted(data.glob(NEWS_GLOB)) if data.is_dir() else []
    longs: list[str] = []
    shorts: list[str] = []
    split = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[A-Z\"“‘])")
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                text = (json.loads(line).get("text") or "").strip()
                long = first_words(text, words) if len(longs) < n_long else None
                if long:
                    longs.append(long)
                for para in text.split("\n\n")[:4]:
                    sents = split.split(para.strip())
                    k = 1 + len(shorts) % 2
                    one = " ".join(sents[:k])
                    if len(shorts) < n_short and 40 <= len(one) <= 300 and len(sents) >= k:
                        shorts.append(one)
                if len(longs) >= n_long and len(shorts) >= n_short:
                    return longs, shorts, f"the first articles of {f.relative_to(data)}"
    if longs and shorts:
        return longs, shorts, f"the articles of {data / NEWS_GLOB}"
    longs, shorts = generated(words, n_long, n_short)
    return longs, shorts, f"generated sentences (no {NEWS_GLOB} under {data})"


VOCAB = (
    "the council city residents plan vote budget school library mayor government people country "
    "law report week year police workers families policy election campaign leaders said would "
    "could also after before many most new more against again over"
)
LOADED = "outrageous shameful evil thugs disgrace radical corrupt disaster betrayal"


def generated(words: int, n_long: int, n_short: int) -> tuple[list[str], list[str]]:
    rng = random.Random(14)

    def sentence() -> str:
        pick = [
            (LOADED if rng.random() < 0.05 else VOCAB).split() for _ in range(rng.randint(8, 22))
        ]
        ws = [rng.choice(words) for words in pick]
        return " ".join(ws).capitalize() + rng.choice(".!?")

    def article() -> str:
        out: list[str] = []
        count = 0
        while count < words:
            para = " ".join(sentence() for _ in range(rng.randint(2, 5)))
            out.append(para)
            count += len(para.split())
        return first_words("\n\n".join(out), words) or ""

    longs = [article() for _ in range(n_long)]
    shorts = [" ".join(sentence() for _ in range(1 + i % 2)) for i in range(n_short)]
    return longs, shorts


def bodies_of(texts: list[str]) -> list[bytes]:
    return [json.dumps({"text": t}).encode() for t in texts]


# --- the server ---


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loopback_addr(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise SystemExit(f"--url must be http://127.0.0.1:PORT (loopback), not {url!r}")
    host = parts.hostname
    if host == "localhost":
        host = "127.0.0.1"
    try:
        ok = ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"refusing {url!r}: this benchmark only talks to loopback addresses")
    return host, parts.port or 80


@contextlib.contextmanager
def started_server(
    extra: list[str], log: Path, timeout: float
) -> Iterator[tuple[list[str], int, int, dict[str, Any]]]:
    """``propscope serve`` on 127.0.0.1 and a free port, its output in ``log``; yields its
    command, pid, port and first health answer, and stops it on the way out."""
    port = free_port()
    cmd = [sys.executable, "-m", "propscope.cli.main", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), *extra]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            start_new_session=True,
        )
    try:
        health = wait_healthy("127.0.0.1", port, timeout, proc)
        yield cmd, proc.pid, port, health
    finally:
        stop_server(proc)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """SIGINT (uvicorn's graceful stop), then SIGKILL to its process group after 15 s; any
    process left in the group (workers) is killed too."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def wait_healthy(
    host: str, port: int, timeout: float, proc: subprocess.Popen[bytes] | None
) -> dict[str, Any]:
    import http.client

    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise ServerError(f"the server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", HEALTH)
            r = conn.getresponse()
            body = r.read()
            conn.close()
            if r.status == 200:
                return dict(json.loads(body))
        except (OSError, ValueError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"no answer from {HEALTH} within {timeout:g} s")
        time.sleep(0.25)


class ServerError(Exception):
    pass


def log_findings(log: Path | None) -> dict[str, Any]:
    if log is None or not log.exists():
        return {}
    text = log.read_text("utf-8", "replace")
    tracebacks = text.count("Traceback (most recent call last)")
    last = ""
    if tracebacks:
        tail = text.rsplit("Traceback (most recent call last)", 1)[1].strip().splitlines()
        last = next((x for x in tail if x and not x.startswith((" ", "\t"))), "")
    return {"tracebacks": tracebacks, "last_exception": last}


# --- output ---


def fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def counts_table(rows: list[tuple[str, dict[str, Any]]]) -> None:
    print("| requests | total | 200 | 503 | 4xx | 500 | other | timeouts | conn. errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, s in rows:
        c = s["counts"]
        cells = " | ".join(fmt(c[k]) for k in COUNT_KEYS)
        print(f"| {name} | {fmt(s['requests'])} | {cells} |")


def latency_table(rows: list[tuple[str, dict[str, Any] | None]]) -> None:
    print("| latency (ms) | n | p50 | p95 | p99 | max |")
    print("|---|---|---|---|---|---|")
    for name, s in rows:
        if s is None:
            continue
        cells = " | ".join(fmt(s[k]) for k in ("n", "p50_ms", "p95_ms", "p99_ms", "max_ms"))
        print(f"| {name} | {cells} |")


def codes_line(s: dict[str, Any]) -> None:
    extra = []
    if s.get("error_codes"):
        extra.append("answers other than 200: " + _pairs(s["error_codes"]))
    if s.get("client_errors"):
        extra.append("client-side errors: " + _pairs(s["client_errors"]))
    if s.get("samples_500"):
        extra.append("a 500's body: `" + s["samples_500"][0].replace("`", "'") + "`")
    if extra:
        print()
        print("; ".join(extra) + ".")


def _pairs(d: dict[str, int]) -> str:
    return ", ".join(f"{k} x{v:,}" for k, v in d.items())


def print_load(name: str, title: str, s: dict[str, Any]) -> None:
    print(f"## {name}: {title}")
    print()
    print(
        f"{s['clients']} clients back to back, at most {s['limit_requests']:,} requests or "
        f"{s['limit_seconds']:g} s: {s['requests']:,} requests in {s['seconds']:.1f} s, "
        f"{fmt(s['ok_per_s'])} answers 200 a second."
    )
    print()
    counts_table([(name, s)])
    print()
    rows: list[tuple[str, dict[str, Any] | None]] = [
        ("200 answers", s["latency_200"]),
        ("503 answers", s["latency_503"]),
    ]
    if "health" in s:
        rows.append(("GET /api/v1/health during the load", s["health"]))
    latency_table(rows)
    if s.get("health", {}).get("failures"):
        print()
        print(f"Health probe failures: {_pairs(s['health']['failures'])}.")
    codes_line(s)
    print()


def print_slow_client(s: dict[str, Any]) -> None:
    h = s["slow_headers"]
    print("## slow-client: headers one byte per second; a body shorter than its Content-Length")
    print()
    print(
        "| attack | connections | answered | closed by the server | open at the cap | "
        "time to answer or close (s): p50 / max |"
    )
    print("|---|---|---|---|---|---|")
    o = h["outcomes"]
    t = h["seconds_to_close_or_answer"]
    times = f"{t['p50_ms'] / 1000:.1f} / {t['max_ms'] / 1000:.1f}" if t["n"] else "-"
    print(
        f"| request headers at 1 byte/s, cap {s['cap_seconds']:g} s | {s['connections']} | "
        f"{o.get('answered', 0)} | {o.get('closed by the server', 0)} | "
        f"{o.get('still open at the cap', 0)} | {times} |"
    )
    b = s["short_body"]
    answered = f"1 (HTTP {b.get('status')})" if b["outcome"] == "answered" else "0"
    closed = int(b["outcome"] == "closed by the server")
    still = int(b["outcome"] == "still open at the cap")
    print(
        f"| Content-Length: 5, 2 bytes sent, cap {s['cap_seconds']:g} s | 1 | {answered} | "
        f"{closed} | {still} | {b['seconds']:.1f} |"
    )
    if h["answer_statuses"]:
        print()
        print(f"Statuses of the answers to the slow headers: {_pairs(h['answer_statuses'])}.")
    if o.get("connect failed"):
        print()
        print(f"Connections refused or not accepted within 10 s: {o['connect failed']}.")
    print()
    n = s["normal_requests"]
    print("Normal short-text requests from one client during the attack:")
    print()
    counts_table([("normal, during the attack", n)])
    print()
    latency_table(
        [
            ("normal 200 answers", n["latency_200"]),
            ("normal 503 answers", n["latency_503"]),
            ("GET /api/v1/health during the attack", s["health"]),
        ]
    )
    codes_line(n)
    print()


def print_slow_page(s: dict[str, Any]) -> None:
    print(
        f"## slow-page: {s['url_requests']} URL requests to a page dripping 1 byte/s "
        f"(cap {s['drip_cap_seconds']:g} s), {s['text_clients']} text clients meanwhile"
    )
    print()
    print(
        "| URL request | status | error code | seconds | page connection held (s) | "
        "bytes the page sent | how the page connection ended |"
    )
    print("|---|---|---|---|---|---|---|")
    conns = {c.get("path"): c for c in s["page_connections"]}
    for u in s["url_results"]:
        c = conns.get(u["path"])
        status = u["status"] if u["status"] is not None else u["client_error"]
        held = fmt(c["held_seconds"]) if c else "never fetched"
        print(
            f"| {u['page']} | {status} | {u['code'] or '-'} | {u['seconds']:.1f} | {held} | "
            f"{fmt(c['bytes_sent']) if c else '-'} | {c.get('ended', '-') if c else '-'} |"
        )
    if s["url_results"] and all(u["code"] == "E046" for u in s["url_results"]):
        print()
        print("The server refused the loopback URL: start it with --allow-private-urls.")
    t = s["text_requests"]
    print()
    print(f"Plain-text requests while the URL requests ran ({s['text_seconds']:.1f} s):")
    print()
    counts_table([("short texts, during", t)])
    print()
    latency_table(
        [
            ("text 200 answers", t["latency_200"]),
            ("text 503 answers", t["latency_503"]),
            ("GET /api/v1/health meanwhile", s["health"]),
        ]
    )
    codes_line(t)
    print()


def print_memory(s: dict[str, Any]) -> None:
    print(
        f"## memory: server memory before and after {s['requests']:,} short-text requests "
        f"({s['clients']} clients)"
    )
    print()
    if s["before"] is None:
        print("Server process not found (pass --server-pid): memory not measured.")
        print()
    else:
        print("| requests done | processes | RSS (MB) | PSS (MB) | peak RSS, main process (MB) |")
        print("|---|---|---|---|---|")
        for m in s["samples"]:
            print(
                f"| {m['requests']:,} | {fmt(m.get('processes'))} | {fmt(m.get('rss_mb'))} | "
                f"{fmt(m.get('pss_mb'))} | {fmt(m.get('main_peak_mb'))} |"
            )
        print()
        b, a = s["before"], s["after"]
        if a is not None:
            print(f"RSS grew by {a['rss_mb'] - b['rss_mb']:+.1f} MB over the run.")
            print()
    print(f"{s['requests']:,} requests in {s['seconds']:.1f} s:")
    print()
    counts_table([("memory run", s)])
    print()
    latency_table([("200 answers", s["latency_200"]), ("503 answers", s["latency_503"])])
    codes_line(s)
    print()


def print_summary(r: dict[str, Any]) -> None:
    print("## summary")
    print()
    print(
        "| scenario | seconds | requests | 200 | 503 | 500 | p99 200 (ms) | p99 503 (ms) | "
        "health p99 / max (ms) | the benchmark's own CPU (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, key in (
        ("long", None),
        ("short", None),
        ("slow-client", "normal_requests"),
        ("slow-page", "text_requests"),
        ("memory", None),
    ):
        s = r["scenarios"].get(name)
        if s is None:
            continue
        t = s[key] if key else s
        h = s.get("health")
        health = f"{fmt(h['p99_ms'])} / {fmt(h['max_ms'])}" if h else "-"
        c = t["counts"]
        print(
            f"| {name}{' (text requests)' if key else ''} | {fmt(s.get('wall_s'))} | "
            f"{fmt(t['requests'])} | {fmt(c['200'])} | {fmt(c['503'])} | "
            f"{fmt(s.get('counts_500', c['500']))} | {fmt(t['latency_200']['p99_ms'])} | "
            f"{fmt(t['latency_503']['p99_ms'])} | {health} | {fmt(s.get('client_cpu_s'))} |"
        )
    print()
    log = r.get("server_log") or {}
    if log:
        print(
            f"Server log: {log['tracebacks']} traceback(s)"
            + (f", the last: `{log['last_exception']}`" if log.get("last_exception") else "")
            + "."
        )
    print(f"Requests answered 500 in all: {r['total_500']}.")


# --- main ---


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--url", help="measure the server at this loopback URL instead of one it starts"
    )
    ap.add_argument(
        "--server-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="an argument appended to `propscope serve` (repeat; write --server-arg=--model)",
    )
    ap.add_argument(
        "--only",
        action="append",
        metavar="SCENARIO",
        help=f"run only these scenarios (repeat or comma-separate): {', '.join(SCENARIOS)}",
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    ap.add_argument("--words", type=int, default=800, help="words in each long text")
    ap.add_argument("--quick", action="store_true", help="every scenario tiny (for the tests)")
    ap.add_argument("--json", type=Path, metavar="PATH", help="write all figures here")
    ap.add_argument(
        "--health-interval", type=float, default=0.1, help="seconds between health probes"
    )
    ap.add_argument(
        "--memory-clients",
        type=int,
        default=0,
        help="clients of the memory run (default: the server's max_concurrency)",
    )
    ap.add_argument("--server-pid", type=int, help="with --url: the process to measure")
    ap.add_argument("--server-log", type=Path, help="keep the started server's output here")
    ap.add_argument(
        "--start-timeout",
        type=float,
        default=180,
        help="seconds to wait for a started server's health answer",
    )
    for name, (default, quick) in SIZES.items():
        kind = float if name.endswith(("seconds", "timeout")) else int
        ap.add_argument(
            "--" + name.replace("_", "-"),
            type=kind,
            default=None,
            help=f"default {default:g} (--quick: {quick:g})",
        )
    args = ap.parse_args(argv)
    for name, (default, quick) in SIZES.items():
        if getattr(args, name) is None:
            value = quick if args.quick else default
            setattr(args, name, value if name.endswith(("seconds", "timeout")) else int(value))
    chosen = [s.strip() for o in args.only or [] for s in o.split(",") if s.strip()]
    bad = [s for s in chosen if s not in SCENARIOS]
    if bad:
        ap.error(f"unknown scenario {bad[0]!r}; choose from {', '.join(SCENARIOS)}")
    args.scenarios = [s for s in SCENARIOS if s in chosen] if chosen else list(SCENARIOS)
    if any(a.split("=", 1)[0] == "--host" for a in args.server_arg):
        ap.error("the benchmark binds the server to 127.0.0.1 itself; do not pass --host")
    return args


async def run_all(
    addr: Addr, args: argparse.Namespace, r: dict[str, Any], pid: int | None, slots: int
) -> None:
    longs, shorts, source = load_texts(args.data, args.words)
    r["texts"] = {
        "source": source,
        "long": len(longs),
        "long_words": args.words,
        "short": len(shorts),
        "short_chars_mean": round(sum(map(len, shorts)) / len(shorts)),
    }
    long_b, short_b = bodies_of(longs), bodies_of(shorts)
    out = r["scenarios"]
    for name in args.scenarios:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        cpu, wall = time.process_time(), time.perf_counter()
        if name == "long":
            out[name] = await run_load(addr, long_b, args, "long")
        elif name == "short":
            out[name] = await run_load(addr, short_b, args, "short")
        elif name == "slow-client":
            out[name] = await run_slow_client(addr, short_b, args)
        elif name == "slow-page":
            page = "\n\n".join(longs[0].split("\n\n")[:3])[:2000]
            out[name] = await run_slow_page(addr, short_b, page, args)
        elif name == "memory":
            out[name] = await run_memory(addr, short_b, args, pid, slots)
        out[name]["wall_s"] = round(time.perf_counter() - wall, 1)
        out[name]["client_cpu_s"] = round(time.process_time() - cpu, 1)


def count_500(r: dict[str, Any]) -> int:
    total = 0
    for s in r["scenarios"].values():
        total += s["counts_500"] if "counts_500" in s else s["counts"]["500"]
    return total


def report(r: dict[str, Any]) -> None:
    h = r["health"]
    print(
        f"# load benchmark: propscope {h.get('version')}, model {h['model']['name']} "
        f"{h['model']['version']}, {r['cpus']} CPU cores"
    )
    print()
    print(f"Server: `{r['server']}`; limits {json.dumps(h.get('limits', {}))}.")
    t = r["texts"]
    print(
        f"Texts: {t['long']} of {t['long_words']} words and {t['short']} short ones "
        f"(one or two sentences, {t['short_chars_mean']} characters on average), from "
        f"{t['source']}."
    )
    if r.get("memory_at_start"):
        m = r["memory_at_start"]
        end = r.get("memory_at_end") or {}
        print(
            f"Server memory: RSS {m['rss_mb']:.0f} MB once healthy, "
            f"{end.get('rss_mb', float('nan')):.0f} MB at the end."
        )
    print()
    s = r["scenarios"]
    if "long" in s:
        print_load("long", f"{r['texts']['long_words']}-word texts", s["long"])
    if "short" in s:
        print_load("short", "short texts (one or two sentences)", s["short"])
    if "slow-client" in s:
        print_slow_client(s["slow-client"])
    if "slow-page" in s:
        print_slow_page(s["slow-page"])
    if "memory" in s:
        print_memory(s["memory"])
    print_summary(r)


def measure(
    args: argparse.Namespace,
    r: dict[str, Any],
    addr: Addr,
    health: dict[str, Any],
    pid: int | None,
) -> int:
    if health.get("auth_required") and not addr.token:
        print("error: the server requires a token; set PROPSCOPE_API_TOKEN", file=sys.stderr)
        return 2
    r["health"] = health
    r["server_pid"] = pid
    r["memory_at_start"] = memory(pid)
    slots = int(health.get("limits", {}).get("max_concurrency") or 2)
    asyncio.run(run_all(addr, args, r, pid, slots))
    r["memory_at_end"] = memory(pid)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    token = os.environ.get("PROPSCOPE_API_TOKEN") or None

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    r: dict[str, Any] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    r["settings"] = {k: v for k, v in vars(args).items() if k in SIZES or k == "words"}
    r["scenarios"] = {}
    with tempfile.TemporaryDirectory(prefix="propscope-load-") as tmp:
        if args.url:
            host, port = loopback_addr(args.url)
            try:
                health = wait_healthy(host, port, 10, None)
            except ServerError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            pid = args.server_pid or listening_pid(port)
            r["server"] = f"already running at {args.url}" + (f" (pid {pid})" if pid else "")
            code = measure(args, r, Addr(host, port, token), health, pid)
        else:
            extra = list(args.server_arg)
            if "slow-page" in args.scenarios and "--allow-private-urls" not in extra:
                extra.append("--allow-private-urls")
            log = args.server_log or Path(tmp) / "server.log"
            print("starting the server ...", file=sys.stderr, flush=True)
            try:
                with started_server(extra, log, args.start_timeout) as (cmd, pid, port, health):
                    r["server"] = "propscope " + " ".join(cmd[3:])
                    code = measure(args, r, Addr("127.0.0.1", port, token), health, pid)
            except ServerError as exc:
                print(f"error: {exc}", file=sys.stderr)
                print(log.read_text("utf-8", "replace")[-3000:], file=sys.stderr)
                return 2
            r["server_log"] = log_findings(log)  # complete: the server has stopped
        if code:
            return code
    r["total_500"] = count_500(r)
    report(r)
    if args.json:
        args.json.write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    return 1 if r["total_500"] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; the server was stopped", file=sys.stderr)
        sys.exit(130)
