"""``POST /api/v1/analyze`` and ``POST /api/v1/analyze/batch``: thin skins over the runner.

A URL is fetched first, in a fetch slot of its own (``AppState.fetch``), and only then does
the page take an analysis slot, so a slow page never holds one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse, Response

from propscope.errors import Code
from propscope.web import examples
from propscope.web.deps import FetcherDep, State
from propscope.web.errors import ApiError, error_responses
from propscope.web.runner import Job, JobContent, JobKind
from propscope.web.schemas import (
    AnalysisOut,
    AnalyzeRequest,
    BatchOut,
    BatchRequest,
    HtmlInput,
    TextInput,
)

ERRORS = error_responses(400, 401, 408, 413, 422, 500, 503)
router = APIRouter(prefix="/api/v1", tags=["analyze"])


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.post(
    "/analyze",
    summary="Analyse one text, HTML page or URL",
    response_class=JSONResponse,
    responses={
        200: {
            "model": AnalysisOut,
            "description": "The analysis JSON",
            "content": examples.json_example(examples.ANALYSIS),
        },
        **ERRORS,
    },
)
async def analyze(
    body: Annotated[AnalyzeRequest, Body(openapi_examples=examples.ANALYZE_REQUESTS)],
    state: State,
    fetcher: FetcherDep,
) -> Response:
    """Persuasion-technique spans and check-worthy claims of one input.

    Send exactly one of `text`, `html` or `url`. Offsets are indices into the text analysed:
    for `text` that is the text sent; for `html` and `url` it is the extracted main text,
    returned as `text`.
    """
    if isinstance(body, TextInput):
        job = _job(body, "text", body.text)
    elif isinstance(body, HtmlInput):
        job = _job(body, "html", body.html)
    else:
        job = _job(body, "page", await state.fetch(fetcher, body.url))
    return _json(await state.runner.run(job))


@router.post(
    "/analyze/batch",
    summary="Analyse several texts",
    response_class=JSONResponse,
    responses={
        200: {
            "model": BatchOut,
            "description": "One analysis per text, in order",
            "content": examples.json_example({"analyses": [examples.ANALYSIS]}),
        },
        **ERRORS,
    },
)
async def analyze_batch(
    body: Annotated[BatchRequest, Body(openapi_examples=examples.BATCH_REQUESTS)], state: State
) -> Response:
    """Analyses of up to `max_batch` plain texts, in the order sent (one slot for the batch)."""
    limit = state.settings.max_batch
    if len(body.texts) > limit:
        raise ApiError(
            422, Code.BAD_REQUEST, f"the batch holds {len(body.texts)} texts; the limit is {limit}"
        )
    return _json(await state.runner.run(_job(body, "batch", tuple(body.texts))))


def _job(body: AnalyzeRequest | BatchRequest, kind: JobKind, content: JobContent) -> Job:
    return Job(
        kind,
        content,
        sensitivity=body.sensitivity,
        min_score=body.min_score,
        claims_threshold=body.claims_threshold,
    )
