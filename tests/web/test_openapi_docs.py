"""The OpenAPI document is usable without reading code: every route, parameter and schema
property is described, every endpoint has an example and lists its error answers, and the
examples are valid answers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from propscope.errors import Code
from propscope.techniques import LABELS
from propscope.web import examples
from propscope.web.schemas import AnalysisOut, BatchOut, ExplainOut, HealthOut, TechniquesOut

ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture(scope="module")
def doc(lexicon_pipeline: Any) -> dict[str, Any]:
    from propscope.web import Settings, create_app

    app = create_app(Settings(model="builtin:lexicon"), pipeline=lexicon_pipeline)
    with TestClient(app) as c:
        out: dict[str, Any] = c.get("/openapi.json").json()
    return out


def _operations(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
    ]


def _has_example(content: dict[str, Any] | None) -> bool:
    media = (content or {}).get("application/json", {})
    return bool(media.get("example") or media.get("examples"))


def _undescribed(doc: dict[str, Any]) -> list[str]:
    """Every schema property (and every schema) without a description."""
    missing = []
    for name, schema in doc["components"]["schemas"].items():
        props = schema.get("properties", {})
        if not props and not schema.get("description"):
            missing.append(name)
        for prop, spec in props.items():
            if not spec.get("description"):
                missing.append(f"{name}.{prop}")
    return missing


def test_every_route_and_parameter_is_described(doc: dict[str, Any]) -> None:
    ops = _operations(doc)
    assert len(ops) >= 9
    for name, op in ops:
        assert op.get("summary"), f"{name} has no summary"
        assert op.get("description"), f"{name} has no description"
        for param in op.get("parameters", []):
            assert param.get("description"), f"{name}: parameter {param['name']} undescribed"


def test_every_schema_property_is_described(doc: dict[str, Any]) -> None:
    assert _undescribed(doc) == []


def test_the_walk_catches_a_missing_description(doc: dict[str, Any]) -> None:
    broken = {"components": {"schemas": {"X": {"properties": {"a": {"type": "integer"}}}}}}
    assert _undescribed(broken) == ["X.a"]


def test_every_endpoint_has_examples_and_error_answers(doc: dict[str, Any]) -> None:
    for name, op in _operations(doc):
        if "requestBody" in op:
            assert _has_example(op["requestBody"]["content"]), f"{name}: no request example"
        assert _has_example(op["responses"]["200"].get("content")), f"{name}: no 200 example"
        errors = {s: r for s, r in op["responses"].items() if s[0] in "45"}
        assert errors, f"{name} lists no error responses"
        assert "500" in errors, f"{name} does not list 500"
        for status, resp in errors.items():
            media = resp["content"]["application/json"]
            assert media["schema"] == {"$ref": ERROR_REF}, f"{name} {status}"
            assert media["example"]["error"]["code"] in {c.value for c in Code}
            assert resp["description"]


@pytest.mark.parametrize(
    ("route", "statuses"),
    [
        ("POST /api/v1/analyze", {"400", "401", "408", "413", "422", "500", "503"}),
        ("POST /api/v1/analyze/batch", {"400", "401", "408", "413", "422", "500", "503"}),
        ("POST /api/v1/explain", {"400", "401", "408", "413", "422", "500", "503"}),
        ("GET /api/v1/corpus/documents/{doc_id}", {"400", "401", "404", "422", "500"}),
        ("GET /api/v1/health", {"500"}),
    ],
)
def test_error_statuses_of_each_route(doc: dict[str, Any], route: str, statuses: set[str]) -> None:
    ops = dict(_operations(doc))
    assert {s for s in ops[route]["responses"] if s != "200"} == statuses
    assert (
        "Retry-After"
        in ops[route]["responses"].get("503", {"headers": {"Retry-After": 1}})["headers"]
    )


def test_enums_for_labels_and_codes(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    assert schemas["SpanOut"]["properties"]["technique"]["enum"] == list(LABELS)
    assert schemas["ErrorBody"]["properties"]["code"]["enum"] == [c.value for c in Code]
    assert {"E059", "E063", "E012"} <= set(schemas["ErrorBody"]["properties"]["code"]["enum"])
    technique = schemas["ExplainRequest"]["properties"]["technique"]
    assert technique["enum"] == [*LABELS, None]


def test_the_profile_is_documented(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    profile = schemas["ProfileOut"]["properties"]
    assert set(profile) == {
        "words",
        "sentences",
        "technique_counts",
        "techniques_per_1000_words",
        "share_of_sentences_with_technique",
        "top_techniques",
        "check_worthy_claims",
        "mean_sentence_score",
        "author",
        "quoted",
    }
    assert set(schemas["ProfileFigures"]["properties"]) == set(profile) - {"author", "quoted"}


@pytest.mark.parametrize(
    ("model", "example"),
    [
        (AnalysisOut, examples.ANALYSIS),
        (BatchOut, {"analyses": [examples.ANALYSIS]}),
        (AnalysisOut, examples.CORPUS_DOCUMENT),
        (ExplainOut, examples.EXPLANATION),
        (TechniquesOut, examples.TECHNIQUES),
        (HealthOut, examples.HEALTH),
    ],
)
def test_examples_are_valid_answers(model: type[BaseModel], example: dict[str, Any]) -> None:
    got = model.model_validate(example).model_dump(by_alias=True, exclude_unset=True)
    assert got == example


def test_analysis_example_has_the_current_schema() -> None:
    from propscope.types import SCHEMA

    assert examples.ANALYSIS["schema"] == SCHEMA
    assert set(examples.ANALYSIS["profile"]) == set(
        AnalysisOut.model_fields["profile"].annotation.model_fields
    )  # type: ignore[union-attr]


def test_docs_page_shows_descriptions_enums_examples_and_errors(
    page: Any, live_server: Any
) -> None:
    """/docs (offline: it reads only /openapi.json and its own files) renders what the
    document holds: descriptions, the label and code enums, examples and error statuses."""
    from playwright.sync_api import expect

    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/docs")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    ops = page.locator(".ps-op h2").all_text_contents()
    assert "POST /api/v1/explain" in ops and "GET /api/v1/health" in ops
    explain = page.locator("section.ps-op", has_text="POST /api/v1/explain").first
    body = explain.locator(".ps-docs-body").inner_text()
    assert "Start of the range" in body  # a field's description
    assert '"Loaded_Language"' in body  # the technique enum
    statuses = explain.locator(".ps-docs-responses dt").all_text_contents()
    assert statuses == ["200", "400", "401", "408", "413", "422", "500", "503"]
    examples_shown = explain.locator("details.ps-docs-example summary").all_text_contents()
    assert any("A span of an analysis" in s for s in examples_shown)
    codes = page.locator("#schema-ErrorBody").inner_text()
    assert "E063" in codes and "E059" in codes
    profile = page.locator("#schema-ProfileOut").inner_text()
    assert "author" in profile and "quoted or reported speech" in profile
    assert errors == []
    assert all(u.startswith(live_server.url) for u in requests), requests
