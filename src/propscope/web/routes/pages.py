"""The page at ``/`` and the API docs at ``/docs``: static files of this package, no CDN."""

from __future__ import annotations

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
