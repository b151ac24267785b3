"""One error shape for every error the app answers: ``{"error": {"code": ..., "message": ...}}``.

Codes are those of :mod:`propscope.errors` (E040-E049 for the web app, and the library's own
codes where a library error reaches the API).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from propscope.errors import Code, PropscopeError

log = logging.getLogger("propscope.web")


class ErrorBody(BaseModel):
    code: str = Field(
        description="Error code (`E0..`): the README's table says what each means.",
        json_schema_extra={"enum": [c.value for c in Code]},
    )
    message: str = Field(description="What went wrong and what to do about it, in words.")


class ErrorOut(BaseModel):
    """The body of every error response."""

    error: ErrorBody = Field(description="The error's code and message.")


class ApiError(StarletteHTTPException):
    """An HTTP error with a propscope code."""

    def __init__(
        self,
        status_code: int,
        code: Code,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=dict(headers or {}))
        self.code = code
        self.message = message


# The status each library error gets when it reaches the API.
LIBRARY_STATUS: dict[Code, int] = {
    Code.URL_REFUSED: 400,
    Code.URL_FETCH_FAILED: 422,
    Code.INVALID_UTF8: 422,
    Code.BAD_REQUEST: 422,
    Code.BAD_RANGE: 422,
    Code.UNKNOWN_TECHNIQUE: 422,
    Code.BAD_MODEL: 422,  # explain on a baseline model
}

STATUS_CODE: dict[int, Code] = {
    400: Code.BAD_REQUEST,
    401: Code.UNAUTHORIZED,
    404: Code.NOT_FOUND,
    405: Code.METHOD_NOT_ALLOWED,
    408: Code.REQUEST_TIMEOUT,
    413: Code.BODY_TOO_LARGE,
    422: Code.BAD_REQUEST,
    503: Code.BUSY,
}


def error_response(
    status: int, code: Code, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code.value, "message": message}}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc, ApiError):
        return error_response(exc.status_code, exc.code, exc.message, exc.headers)
    status = exc.status_code
    code = STATUS_CODE.get(status, Code.BAD_REQUEST if status < 500 else Code.INTERNAL)
    if status == 404:
        message = f"nothing here: {request.url.path}"
    elif status == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return error_response(status, code, message, exc.headers)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    for err in exc.errors():
        loc = err.get("loc", ())
        if loc and loc[-1] == "url" and err.get("type") == "string_pattern_mismatch":
            # a URL of another scheme (ftp://, file://, ...) is refused, as the README says
            return error_response(
                400,
                Code.URL_REFUSED,
                f"only http and https URLs can be fetched ({str(err.get('input'))[:200]})",
            )
    parts = []
    for err in exc.errors()[:3]:
        loc = _location(err.get("loc", ()))
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    more = len(exc.errors()) - len(parts)
    message = "invalid request: " + "; ".join(parts or ["the body does not match the schema"])
    if more > 0:
        message += f" (and {more} more)"
    return error_response(422, Code.BAD_REQUEST, message)


def _location(loc: Sequence[object]) -> str:
    """``("body", "text", "text")`` -> ``text``: the body prefix and union tags dropped."""
    parts: list[str] = []
    for p in loc:
        if p == "body" and not parts:
            continue
        if not parts or parts[-1] != str(p):
            parts.append(str(p))
    return ".".join(parts)


def _library_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PropscopeError)
    where = exc.location()
    message = exc.message + (f" ({where})" if where else "")
    return error_response(LIBRARY_STATUS.get(exc.code, 400), exc.code, message)


def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, Code.INTERNAL, "internal error; the server log has the details")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(PropscopeError, _library_error)
    app.add_exception_handler(Exception, _internal_error)


# Declared on every API operation so the OpenAPI document lists every status it can answer.
ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Bad request (E040): an invalid Content-Length; a URL refused (E046: not http(s), "
    "or a private address); a bad corpus filter (E040)",
    401: "Missing or wrong bearer token (E045); only where the server has a token",
    404: "No corpus database on this server, or no such document (E041)",
    405: "Method not allowed on this path (E042)",
    408: "The request headers or body did not arrive within header_timeout_s or "
    "body_timeout_s (E058)",
    413: "Request body larger than max_body_bytes (E043)",
    422: "Body or query does not match the schema (E040), a URL could not be fetched (E047), "
    "the analysis took longer than analysis_budget_s (E057), an explain range that is empty "
    "or outside the text (E063), an unknown technique label (E012), or a server whose model "
    "cannot explain (E020: a baseline, not the trained detector)",
    500: "Internal error (E049); the server log has the details",
    503: "Server busy: all analysis (or fetch) slots taken; retry after Retry-After seconds (E044)",
}

ERROR_EXAMPLES: dict[int, tuple[Code, str]] = {
    400: (Code.URL_REFUSED, "only http and https URLs can be fetched (ftp://example.org/a)"),
    401: (
        Code.UNAUTHORIZED,
        "this server requires 'Authorization: Bearer <token>' (see PROPSCOPE_API_TOKEN)",
    ),
    404: (Code.NOT_FOUND, "no document 'story-17'"),
    405: (Code.METHOD_NOT_ALLOWED, "method GET is not allowed on /api/v1/analyze"),
    408: (Code.REQUEST_TIMEOUT, "the request body did not arrive within 30 s (body_timeout_s)"),
    413: (Code.BODY_TOO_LARGE, "the request body is larger than 2000000 bytes"),
    422: (Code.BAD_REQUEST, "invalid request: text: Field required"),
    500: (Code.INTERNAL, "internal error; the server log has the details"),
    503: (Code.BUSY, "the server is busy (2 analyses running); retry in 5 s"),
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {}
    for s in statuses:
        code, message = ERROR_EXAMPLES[s]
        out[s] = {
            "model": ErrorOut,
            "description": ERROR_DESCRIPTIONS[s],
            "content": {
                "application/json": {"example": {"error": {"code": code.value, "message": message}}}
            },
        }
        if s == 503:
            out[s]["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before retrying.",
                    "schema": {"type": "integer"},
                }
            }
    return out
