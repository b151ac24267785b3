"""The claims threshold (issue #13) in the API and on the page: accepted, validated, echoed,
and the page's control, which re-filters claims it holds and asks again for more."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page, Request, expect
from web_support import ARTICLE_HTML, TINY, LiveServer

from propscope.pipeline import Pipeline
from propscope.report.html import render_html
from propscope.web.schemas import AnalysisOut

MakeApp = Callable[..., FastAPI]

# Four sentences; on the tiny fixture (threshold 0: every sentence is a claim) their scores
# differ, and ranked by score they are not in text order.
TEXT = (
    "Nothing more here.\nThe council spent $4 million on offices in 2019.\n"
    "They are evil thugs.\nA calm line here.\n"
)


@pytest.fixture(scope="module")
def scores(tiny_pipeline: Pipeline) -> list[float]:
    """The claim scores of TEXT on the tiny fixture, as the API rounds them, in text order."""
    return [round(c.score, 4) for c in tiny_pipeline.analyze(TEXT).claims]


@pytest.fixture
def tiny_client(make_app: MakeApp, tiny_pipeline: Pipeline) -> Iterator[TestClient]:
    with TestClient(make_app(pipeline=tiny_pipeline, model=str(TINY))) as c:
        yield c


def _error(r: Any, status: int, code: str) -> str:
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    return str(r.json()["error"]["message"])


# --- API ---


def test_default_is_the_models_threshold_and_is_echoed(
    tiny_client: TestClient, scores: list[float]
) -> None:
    d = tiny_client.post("/api/v1/analyze", json={"text": TEXT}).json()
    assert d["claims_threshold"] == 0.0
    assert [c["score"] for c in d["claims"]] == scores and len(d["sentences"]) == 4
    AnalysisOut.model_validate(d)


def test_claims_threshold_is_accepted_and_echoed(
    tiny_client: TestClient, scores: list[float]
) -> None:
    low = sorted(scores)
    cut = round((low[0] + low[1]) / 2, 4)  # keeps three of the four
    d = tiny_client.post("/api/v1/analyze", json={"text": TEXT, "claims_threshold": cut}).json()
    assert d["claims_threshold"] == cut
    assert [c["score"] for c in d["claims"]] == [s for s in scores if s >= cut]
    assert len(d["claims"]) == 3 and d["profile"]["check_worthy_claims"] == 3
    AnalysisOut.model_validate(d)
    d = tiny_client.post("/api/v1/analyze", json={"text": TEXT, "claims_threshold": 1}).json()
    assert d["claims"] == [] and d["claims_threshold"] == 1.0
    # with a sensitivity, with HTML input and in a batch too
    body = {"html": ARTICLE_HTML, "claims_threshold": 1.0, "sensitivity": "sensitive"}
    d = tiny_client.post("/api/v1/analyze", json=body).json()
    assert d["claims"] == [] and d["claims_threshold"] == 1.0
    b = tiny_client.post(
        "/api/v1/analyze/batch", json={"texts": [TEXT, "One line."], "claims_threshold": cut}
    ).json()
    assert len(b["analyses"][0]["claims"]) == 3
    for a in b["analyses"]:
        assert a["claims_threshold"] == cut and all(c["score"] >= cut for c in a["claims"])


def test_a_model_without_claims_accepts_it_and_lists_none(client: TestClient) -> None:
    d = client.post("/api/v1/analyze", json={"text": TEXT, "claims_threshold": 0.0}).json()
    assert d["claims"] == [] and "claims_threshold" not in d


@pytest.mark.parametrize("bad", [1.5, -0.1, "0.5", True, [0.5], {"value": 0.5}], ids=repr)
def test_bad_claims_threshold_is_e040(tiny_client: TestClient, bad: object) -> None:
    for path, body in (
        ("/api/v1/analyze", {"text": TEXT}),
        ("/api/v1/analyze", {"url": "https://example.org/"}),
        ("/api/v1/analyze/batch", {"texts": [TEXT]}),
    ):
        r = tiny_client.post(path, json={**body, "claims_threshold": bad})
        assert "claims_threshold" in _error(r, 422, "E040")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_claims_threshold_is_refused(tiny_client: TestClient, literal: str) -> None:
    """Python's JSON reader takes NaN and Infinity; the schema's bounds refuse them."""
    r = tiny_client.post(
        "/api/v1/analyze",
        content=f'{{"text": "One line.", "claims_threshold": {literal}}}',
        headers={"Content-Type": "application/json"},
    )
    assert "claims_threshold" in _error(r, 422, "E040")


def test_claims_threshold_is_documented(tiny_client: TestClient) -> None:
    schemas = tiny_client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("TextInput", "HtmlInput", "UrlInput", "BatchRequest"):
        field = schemas[name]["properties"]["claims_threshold"]
        assert "check-worthy" in field["description"]
        assert {"minimum": 0.0, "maximum": 1.0}.items() <= _number(field).items()
    assert "claims_threshold" in schemas["AnalysisOut"]["properties"]


def _number(field: dict[str, Any]) -> dict[str, Any]:
    """The number branch of an ``anyOf: [number, null]`` property."""
    for branch in field.get("anyOf", [field]):
        if branch.get("type") == "number":
            return dict(branch)
    raise AssertionError(field)


# --- the page ---


def _record_analyses(page: Page) -> list[dict[str, Any]]:
    """The bodies of the page's POST /api/v1/analyze requests, as they are sent."""
    calls: list[dict[str, Any]] = []

    def on_request(r: Request) -> None:
        if r.url.endswith("/api/v1/analyze"):
            calls.append(r.post_data_json or {})

    page.on("request", on_request)
    return calls


