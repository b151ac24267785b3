"""Contract test: schemathesis generates requests from /openapi.json and checks the answers
(no 5xx, every status, header and body as documented; invalid requests get a 4xx).

URL input goes to a stub fetcher: no network (the URL checks have their own tests).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from propscope.corpus.url import Fetched, FetchLimits
from propscope.pipeline import load
from propscope.web import Settings, create_app
from propscope.web.deps import get_fetcher

TOKEN = "contract-token"
PIPELINE = load("builtin:lexicon")  # loads in milliseconds, so the apps are built at import


def _stub_fetch(url: str, limits: FetchLimits) -> Fetched:
    return Fetched(url, "html", b"<p>They are evil thugs, the council said on Tuesday.</p>")


def _app(**options: Any) -> FastAPI:
    app = create_app(Settings(model="builtin:lexicon", max_batch=4, **options), pipeline=PIPELINE)
    app.dependency_overrides[get_fetcher] = lambda: _stub_fetch
    return app


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())
secured = schemathesis.openapi.from_asgi("/openapi.json", _app(host="0.0.0.0", api_token=TOKEN))
for loaded in (schema, secured):
    loaded.config.generation.update(modes=list(schemathesis.GenerationMode))


def _excluded(case: schemathesis.Case) -> list[Any]:
    """POST /api/v1/explain refuses schema-valid bodies by design: a range the schema cannot
    bound (end <= len(text)) is E063, and the lexicon baseline cannot explain (E020); its
    contract on a model that can is in test_explain_api.py."""
    return [positive_data_acceptance] if case.path == "/api/v1/explain" else []


@schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_api_contract(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=_excluded(case))


@secured.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_api_contract_with_a_token(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=_excluded(case)
    )
