"""The server under hostile clients and pages (issue 14): the token before the body, headers,
immediate refusals, fetches apart from the analysis slots, the analysis budget, worker
processes, and deadlines for slow clients on a real uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import LEX_TEXT, TINY, start_server, stop_server

from propscope.corpus.url import Fetched, FetchLimits
from propscope.pipeline import Pipeline
from propscope.web import Settings, create_app
from propscope.web.deps import get_fetcher
from propscope.web.settings import is_loopback

MakeApp = Callable[..., FastAPI]
JSON = {"content-type": "application/json"}


def _code(r: Any) -> str:
    return str(r.json()["error"]["code"])


# --- the token first ---


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"text": 5}', b'{"texts": "x"}', b"x" * 5000],
    ids=["malformed", "invalid", "wrong-shape", "too-large"],
)
def test_token_is_checked_before_the_body(make_app: MakeApp, body: bytes) -> None:
    with TestClient(make_app(api_token="s3cret", max_body_bytes=1000)) as c:
        for path in ("/api/v1/analyze", "/api/v1/analyze/batch"):
            r = c.post(path, content=body, headers=JSON)
            assert r.status_code == 401 and _code(r) == "E045", r.text
        r = c.post(
            "/api/v1/analyze", content=body, headers={**JSON, "Authorization": "Bearer s3cret"}
        )
        assert r.status_code in (413, 422)  # with the token, the body is looked at
        assert c.get("/api/v1/corpus/stats").status_code == 401


# --- response headers ---


def test_api_answers_are_not_sniffed_or_stored(client: TestClient) -> None:
    for r in (
        client.post("/api/v1/analyze", json={"text": LEX_TEXT}),
        client.post("/api/v1/analyze", json={"text": 5}),
        client.get("/api/v1/health"),
        client.get("/api/v1/nothing"),
    ):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
    page = client.get("/")
    assert page.headers["x-content-type-options"] == "nosniff"


# --- immediate refusals ---


def test_busy_refusal_comes_before_the_body_is_read(make_app: MakeApp) -> None:
    app = make_app(max_concurrency=1)
    limiter = app.state.propscope.runner.limiter
    with TestClient(app) as c:
        assert limiter.try_acquire()
        try:
            # malformed: had the body been read, this would be 422
            r = c.post("/api/v1/analyze", content=b"{not json", headers=JSON)
            assert r.status_code == 503 and _code(r) == "E044"
            assert r.headers["retry-after"] == "2"
        finally:
            limiter.release()
        assert c.post("/api/v1/analyze", content=b"{not json", headers=JSON).status_code == 422


# --- fetching apart from the analysis slots ---


class _HeldFetcher:
    """An async fetcher that waits until the test lets it go."""

    def __init__(self) -> None:
        self.started = threading.Semaphore(0)
        self.go = threading.Event()

    async def __call__(self, url: str, limits: FetchLimits) -> Fetched:
        self.started.release()
        await anyio.to_thread.run_sync(self.go.wait, 10)
        return Fetched(url, "text", LEX_TEXT)


def test_slow_pages_do_not_hold_analysis_slots(make_app: MakeApp) -> None:
    app = make_app(max_concurrency=2, max_fetches=2)
    fetcher = _HeldFetcher()
    app.dependency_overrides[get_fetcher] = lambda: fetcher
    statuses: list[int] = []
    with TestClient(app) as c:

        def fetch_one() -> None:
            r = c.post("/api/v1/analyze", json={"url": "https://slow.example/"})
            statuses.append(r.status_code)

        threads = [threading.Thread(target=fetch_one) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            for _ in threads:
                assert fetcher.started.acquire(timeout=10)
            # both fetches hang, holding no analysis slot: text is analysed
            assert app.state.propscope.runner.free_slots() == 2
            r = c.post("/api/v1/analyze", json={"text": LEX_TEXT})
            assert r.status_code == 200
            # a third page finds every fetch slot taken
            r = c.post("/api/v1/analyze", json={"url": "https://third.example/"})
            assert r.status_code == 503 and "fetched" in r.json()["error"]["message"]
        finally:
            fetcher.go.set()
            for t in threads:
                t.join(10)
    assert statuses == [200, 200]


# --- the analysis budget ---


class _Slow:
    def __init__(self, inner: Pipeline, seconds: float) -> None:
        self.inner = inner
        self.info = inner.info
        self.seconds = seconds
        self.done = threading.Event()

    def analyze(self, text: str) -> Any:
        time.sleep(self.seconds)
        self.done.set()
        return self.inner.analyze(text)

    def using(self, **_kw: Any) -> _Slow:
        return self


def test_threads_answer_at_the_budget_and_keep_the_slot(
    make_app: MakeApp, lexicon_pipeline: Pipeline
) -> None:
    slow = _Slow(lexicon_pipeline, 1.5)
    app = make_app(pipeline=slow, max_concurrency=1, analysis_budget_s=0.3)
    with TestClient(app) as c:
        t0 = time.monotonic()
        r = c.post("/api/v1/analyze", json={"text": "a"})
        took = time.monotonic() - t0
        assert r.status_code == 422 and _code(r) == "E057", r.text
        assert "0.3 s" in r.json()["error"]["message"]
        assert took < 1.2
        # the thread runs on: its slot is still taken, so the next request is refused
        assert c.post("/api/v1/analyze", json={"text": "b"}).status_code == 503
        assert slow.done.wait(5)
        deadline = time.monotonic() + 5
        while app.state.propscope.runner.free_slots() == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        slow.seconds = 0
        assert c.post("/api/v1/analyze", json={"text": "c"}).status_code == 200


# --- worker processes ---


@pytest.fixture(scope="module")
def process_app() -> Iterator[FastAPI]:
    """The tiny model in one worker process, with a short budget."""
    app = create_app(
        Settings(model=str(TINY), executor="process", max_concurrency=1, analysis_budget_s=3)
    )
    yield app
    app.state.propscope.runner.close()


def test_processes_answer_what_threads_answer(
    process_app: FastAPI, make_app: MakeApp, tiny_pipeline: Pipeline
) -> None:
    text = "The council voted 5 to 2 on Tuesday.\u2028They are evil thugs, \ud83d said Smith."
    c = TestClient(process_app)  # no lifespan: the fixture's workers outlive this test
    if True:
        got = c.post("/api/v1/analyze", json={"text": "The council voted 5 to 2. They lie."})
        batch = c.post("/api/v1/analyze/batch", json={"texts": ["One.", "Two evil thugs."]})
        html = c.post("/api/v1/analyze", json={"html": "<p>They are evil thugs.</p>"})
        health = c.get("/api/v1/health").json()
    with TestClient(make_app(pipeline=tiny_pipeline)) as c:
        want = c.post("/api/v1/analyze", json={"text": "The council voted 5 to 2. They lie."})
        want_batch = c.post("/api/v1/analyze/batch", json={"texts": ["One.", "Two evil thugs."]})
        want_html = c.post("/api/v1/analyze", json={"html": "<p>They are evil thugs.</p>"})
    assert got.status_code == 200 and got.content == want.content
    assert batch.content == want_batch.content and html.content == want_html.content
    assert health["model"]["name"] == tiny_pipeline.info.name
    assert text  # surrogates are refused by the schema; the worker repairs fetched ones


def test_a_worker_past_its_budget_is_stopped_and_replaced(process_app: FastAPI) -> None:
    runner = process_app.state.propscope.runner
    (worker,) = runner._idle
    pid = worker.process.pid
    big = ("The council voted 5 to 2 on Tuesday, officials said. " * 20 + "\n") * 400
    c = TestClient(process_app)
    if True:
        t0 = time.monotonic()
        r = c.post("/api/v1/analyze", json={"text": big})
        assert r.status_code == 422 and _code(r) == "E057", r.text[:200]
        assert time.monotonic() - t0 < 6
        # while the new worker loads the model (seconds: a fresh interpreter, the model and
        # spaCy), analyses are refused, not queued
        assert c.post("/api/v1/analyze", json={"text": "a"}).status_code == 503
        deadline = time.monotonic() + 120
        while runner.free_slots() == 0:
            assert time.monotonic() < deadline, "no new worker"
            time.sleep(0.2)
        assert not worker.process.is_alive()
        assert runner._idle[0].process.pid != pid
        assert c.post("/api/v1/analyze", json={"text": "They lie."}).status_code == 200


def test_a_model_that_fails_to_load_is_a_coded_error(tmp_path: Any) -> None:
    from propscope.errors import PropscopeError

    with pytest.raises(PropscopeError) as exc:
        create_app(Settings(model=str(tmp_path / "nothing"), executor="process"))
    assert exc.value.code.value in {"E001", "E020"}


# --- slow clients on a real server ---


@pytest.fixture(params=["httptools", "h11"])
def guarded_server(lexicon_pipeline: Pipeline, request: pytest.FixtureRequest) -> Iterator[str]:
    app = create_app(
        Settings(model="builtin:lexicon", header_timeout_s=0.5, body_timeout_s=0.5),
        pipeline=lexicon_pipeline,
    )
    live = start_server(app, parser=request.param)
    yield live.url
    stop_server(live)


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            got = sock.recv(4096)
        except (ConnectionResetError, TimeoutError):
            break
        if not got:
            break
        chunks.append(got)
    return b"".join(chunks)


def test_slow_headers_are_cut_off(guarded_server: str) -> None:
    with _connect(guarded_server) as sock:
        t0 = time.monotonic()
        sock.sendall(b"POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-")
        answer = _read_all(sock)
        took = time.monotonic() - t0
    assert took < 2.5
    assert answer.startswith(b"HTTP/1.1 408 ") and b'"E058"' in answer


def test_an_idle_connection_is_closed_without_an_answer(guarded_server: str) -> None:
    with _connect(guarded_server) as sock:
        t0 = time.monotonic()
        assert _read_all(sock) == b""
        assert time.monotonic() - t0 < 2.5


def test_a_short_body_gets_408(guarded_server: str) -> None:
    with _connect(guarded_server) as sock:
        t0 = time.monotonic()
        sock.sendall(
            b"POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5\r\n\r\n{}"
        )
        answer = _read_all(sock)
        took = time.monotonic() - t0
    assert took < 2.5
    assert answer.startswith(b"HTTP/1.1 408 ") and b'"E058"' in answer


def test_a_kept_alive_connection_gets_a_new_header_deadline(guarded_server: str) -> None:
    with _connect(guarded_server) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 ")
        time.sleep(0.3)
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHo")  # then nothing more
        t0 = time.monotonic()
        answer = _read_all(sock)
        assert time.monotonic() - t0 < 2.5
    assert answer.startswith(b"HTTP/1.1 408 ")


# --- loopback means loopback ---


def test_names_are_resolved_before_they_count_as_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {
        "app.localhost": ["203.0.113.9"],
        "localhost": ["127.0.0.1", "::1"],
        "mixed.example": ["127.0.0.1", "10.0.0.1"],
        "lo.example": ["127.0.0.5"],
    }

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in answers:
            raise socket.gaierror("no such name")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0)) for a in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    assert is_loopback("localhost") and is_loopback("lo.example")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]")
    assert not is_loopback("app.localhost")  # the name says localhost; DNS says otherwise
    assert not is_loopback("mixed.example")
    assert not is_loopback("nowhere.localhost")  # unresolvable: not loopback