def _claims_on_page(page: Page) -> list[float]:
    return [
        float(s)
        for s in page.locator("button.ps-claim").evaluate_all(
            "bs => bs.map(b => b.getAttribute('data-score'))"
        )
    ]


def test_page_lists_claims_by_score_and_its_control_chooses_them(
    page: Page, tiny_server: LiveServer, scores: list[float]
) -> None:
    """Claims are listed highest score first, each with its score and the note on what it
    means; a higher threshold re-filters the claims held, a lower one (or the default, once
    left) asks the server again with it."""
    calls = _record_analyses(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(tiny_server.url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.fill("#text", TEXT)
    page.click("#analyze-text")
    status = page.locator("#status")
    expect(status).to_contain_text("4 check-worthy claims")
    assert len(calls) == 1 and "claims_threshold" not in calls[0]
    ranked = sorted(scores, reverse=True)
    assert ranked != scores  # the list order is not the text order
    assert _claims_on_page(page) == ranked
    top = TEXT.splitlines()[scores.index(ranked[0])]
    first = page.locator("button.ps-claim").first
    expect(first.locator(".ps-claim-meta")).to_contain_text(f"score {ranked[0]:.2f}")
    expect(first).to_have_attribute("data-claim", str(scores.index(ranked[0])))
    note = page.locator(".ps-claims-note")
    expect(note).to_contain_text("probability that the sentence states a check-worthy fact")
    expect(note).to_contain_text("at least 0; 4 of 4, 0 below")
    # the default option names the model's threshold once an answer has said it
    expect(page.locator('#claims-threshold option[value=""]')).to_contain_text("score 0 and up")
    # clicking a ranked claim still reaches its own sentence in the text
    first.click()
    active = page.locator(".ps-text .ps-claim-active")
    assert "".join(active.all_text_contents()) == top

    # higher than the answer's threshold: filtered here, no new request
    page.select_option("#claims-threshold", "0.9")
    expect(status).to_contain_text("0 check-worthy claims (score 0.9+)")
    expect(page.locator("button.ps-claim")).to_have_count(0)
    expect(note).to_contain_text("at least 0.9; 0 of 4, 4 below")
    assert len(calls) == 1

    # back to the default (known: 0): the answer held every claim, still no new request
    page.select_option("#claims-threshold", "")
    expect(status).to_contain_text("4 check-worthy claims")
    assert _claims_on_page(page) == ranked and len(calls) == 1
    assert errors == []


def test_page_asks_again_for_a_lower_threshold(
    page: Page, tiny_server: LiveServer, scores: list[float]
) -> None:
    """Starting from a threshold above every score, a lower one is asked for with the input
    sent again; the answer's claims and threshold are shown."""
    calls = _record_analyses(page)
    page.goto(tiny_server.url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.select_option("#claims-threshold", "0.9")
    page.fill("#text", TEXT)
    page.click("#analyze-text")
    status = page.locator("#status")
    expect(status).to_contain_text("0 check-worthy claims (score 0.9+)")
    assert [c.get("claims_threshold") for c in calls] == [0.9]
    with page.expect_response(lambda r: r.url.endswith("/api/v1/analyze")):
        page.select_option("#claims-threshold", "0.5")
    want = sum(s >= 0.5 for s in scores)
    assert want > 0
    expect(status).to_contain_text(f"{want} check-worthy claim")
    assert [c.get("claims_threshold") for c in calls] == [0.9, 0.5]
    assert calls[1]["text"] == TEXT and calls[1]["sensitivity"] == "sensitive"
    assert _claims_on_page(page) == sorted((s for s in scores if s >= 0.5), reverse=True)
    expect(page.locator(".ps-claims-note")).to_contain_text(f"at least 0.5; {want} of 4")
    # the model's default, not known yet: asked for without a threshold
    with page.expect_response(lambda r: r.url.endswith("/api/v1/analyze")):
        page.select_option("#claims-threshold", "")
    expect(status).to_contain_text("4 check-worthy claims")
    assert len(calls) == 3 and "claims_threshold" not in calls[2]


def test_page_does_not_ask_again_where_the_model_scores_no_claims(
    page: Page, live_server: LiveServer
) -> None:
    """builtin:lexicon has no claims head: its answers carry no claims_threshold, and the
    control changes nothing there."""
    calls = _record_analyses(page)
    page.goto(live_server.url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.fill("#text", TEXT)
    page.click("#analyze-text")
    status = page.locator("#status")
    expect(status).to_contain_text("0 check-worthy claims.")
    for value in ("0", "0.9", ""):
        page.select_option("#claims-threshold", value)
        expect(status).to_contain_text("0 check-worthy claims.")
    assert len(calls) == 1
    expect(page.locator(".ps-claims-box .ps-empty")).to_be_visible()


# --- the standalone report ---


def test_report_lists_claims_by_score_with_the_threshold(
    page: Page, tiny_pipeline: Pipeline, scores: list[float], tmp_path: Path
) -> None:
    cut = round((sorted(scores)[0] + sorted(scores)[1]) / 2, 4)  # keeps three of the four
    analysis = tiny_pipeline.using(claims_threshold=cut).analyze(TEXT)
    report = tmp_path / "report.html"
    report.write_text(render_html([("a.txt", analysis)]), encoding="utf-8")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri())
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    kept = sorted((s for s in scores if s >= cut), reverse=True)
    assert len(kept) == 3
    assert _claims_on_page(page) == kept
    metas = page.locator("button.ps-claim .ps-claim-meta").all_text_contents()
    assert [m.split(" · ")[0] for m in metas] == [f"score {s:.2f}" for s in kept]
    note = page.locator(".ps-claims-note")
    expect(note).to_contain_text("probability that the sentence states a check-worthy fact")
    expect(note).to_contain_text(f"at least {cut:g}; 3 of 4, 1 below")
    assert errors == []
