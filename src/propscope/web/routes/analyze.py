"""``POST /api/v1/analyze`` and ``POST /api/v1/analyze/batch``: thin skins over the pipeline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from propscope.errors import Code
from propscope.pipeline import Pipeline
from propscope.web.deps import AppState, Fetcher, FetcherDep, State, require_token
from propscope.web.errors import ApiError, error_responses
from propscope.web.schemas import (
    AnalysisOut,
    AnalyzeRequest,
    BatchOut,
    BatchRequest,
    HtmlInput,
    TextInput,
    UrlInput,
)

ERRORS = error_responses(400, 413, 422, 503)
router = APIRouter(prefix="/api/v1", tags=["analyze"], dependencies=[Depends(require_token)])


@router.post(
    "/analyze",
    summary="Analyse one text, HTML page or URL",
    response_class=JSONResponse,
    responses={200: {"model": AnalysisOut, "description": "The analysis JSON"}, **ERRORS},
)
async def analyze(body: AnalyzeRequest, state: State, fetcher: FetcherDep) -> JSONResponse:
    """Persuasion-technique spans and check-worthy claims of one input.

    Send exactly one of `text`, `html` or `url`. Offsets are indices into the text analysed:
    for `text` that is the text sent; for `html` and `url` it is the extracted main text,
    returned as `text`.
    """
    with state.limiter.slot():
        result = await run_in_threadpool(_analyze_one, state, body, fetcher)
    return JSONResponse(result)


@router.post(
    "/analyze/batch",
    summary="Analyse several texts",
    response_class=JSONResponse,
    responses={
        200: {"model": BatchOut, "description": "One analysis per text, in order"},
        **ERRORS,
    },
)
async def analyze_batch(body: BatchRequest, state: State) -> JSONResponse:
    """Analyses of up to `max_batch` plain texts, in the order sent (one slot for the batch)."""
    limit = state.settings.max_batch
    if len(body.texts) > limit:
        raise ApiError(
            422, Code.BAD_REQUEST, f"the batch holds {len(body.texts)} texts; the limit is {limit}"
        )
    with state.limiter.slot():
        pipeline = _pipeline(state, body)
        analyses = await run_in_threadpool(lambda: [a.to_dict() for a in pipeline.pipe(body.texts)])
    return JSONResponse({"analyses": analyses})


def _pipeline(state: AppState, body: TextInput | HtmlInput | UrlInput | BatchRequest) -> Pipeline:
    return state.pipeline.using(
        sensitivity=body.sensitivity,
        min_score=body.min_score,
        claims_threshold=body.claims_threshold,
    )


def _analyze_one(state: AppState, body: AnalyzeRequest, fetcher: Fetcher) -> dict[str, Any]:
    pipeline = _pipeline(state, body)
    if isinstance(body, TextInput):
        return pipeline.analyze(body.text).to_dict()
    if isinstance(body, HtmlInput):
        return pipeline.analyze_html(body.html).to_dict()
    return pipeline.analyze_url(body.url, limits=state.fetch_limits, fetch=fetcher).to_dict()
