"""URL input (propscope.corpus.url): refusals without any network traffic, and real fetches from
a local server on 127.0.0.1 only (with allow_private)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from web_support import ARTICLE_HTML, LEX_TEXT

from propscope.corpus.url import FetchLimits, fetch_url, is_public
from propscope.errors import PropscopeError

PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/article.html": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE_HTML.encode()),
    "/plain.txt": (200, {"Content-Type": "text/plain; charset=utf-8"}, LEX_TEXT.encode()),
    "/latin1.html": (
        200,
        {"Content-Type": "text/html; charset=iso-8859-1"},
        "<p>Caf\u00e9 owners are evil thugs, they said.</p>".encode("latin-1"),
    ),
    "/redirect": (302, {"Location": "/article.html"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/missing": (404, {"Content-Type": "text/html"}, b"<p>not here</p>"),
    "/doc.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
    "/big.html": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 5000 + b"</p>"),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/chunked.html":  # no Content-Length: the cap applies while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(10):
                chunk = b"<p>" + b"y" * 1000 + b"</p>"
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        status, headers, body = PAGES.get(self.path, (404, {}, b""))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that stops reading (the size cap) is expected here


@pytest.fixture(scope="module")
def local_site() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


LOCAL = FetchLimits(timeout_s=5, max_bytes=3000, allow_private=True)


def _code(exc: pytest.ExceptionInfo[PropscopeError]) -> str:
    return exc.value.code.value


# --- fetching from the local server ---


def test_fetch_html(local_site: str) -> None:
    page = fetch_url(f"{local_site}/article.html", FetchLimits(allow_private=True))
    assert page.kind == "html"
    assert page.url == f"{local_site}/article.html"
    assert isinstance(page.content, str) and "Once again" in page.content


def test_fetch_plain_text(local_site: str) -> None:
    page = fetch_url(f"{local_site}/plain.txt", LOCAL)
    assert (page.kind, page.content) == ("text", LEX_TEXT)


def test_fetch_declared_charset(local_site: str) -> None:
    page = fetch_url(f"{local_site}/latin1.html", LOCAL)
    assert "Caf\u00e9 owners" in str(page.content)


def test_redirect_is_followed_and_reported(local_site: str) -> None:
    page = fetch_url(f"{local_site}/redirect", LOCAL)
    assert page.url == f"{local_site}/article.html"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/loop", "redirects"),
        ("/missing", "HTTP 404"),
        ("/doc.pdf", "content type"),
        ("/big.html", "larger than 3000 bytes"),
        ("/chunked.html", "larger than 3000 bytes"),
    ],
)
def test_fetch_failures(local_site: str, path: str, words: str) -> None:
    with pytest.raises(PropscopeError) as exc:
        fetch_url(local_site + path, LOCAL)
    assert _code(exc) == "E047"
    assert words in exc.value.message


def test_timeout(local_site: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(PropscopeError) as exc:
        fetch_url(f"{local_site}/slow", FetchLimits(timeout_s=0.3, allow_private=True))
    assert _code(exc) == "E047"
    assert time.monotonic() - t0 < 1.4


class _Drip:
    """A raw TCP server on 127.0.0.1 that sends its answer one byte every ``gap_s`` seconds:
    each read gets data in time, so only a deadline on the whole fetch stops it."""

    def __init__(self, answer: bytes, gap_s: float) -> None:
        self.answer = answer
        self.gap_s = gap_s
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(4096)
                for i in range(len(self.answer)):
                    if self.stop.wait(self.gap_s):
                        return
                    conn.sendall(self.answer[i : i + 1])
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("part", ["headers", "body"])
def test_one_deadline_for_the_whole_fetch_against_a_dripping_server(part: str) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 400\r\n\r\n"
    body = b"x" * 400
    # headers dripped one byte per 0.05 s take about 3.6 s; the body after prompt headers 20 s
    drip = _Drip(head + body, 0.05) if part == "headers" else _HeadThenDrip(head, body)
    try:
        t0 = time.monotonic()
        with pytest.raises(PropscopeError) as exc:
            fetch_url(
                f"http://127.0.0.1:{drip.port}/", FetchLimits(timeout_s=1.0, allow_private=True)
            )
        took = time.monotonic() - t0
    finally:
        drip.close()
    assert took < 1.8
    assert _code(exc) == "E047" and "within 1 s" in exc.value.message


class _HeadThenDrip(_Drip):
    def __init__(self, head: bytes, body: bytes) -> None:
        super().__init__(body, 0.05)
        self.head = head

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.recv(4096)
            conn.sendall(self.head)
        except OSError:
            conn.close()
            return
        with conn:
            for i in range(len(self.answer)):
                if self.stop.wait(self.gap_s):
                    return
                try:
                    conn.sendall(self.answer[i : i + 1])
                except OSError:
                    return


def test_local_server_is_refused_without_allow_private(local_site: str) -> None:
    with pytest.raises(PropscopeError) as exc:
        fetch_url(f"{local_site}/article.html", FetchLimits())
    assert _code(exc) == "E046"


def test_api_fetches_from_the_local_server_when_allowed(make_app: Any, local_site: str) -> None:
    from fastapi.testclient import TestClient

    with TestClient(make_app(allow_private_urls=True)) as c:
        d = c.post("/api/v1/analyze", json={"url": f"{local_site}/redirect"}).json()
    assert d["source"] == f"{local_site}/article.html"
    text = d["text"]
    assert d["spans"]
    for s in d["spans"]:
        assert text[s["start"] : s["end"]] == s["text"]


# --- refusals, with no network traffic at all ---


class NoNetwork(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a request was sent: {request.url}")


def _no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"DNS was asked about {host}")


NON_PUBLIC = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "100.64.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "2002:7f00:1::1",
    "2001:db8::1",
]


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_non_public_addresses(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "[::ffff:127.0.0.1]"]
)
def test_private_literal_is_refused(address: str) -> None:
    with pytest.raises(PropscopeError) as exc:
        fetch_url(f"http://{address}/", resolve=_no_dns, transport=NoNetwork())
    assert _code(exc) == "E046"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/a",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<p>x</p>",
        "gopher://example.org/",
        "http://user:pw@example.org/",
        "not a url",
        "http:///nohost",
    ],
)
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(PropscopeError) as exc:
        fetch_url(url, resolve=_no_dns, transport=NoNetwork())
    assert _code(exc) == "E046"


def test_every_resolved_address_is_checked() -> None:
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["93.184.216.34", "10.0.0.7"]  # one public, one private: refused

    with pytest.raises(PropscopeError) as exc:
        fetch_url("http://mixed.example/", resolve=resolve, transport=NoNetwork())
    assert _code(exc) == "E046" and "10.0.0.7" in exc.value.message
    assert asked == ["mixed.example"]


def test_unresolvable_host() -> None:
    def resolve(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(PropscopeError) as exc:
        fetch_url("http://nowhere.example/", resolve=resolve, transport=NoNetwork())
    assert _code(exc) == "E047"


def _public(host: str, port: int) -> list[str]:
    return {"public.example": ["93.184.216.34"], "inner.example": ["192.168.0.9"]}[host]


@pytest.mark.parametrize(
    "location",
    ["http://10.1.2.3/", "http://inner.example/x", "file:///etc/passwd", "http://[::1]:8000/"],
)
def test_redirects_are_checked_again(location: str) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"Location": location})

    with pytest.raises(PropscopeError) as exc:
        fetch_url(
            "https://public.example/start", resolve=_public, transport=httpx.MockTransport(handler)
        )
    assert _code(exc) == "E046"
    assert len(sent) == 1  # the refused target was never asked


def test_request_goes_to_the_checked_address() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"<p>hi</p>")

    page = fetch_url(
        "https://public.example:8443/a?b=1", resolve=_public, transport=httpx.MockTransport(handler)
    )
    (req,) = sent
    assert req.url.host == "93.184.216.34" and req.url.port == 8443
    assert req.headers["host"] == "public.example:8443"
    assert req.extensions["sni_hostname"] == "public.example"
    assert page.url == "https://public.example:8443/a?b=1"
