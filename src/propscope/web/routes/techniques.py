"""``GET /api/v1/techniques``: the 14 techniques, with names, definitions, examples, colours."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from propscope.techniques import techniques_json
from propscope.web import examples
from propscope.web.errors import error_responses
from propscope.web.schemas import TechniquesOut

router = APIRouter(prefix="/api/v1", tags=["reference"])


@router.get(
    "/techniques",
    summary="The persuasion techniques",
    response_model=TechniquesOut,
    responses={
        200: {
            "description": "The techniques",
            "content": examples.json_example(examples.TECHNIQUES),
        },
        **error_responses(500),
    },
)
async def techniques() -> dict[str, Any]:
    """Label (as in the PTC corpus), human name, definition, example and display colour of each
    technique. Needs no token."""
    return {"techniques": techniques_json()}
