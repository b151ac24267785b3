"""``POST /api/v1/explain``: why a range of a text was flagged (``propscope.explain``).

An explanation runs as an analysis does (``web/runner.py``: in a worker process with the
process executor, in a thread otherwise), under the same token, body-size, busy and budget
rules: it takes one analysis slot. The range and the technique are checked before it does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse, Response

from propscope.explain import ExplainQuery, check_range, check_technique
from propscope.techniques import LABELS
from propscope.web import examples
from propscope.web.deps import State
from propscope.web.errors import error_responses
from propscope.web.runner import Job
from propscope.web.schemas import ExplainOut, ExplainRequest

ERRORS = error_responses(400, 401, 408, 413, 422, 500, 503)
router = APIRouter(prefix="/api/v1", tags=["analyze"])


@router.post(
    "/explain",
    summary="Explain why a range was flagged",
    response_class=JSONResponse,
    responses={
        200: {
            "model": ExplainOut,
            "description": "The explanation JSON",
            "content": examples.json_example(examples.EXPLANATION),
        },
        **ERRORS,
    },
)
async def explain(
    body: Annotated[ExplainRequest, Body(openapi_examples=examples.EXPLAIN_REQUESTS)],
    state: State,
) -> Response:
    """The range's span score and technique score, the technique's definition and example,
    and the weight of each word of the sentence(s) holding the range, by occlusion: how much
    each score drops when that word is masked. Send a span of an analysis (its `start` and
    `end`, and its `technique`) with the text analysed.

    A range that is empty or outside the text (or holds no word the model reads) is E063, an
    unknown technique label E012; a server on a baseline model (builtin:lexicon,
    builtin:lines) cannot explain: E020 (all 422). Costs about as much as analysing 60 short
    sentences, so it takes an analysis slot."""
    check_range(body.text, body.start, body.end)
    check_technique(body.technique, LABELS)
    query = ExplainQuery(body.text, body.start, body.end, body.technique)
    body_bytes = await state.runner.run(Job("explain", query))
    return Response(body_bytes, media_type="application/json")
