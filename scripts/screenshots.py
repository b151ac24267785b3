"""Regenerate the README's screenshots of the page at / from the shipped model.

    .venv/bin/python scripts/screenshots.py [--model DIR] [--text FILE] [--out DIR]

Starts ``propscope serve``'s app on the model (default: the shipped detector in
``src/propscope/models/default``) on a free 127.0.0.1 port, opens the page in Debian's chromium
(Playwright; never a downloaded browser), analyses ``examples/sample_article.txt`` and writes

* ``docs/screenshot.png``: 1400 px wide, the explanation panel of one span open (with the
  words that weighed most where the server has ``POST /api/v1/explain``);
* ``docs/screenshot-phone.png``: 400 px wide, the summary and the legend before the text.

Both are PNGs of the top of the page, kept under 400 KB (palette quantisation with Pillow where
it is installed). Needs the ``dev`` extra (playwright) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import io
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn

from propscope.web import Settings, create_app
from propscope.web.server import uvicorn_config

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_BYTES = 400_000
ANALYSE_TIMEOUT_MS = 180_000


def start(model: str) -> tuple[str, uvicorn.Server, threading.Thread]:
    """The app on ``model`` served by uvicorn in a daemon thread; returns once it accepts."""
    app = create_app(Settings(model=model))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn_config(
        app, app.state.propscope.settings, log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def save_small(png: bytes, path: Path) -> None:
    """Write ``png``; above MAX_BYTES, quantised to a 256-colour palette (Pillow)."""
    if len(png) > MAX_BYTES:
        try:
            from PIL import Image
        except ImportError:
            print(f"warning: {path.name} is {len(png)} bytes; install Pillow to shrink it")
        else:
            image = Image.open(io.BytesIO(png)).convert("RGB")
            out = io.BytesIO()
            image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
                out, format="PNG", optimize=True
            )
            png = out.getvalue()
    path.write_bytes(png)
    print(f"{path}: {len(png)} bytes")


def shoot(url: str, text: str, out: Path) -> list[Path]:
    """Both screenshots of the page at ``url`` analysing ``text``, written into ``out``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            return shoot_with(browser, url, text, out)
        finally:
            browser.close()


def shoot_with(browser: Browser, url: str, text: str, out: Path) -> list[Path]:
    """``shoot`` in a browser already started (the tests' one)."""
    # Desktop: the text, the legend and the explanation of one span.
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#text", text)
    page.click("#analyze-text")
    page.wait_for_selector("#status.ps-status-ok", timeout=ANALYSE_TIMEOUT_MS)
    page.eval_on_selector("#text", "t => { t.scrollTop = 0; }")
    marks = page.locator("#results mark.ps-span")
    if marks.count():
        # the surest span (the thickest underline) is explained
        best = marks.evaluate_all(
            """ms => ms.map(m => Number(m.dataset.score))
                .reduce((b, v, i, a) => v > a[b] ? i : b, 0)"""
        )
        marks.nth(best).click()
        page.wait_for_selector(
            "#ps-explain .ps-weights, #ps-explain .ps-explain-error",
            timeout=ANALYSE_TIMEOUT_MS,
        )
    page.evaluate("() => window.scrollTo(0, document.querySelector('#results').offsetTop - 8)")
    save_small(page.screenshot(), out / "screenshot.png")
    page.close()
    # Phone: 400 px wide, the summary and the legend first.
    phone = browser.new_page(
        viewport={"width": 400, "height": 1100}, device_scale_factor=1, is_mobile=True
    )
    phone.goto(url + "/")
    phone.wait_for_selector("body[data-ready=true]")
    phone.fill("#text", text)
    phone.click("#analyze-text")
    phone.wait_for_selector("#status.ps-status-ok", timeout=ANALYSE_TIMEOUT_MS)
    phone.evaluate("() => window.scrollTo(0, document.querySelector('#results').offsetTop - 8)")
    save_small(phone.screenshot(), out / "screenshot-phone.png")
    phone.close()
    return [out / "screenshot.png", out / "screenshot-phone.png"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(ROOT / "src" / "propscope" / "models" / "default"))
    parser.add_argument("--text", type=Path, default=ROOT / "examples" / "sample_article.txt")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        print(f"{CHROMIUM} not found: apt-get install -y --no-install-recommends chromium")
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    url, server, thread = start(args.model)
    try:
        shoot(url, args.text.read_text(encoding="utf-8"), args.out)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
