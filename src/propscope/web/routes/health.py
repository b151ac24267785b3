"""``GET /api/v1/health``: liveness, the model loaded, and the limits in force."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from propscope.version import __version__
from propscope.web import examples
from propscope.web.deps import State
from propscope.web.errors import error_responses
from propscope.web.schemas import HealthOut

router = APIRouter(prefix="/api/v1", tags=["reference"])


@router.get(
    "/health",
    summary="Liveness and configuration",
    response_model=HealthOut,
    responses={
        200: {
            "description": "Liveness, model and limits",
            "content": examples.json_example(examples.HEALTH),
        },
        **error_responses(500),
    },
)
async def health(state: State) -> dict[str, Any]:
    """`ok` once the model is loaded; says whether the analyze routes need a token. Needs no
    token."""
    s = state.settings
    info = state.runner.info
    return {
        "status": "ok",
        "version": __version__,
        "model": {"name": info.name, "version": info.version},
        "auth_required": bool(s.api_token),
        "limits": {
            "max_body_bytes": s.max_body_bytes,
            "max_batch": s.max_batch,
            "max_concurrency": s.max_concurrency,
        },
    }
