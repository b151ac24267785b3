"""Texts, paths and the live-server helper shared by the web tests (imported as
``web_support``: pytest puts this folder on ``sys.path``)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from propscope.web.server import uvicorn_config

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny-model"
SAMPLE = ROOT / "examples" / "sample_article.txt"
README = ROOT / "README.md"

# What builtin:lexicon finds in this text (offsets by hand).
LEX_TEXT = "What an outrageous idea. They are evil thugs.\nOur country is great.\n"
LEX_SPANS = [
    (8, 18, "Loaded_Language", "outrageous"),
    (34, 38, "Loaded_Language", "evil"),
    (39, 44, "Name_Calling,Labeling", "thugs"),
    (46, 57, "Flag-Waving", "Our country"),
]

ARTICLE_HTML = """<!doctype html><html><head><title>Site</title></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | evil thugs menu</nav>
<article><h1>The Council Vote</h1>
<p>Once again the so-called experts at City Hall made an outrageous decision about the town.</p>
<p>The council voted 5 to 2 to close the Riverside library, which served families for years.</p>
<p>Residents called the plan a shameful betrayal and said they would keep fighting it.</p>
</article>
<footer>Copyright 2024 Evil Thugs Media. All rights reserved.</footer>
</body></html>"""

# Text that would run code if any renderer parsed it as HTML. Each payload sets a window flag
# or opens a dialog; the tests check that neither happens and that no element comes from it.
HOSTILE = (
    "They are evil thugs <script>window.__pwned = 'script'</script> indeed.\n"
    "<img src=x onerror=\"window.__pwned = 'img'; alert(1)\"> outrageous!\n"
    "<a href=\"javascript:window.__pwned='link'\">click</a> and [more](javascript:alert(2)).\n"
    "</textarea><svg onload=\"window.__pwned='svg'\"></svg> </script><!-- --> ]]>\n"
    "Bidi: \u202eevil\u202c and \u2066thugs\u2069 with \u200fmarks\u200e.\n"
    '"><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe> {{7*7}} ${7*7}\n'
)
BIDI = "\u202e\u202c\u2066\u2069\u200f\u200e"


@dataclass
class LiveServer:
    url: str
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread = field(repr=False)


def start_server(app: FastAPI, parser: str = "auto") -> LiveServer:
    """uvicorn on a free 127.0.0.1 port, in a daemon thread; returns once it accepts
    (``parser``: the HTTP parser of ``propscope.web.server.uvicorn_config``)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn_config(
        app,
        app.state.propscope.settings,
        parser=parser,
        log_level="warning",
        lifespan="off",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    return LiveServer(f"http://127.0.0.1:{port}", app, server, thread)


def stop_server(live: LiveServer) -> None:
    live.server.should_exit = True
    live.thread.join(timeout=10)
