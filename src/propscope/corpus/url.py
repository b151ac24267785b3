"""Fetching a page by URL, safely: http(s) only, a timeout, a size cap, public addresses only.

Before every request (the first and each redirect) the host is resolved and *every* address it
resolves to is checked; loopback, private, link-local, multicast, reserved and other
non-global addresses are refused unless ``allow_private`` is set. The request then goes to the
address that was checked (the Host header and TLS name stay the host's), so a second DNS answer
cannot point it elsewhere. Proxies from the environment are not used.

One deadline covers the whole fetch: name resolution, connecting, the headers and the body of
every hop. A server that drips a byte at a time is cut off when it passes, not when a single read
waits too long (``fetch_url_async`` runs under one cancel scope; ``fetch_url`` is its blocking
form).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Literal

import anyio
import httpx

from propscope.errors import Code, PropscopeError
from propscope.version import __version__

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})


@dataclass(frozen=True)
class FetchLimits:
    timeout_s: float = 10.0
    max_bytes: int = 5_000_000
    allow_private: bool = False
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL, after redirects
    kind: Literal["html", "text"]
    content: str | bytes  # HTML as bytes where no charset was declared (trafilatura guesses)


def system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address (IPv4 inside IPv6 checked as IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _refuse(message: str, url: str) -> PropscopeError:
    return PropscopeError(Code.URL_REFUSED, message, path=url)


def _failed(message: str, url: str) -> PropscopeError:
    return PropscopeError(Code.URL_FETCH_FAILED, message, path=url)


def parse_url(url: str) -> httpx.URL:
    """An http(s) URL with a host, else E046."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise _refuse("not a valid URL", url) from None
    if parsed.scheme not in ("http", "https"):
        raise _refuse("only http and https URLs can be fetched", url)
    if not parsed.host:
        raise _refuse("the URL has no host", url)
    if parsed.userinfo:
        raise _refuse("URLs with a user name or password are not fetched", url)
    return parsed


async def check_host(
    parsed: httpx.URL, *, allow_private: bool, resolve: Resolver = system_resolve
) -> list[IPAddress]:
    """Resolve the URL's host (in a worker thread, abandoned if the deadline passes) and check
    every address; the addresses, checked."""
    url = str(parsed)
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        raw = [str(literal)]
    else:
        try:
            name = parsed.raw_host.decode("ascii")
            raw = list(await anyio.to_thread.run_sync(resolve, name, port, abandon_on_cancel=True))
        except (OSError, UnicodeError):
            raise _failed(f"cannot resolve host {host!r}", url) from None
    addresses: list[IPAddress] = []
    for a in raw:
        try:
            addresses.append(ipaddress.ip_address(a.split("%", 1)[0]))
        except ValueError:
            raise _failed(f"host {host!r} resolved to an invalid address", url) from None
    if not addresses:
        raise _failed(f"cannot resolve host {host!r}", url)
    if not allow_private:
        for ip in addresses:
            if not is_public(ip):
                raise _refuse(
                    f"host {host!r} resolves to a non-public address ({ip}); the server must be "
                    "started with --allow-private-urls to fetch it",
                    url,
                )
    return addresses


def fetch_url(
    url: str,
    limits: FetchLimits | None = None,
    *,
    resolve: Resolver = system_resolve,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Fetched:
    """``fetch_url_async`` for blocking callers (the CLI, the library); where this thread
    already runs an event loop (a notebook), in a thread of its own."""
    call = partial(
        anyio.run, partial(fetch_url_async, url, limits, resolve=resolve, transport=transport)
    )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


async def fetch_url_async(
    url: str,
    limits: FetchLimits | None = None,
    *,
    resolve: Resolver = system_resolve,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Fetched:
    """GET a page within ``limits``, all of it within ``limits.timeout_s``; E046 for a refused
    URL, E047 for a failed fetch (one that passed the deadline included)."""
    limits = limits or FetchLimits()
    current = parse_url(url)
    try:
        with anyio.fail_after(limits.timeout_s):
            return await _fetch(current, limits, resolve, transport)
    except TimeoutError:
        raise _failed(
            f"the page was not fetched within {limits.timeout_s:g} s (connecting, headers and "
            "body together)",
            url,
        ) from None


async def _fetch(
    current: httpx.URL,
    limits: FetchLimits,
    resolve: Resolver,
    transport: httpx.AsyncBaseTransport | None,
) -> Fetched:
    async with httpx.AsyncClient(
        timeout=None,  # the deadline around the whole fetch is the limit
        follow_redirects=False,
        trust_env=False,
        transport=transport,
    ) as client:
        for _ in range(limits.max_redirects + 1):
            ip = (await check_host(current, allow_private=limits.allow_private, resolve=resolve))[0]
            headers = {
                "Host": current.netloc.decode("ascii"),
                "User-Agent": f"propscope/{__version__}",
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
            }
            extensions = {"sni_hostname": current.host} if current.scheme == "https" else {}
            request = client.build_request(
                "GET", current.copy_with(host=str(ip)), headers=headers, extensions=extensions
            )
            try:
                response = await client.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise _failed(
                    f"cannot fetch the page: {type(exc).__name__}", str(current)
                ) from None
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECTS and location:
                    try:
                        nxt = current.join(location)
                    except (httpx.InvalidURL, ValueError):
                        raise _refuse("redirect to an invalid URL", str(current)) from None
                    current = parse_url(str(nxt))
                    continue
                return await _read(response, current, limits)
            finally:
                await response.aclose()
        raise _failed(f"more than {limits.max_redirects} redirects", str(current))


async def _read(response: httpx.Response, url: httpx.URL, limits: FetchLimits) -> Fetched:
    where = str(url)
    if response.status_code != 200:
        raise _failed(f"the server answered HTTP {response.status_code}", where)
    ctype = response.headers.get("content-type", "text/html").split(";", 1)[0].strip().lower()
    if ctype not in HTML_TYPES | TEXT_TYPES:
        raise _failed(f"unsupported content type {ctype!r} (HTML or plain text only)", where)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _failed(f"the page is larger than {limits.max_bytes} bytes", where)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limits.max_bytes:
                raise _failed(f"the page is larger than {limits.max_bytes} bytes", where)
            chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise _failed(f"cannot read the page: {type(exc).__name__}", where) from None
    body = b"".join(chunks)
    charset = response.charset_encoding
    if ctype in TEXT_TYPES:
        return Fetched(where, "text", _decode(body, charset or "utf-8"))
    return Fetched(where, "html", _decode(body, charset) if charset else body)


def _decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return body.decode("utf-8", errors="replace")
