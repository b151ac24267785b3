"""``POST /api/v1/explain``: the explanation JSON, its coded errors, and the analyze rules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from web_support import TINY

from conftest import MakeApp
from propscope.pipeline import Pipeline
from propscope.web import Settings, create_app

TEXT = "The corrupt elites will destroy our great nation. Everyone knows it is true."
WHAT = "Whataboutism,Straw_Men,Red_Herring"
KEYS = {
    "start",
    "end",
    "text",
    "technique",
    "score",
    "technique_score",
    "method",
    "window",
    "words",
}


@pytest.fixture
def tiny(make_app: MakeApp, tiny_pipeline: Pipeline) -> Iterator[TestClient]:
    with TestClient(make_app(pipeline=tiny_pipeline)) as c:
        yield c


def _error(r, status: int, code: str) -> str:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return str(body["error"]["message"])


def test_explain_answers_the_documented_shape(tiny: TestClient) -> None:
    r = tiny.post("/api/v1/explain", json={"text": TEXT, "start": 0, "end": 31})
    assert r.status_code == 200, r.text
    d = r.json()
    assert set(d) == KEYS
    assert (d["start"], d["end"], d["text"]) == (0, 31, TEXT[:31])
    assert d["technique"]["label"] == WHAT  # null: the model's top technique
    assert set(d["technique"]) == {"label", "name", "definition", "example"}
    assert d["technique"]["name"] == "Whataboutism, straw man or red herring"
    assert d["method"] == "occlusion"
    assert (d["score"], d["technique_score"]) == (0.6649, 0.1058)  # rounded as analyses are
    assert d["window"] == {"start": 0, "end": 48}
    assert [(w["text"], w["weight"]) for w in d["words"]] == [
        ("The", 0.0013),
        ("corrupt", 0.0271),
        ("elites", 0.0518),
        ("will", 0.0185),
        ("destroy", 0.034),
        ("our", 0.0001),
        ("great", 0.0),
        ("nation", 0.0),
    ]
    assert all(set(w) == {"start", "end", "text", "weight", "technique_weight"} for w in d["words"])


def test_explain_with_a_technique(tiny: TestClient) -> None:
    body = {"text": TEXT, "start": 0, "end": 31, "technique": "Loaded_Language"}
    d = tiny.post("/api/v1/explain", json=body).json()
    assert d["technique"]["label"] == "Loaded_Language"
    assert d["technique_score"] == 0.0518
    assert d["words"][0]["technique_weight"] == -0.003


@pytest.mark.parametrize(
    ("start", "end"), [(5, 5), (9, 3), (-1, 4), (0, len(TEXT) + 1), (10_000, 10_001)]
)
def test_bad_range_is_422_e063(tiny: TestClient, start: int, end: int) -> None:
    r = tiny.post("/api/v1/explain", json={"text": TEXT, "start": start, "end": end})
    assert "range" in _error(r, 422, "E063")


def test_unknown_technique_is_422_e012(tiny: TestClient) -> None:
    body = {"text": TEXT, "start": 0, "end": 31, "technique": "Propaganda"}
    assert "Propaganda" in _error(tiny.post("/api/v1/explain", json=body), 422, "E012")


@pytest.mark.parametrize(
    "body",
    [
        {"text": TEXT, "start": "0", "end": 31},
        {"text": TEXT, "start": 0},
        {"text": TEXT, "start": 0, "end": 31, "extra": 1},
        {"start": 0, "end": 3},
    ],
)
def test_schema_errors_are_422_e040(tiny: TestClient, body: dict[str, object]) -> None:
    _error(tiny.post("/api/v1/explain", json=body), 422, "E040")


def test_token_body_size_and_busy_rules(make_app: MakeApp, tiny_pipeline: Pipeline) -> None:
    body = {"text": TEXT, "start": 0, "end": 31}
    with TestClient(make_app(pipeline=tiny_pipeline, api_token="s3cret")) as c:
        _error(c.post("/api/v1/explain", json=body), 401, "E045")
        ok = c.post("/api/v1/explain", json=body, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
    with TestClient(make_app(pipeline=tiny_pipeline, max_body_bytes=100)) as c:
        big = {"text": "x" * 200, "start": 0, "end": 1}
        _error(c.post("/api/v1/explain", json=big), 413, "E043")
    app = make_app(pipeline=tiny_pipeline, max_concurrency=1)
    limiter = app.state.propscope.runner.limiter
    with TestClient(app) as c:
        assert limiter.try_acquire()
        try:
            r = c.post("/api/v1/explain", json=body)
            _error(r, 503, "E044")
            assert r.headers["Retry-After"]
        finally:
            limiter.release()
        assert c.post("/api/v1/explain", json=body).status_code == 200


def test_a_baseline_model_says_it_cannot_explain(make_app: MakeApp) -> None:
    with TestClient(make_app()) as c:  # the lexicon baseline
        r = c.post("/api/v1/explain", json={"text": TEXT, "start": 0, "end": 31})
        assert "trained detector" in _error(r, 422, "E020")


@pytest.fixture(scope="module")
def process_app() -> Iterator[FastAPI]:
    app = create_app(Settings(model=str(TINY), executor="process", max_concurrency=1))
    yield app
    app.state.propscope.runner.close()


def test_worker_processes_answer_what_threads_answer(
    process_app: FastAPI, tiny: TestClient
) -> None:
    body = {"text": TEXT, "start": 32, "end": 48, "technique": "Flag-Waving"}
    got = TestClient(process_app).post("/api/v1/explain", json=body)
    assert got.status_code == 200
    assert got.content == tiny.post("/api/v1/explain", json=body).content
    r = TestClient(process_app).post("/api/v1/explain", json={**body, "technique": "Nope"})
    _error(r, 422, "E012")


_contract_app = create_app(Settings(model=str(TINY), executor="thread", max_concurrency=1))
contract = schemathesis.openapi.from_asgi("/openapi.json", _contract_app).include(
    path="/api/v1/explain"
)
contract.config.generation.update(modes=list(schemathesis.GenerationMode))


@contract.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_explain_contract_on_the_tiny_model(case: schemathesis.Case) -> None:
    """Generated bodies never crash it (no 5xx) and every answer is as documented; a range
    the schema cannot bound (end <= len(text)) is refused with E063, so schema-valid bodies
    may be refused."""
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
