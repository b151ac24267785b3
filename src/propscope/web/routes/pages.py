"""The page at ``/``, the corpus dashboard at ``/corpus`` and the API docs at ``/docs``: static
files of this package (third-party scripts vendored under ``static/vendor``), no CDN."""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from propscope.web.static import STATIC_DIR

router = APIRouter(include_in_schema=False)

# Every script and style is served by propscope; nothing may load from elsewhere.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _page(name: str) -> HTMLResponse:
    html = (STATIC_DIR / name).read_text(encoding="utf-8")
    return HTMLResponse(html, headers=HEADERS)


@router.get("/")
async def index() -> HTMLResponse:
    return _page("index.html")


@router.get("/corpus")
async def corpus() -> HTMLResponse:
    return _page("corpus.html")


@router.get("/docs")
async def docs() -> HTMLResponse:
    return _page("docs.html")


MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


@router.get("/static/{name}")
async def static(name: str) -> FileResponse:
    """A CSS, JS or SVG file of the page; nothing else in the folder is served."""
    path = STATIC_DIR / name
    media = MEDIA_TYPES.get(path.suffix)
    if media is None or "/" in name or name.startswith(".") or not path.is_file():
        raise StarletteHTTPException(404)
    return FileResponse(path, media_type=media, headers={"X-Content-Type-Options": "nosniff"})


VENDOR_DIR = STATIC_DIR / "vendor"
VENDOR_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@router.get("/static/vendor/{name}")
async def vendor(name: str) -> FileResponse:
    """A vendored script (``.js``) or its licence (``*LICENSE*``, as text); nothing else."""
    if not VENDOR_NAME.fullmatch(name) or ".." in name:
        raise StarletteHTTPException(404)
    path = VENDOR_DIR / name
    if path.suffix == ".js":
        media = "text/javascript"
    elif "LICENSE" in name.upper() and path.suffix in (".md", ".txt", ""):
        media = "text/plain; charset=utf-8"
    else:
        raise StarletteHTTPException(404)
    if path.resolve().parent != VENDOR_DIR.resolve() or not path.is_file():
        raise StarletteHTTPException(404)
    return FileResponse(path, media_type=media, headers={"X-Content-Type-Options": "nosniff"})
