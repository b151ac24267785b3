"""The REST API in-process (FastAPI TestClient): every route, the error shape, limits, token."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import ARTICLE_HTML, LEX_SPANS, LEX_TEXT, README

from propscope.corpus.url import Fetched, FetchLimits
from propscope.errors import PropscopeError
from propscope.pipeline import Pipeline
from propscope.techniques import TECHNIQUES
from propscope.web import Settings, create_app
from propscope.web.deps import get_fetcher
from propscope.web.schemas import AnalysisOut

MakeApp = Callable[..., FastAPI]


def _spans(d: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    return [(s["start"], s["end"], s["technique"], s["text"]) for s in d["spans"]]


def _check_offsets(d: dict[str, Any], text: str) -> None:
    assert d["text_length"] == len(text)
    for s in d["spans"]:
        assert text[s["start"] : s["end"]] == s["text"]
    for c in d["claims"]:
        assert text[c["start"] : c["end"]] == c["text"]
        for f in c["facts"]:
            assert text[f["start"] : f["end"]] == f["text"]


def _assert_error(r: Any, status: int, code: str) -> dict[str, str]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


# --- routes ---


def test_analyze_text_returns_the_analysis_json(client: TestClient) -> None:
    r = client.post("/api/v1/analyze", json={"text": LEX_TEXT})
    assert r.status_code == 200
    d = r.json()
    assert d["schema"] == "propscope.analysis/2"
    assert d["model"]["name"] == "propscope-lexicon-baseline"
    assert _spans(d) == LEX_SPANS
    assert "text" not in d  # the caller has the text
    _check_offsets(d, LEX_TEXT)
    AnalysisOut.model_validate(d)


def test_analyze_text_matches_the_library(client: TestClient, lexicon_pipeline: Pipeline) -> None:
    text = "\ufeffWhat an outrageous 😀 idea.\r\nThey are evil thugs.\r\n"
    r = client.post("/api/v1/analyze", json={"text": text})
    assert r.json() == lexicon_pipeline.analyze(text).to_dict()
    _check_offsets(r.json(), text)


def test_analyze_tiny_model_has_claims_with_facts(
    make_app: MakeApp, tiny_pipeline: Pipeline
) -> None:
    text = "The council voted 5 to 2 on Tuesday. They are evil thugs."
    with TestClient(make_app(pipeline=tiny_pipeline)) as c:
        d = c.post("/api/v1/analyze", json={"text": text}).json()
    assert len(d["claims"]) == 2  # the fixture lists every sentence as a claim
    assert any(c["facts"] for c in d["claims"])
    _check_offsets(d, text)
    AnalysisOut.model_validate(d)


def test_analyze_html_offsets_refer_to_the_extracted_text(client: TestClient) -> None:
    r = client.post("/api/v1/analyze", json={"html": ARTICLE_HTML})
    assert r.status_code == 200
    d = r.json()
    text = d["text"]
    assert "Once again the so-called experts" in text
    assert "Home" not in text and "Copyright" not in text  # boilerplate dropped
    assert "<" not in text
    assert d["spans"], "the lexicon finds 'outrageous', 'shameful', 'betrayal'"
    _check_offsets(d, text)
    for s in d["spans"]:
        assert text[s["start"] : s["end"]] == s["text"]
    AnalysisOut.model_validate(d)


def test_analyze_html_without_text_is_empty_with_a_warning(client: TestClient) -> None:
    d = client.post("/api/v1/analyze", json={"html": "<html><body></body></html>"}).json()
    assert d["text"] == "" and d["spans"] == []
    assert "W004" in {w["code"] for w in d["warnings"]}


def test_analyze_url_uses_the_fetcher(make_app: MakeApp) -> None:
    app = make_app()
    seen: list[tuple[str, FetchLimits]] = []

    def fake(url: str, limits: FetchLimits) -> Fetched:
        seen.append((url, limits))
        return Fetched("https://news.example/final", "html", ARTICLE_HTML.encode())

    app.dependency_overrides[get_fetcher] = lambda: fake
    with TestClient(app) as c:
        d = c.post("/api/v1/analyze", json={"url": "https://news.example/a"}).json()
    assert seen[0][0] == "https://news.example/a"
    assert seen[0][1].allow_private is False
    assert seen[0][1].max_bytes == Settings().url_max_bytes
    assert d["source"] == "https://news.example/final"
    _check_offsets(d, d["text"])


def test_analyze_url_plain_text(make_app: MakeApp) -> None:
    app = make_app()
    app.dependency_overrides[get_fetcher] = lambda: (
        lambda url, limits: Fetched(url, "text", LEX_TEXT)
    )
    with TestClient(app) as c:
        d = c.post("/api/v1/analyze", json={"url": "https://x.example/a.txt"}).json()
    assert d["text"] == LEX_TEXT and _spans(d) == LEX_SPANS


def test_analyze_url_refuses_private_addresses_without_network(client: TestClient) -> None:
    for url in ("http://127.0.0.1:9/", "http://[::1]/", "http://169.254.169.254/latest/meta-data"):
        err = _assert_error(client.post("/api/v1/analyze", json={"url": url}), 400, "E046")
        assert "--allow-private-urls" in err["message"]
    # other schemes are refused as the README says: E046, 400 (not a schema error)
    for url in ("file:///etc/passwd", "ftp://example.org/a", "gopher://x/"):
        err = _assert_error(client.post("/api/v1/analyze", json={"url": url}), 400, "E046")
        assert "only http and https" in err["message"]


def test_batch_keeps_order(client: TestClient) -> None:
    texts = [LEX_TEXT, "", "Nothing to see."]
    r = client.post("/api/v1/analyze/batch", json={"texts": texts})
    assert r.status_code == 200
    analyses = r.json()["analyses"]
    assert [a["text_length"] for a in analyses] == [len(t) for t in texts]
    assert _spans(analyses[0]) == LEX_SPANS
    assert analyses[1]["spans"] == analyses[2]["spans"] == []


def test_batch_limit(make_app: MakeApp) -> None:
    with TestClient(make_app(max_batch=2)) as c:
        assert c.post("/api/v1/analyze/batch", json={"texts": ["a", "b"]}).status_code == 200
        err = _assert_error(
            c.post("/api/v1/analyze/batch", json={"texts": ["a", "b", "c"]}), 422, "E040"
        )
        assert "limit is 2" in err["message"]
        schema = c.get("/openapi.json").json()
    assert schema["components"]["schemas"]["BatchRequest"]["properties"]["texts"]["maxItems"] == 2


def test_techniques(client: TestClient) -> None:
    r = client.get("/api/v1/techniques")
    assert r.status_code == 200
    ts = r.json()["techniques"]
    assert [t["label"] for t in ts] == [t.label for t in TECHNIQUES]
    for got, t in zip(ts, TECHNIQUES, strict=True):
        assert got == {
            "label": t.label,
            "name": t.name,
            "definition": t.definition,
            "example": t.example,
            "colour": t.colour,
        }


def test_health(client: TestClient) -> None:
    d = client.get("/api/v1/health").json()
    assert d["status"] == "ok"
    assert d["model"]["name"] == "propscope-lexicon-baseline"
    assert d["auth_required"] is False
    assert d["limits"] == {"max_body_bytes": 2_000_000, "max_batch": 32, "max_concurrency": 2}


def test_openapi_document(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert set(doc["paths"]) == {
        "/api/v1/analyze",
        "/api/v1/analyze/batch",
        "/api/v1/explain",
        "/api/v1/techniques",
        "/api/v1/health",
        "/api/v1/corpus/stats",
        "/api/v1/corpus/facets",
        "/api/v1/corpus/documents",
        "/api/v1/corpus/documents/{doc_id}",
    }
    op = doc["paths"]["/api/v1/analyze"]["post"]
    assert {"200", "400", "413", "422", "503"} <= set(op["responses"])
    assert "Retry-After" in op["responses"]["503"]["headers"]
    assert "securitySchemes" not in doc.get("components", {})


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_pages_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    refs = re.findall(r'(?:src|href)="([^"]*)"', r.text)
    # "/" (this server), "data:" and "#..." (a place on this page) load nothing from elsewhere
    assert refs and all(ref.startswith(("/", "data:", "#")) for ref in refs), refs
    assert not any(ref.startswith("//") for ref in refs), refs  # "//host/..." is elsewhere
    for ref in refs:
        if ref.startswith("/static/"):
            asset = client.get(ref)
            assert asset.status_code == 200, ref
            assert "http://" not in asset.text and "https://" not in asset.text, ref


def test_static_serves_only_page_assets(client: TestClient) -> None:
    assert client.get("/static/render.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/propscope.css").headers["content-type"].startswith("text/css")
    for name in ("__init__.py", "index.html", "nope.js", "..%2F__init__.py"):
        _assert_error(client.get(f"/static/{name}"), 404, "E041")


# --- one error shape ---


def test_not_found(client: TestClient) -> None:
    _assert_error(client.get("/api/v1/nope"), 404, "E041")


def test_method_not_allowed(client: TestClient) -> None:
    r = client.get("/api/v1/analyze")
    _assert_error(r, 405, "E042")
    assert r.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "a", "html": "b"},
        {"text": 5},
        {"text": "a", "extra": 1},
        {"texts": ["a"]},
        ["a"],
        "text",
    ],
)
def test_invalid_bodies(client: TestClient, body: Any) -> None:
    _assert_error(client.post("/api/v1/analyze", json=body), 422, "E040")


def test_malformed_json(client: TestClient) -> None:
    r = client.post(
        "/api/v1/analyze", content=b'{"text": ', headers={"content-type": "application/json"}
    )
    _assert_error(r, 422, "E040")


def test_unpaired_surrogate_is_refused(client: TestClient) -> None:
    r = client.post(
        "/api/v1/analyze",
        content=b'{"text": "bad \\ud800 text"}',
        headers={"content-type": "application/json"},
    )
    err = _assert_error(r, 422, "E040")
    assert "surrogate" in err["message"]


def test_body_limit_by_content_length(make_app: MakeApp) -> None:
    with TestClient(make_app(max_body_bytes=100)) as c:
        assert c.post("/api/v1/analyze", json={"text": "x" * 50}).status_code == 200
        err = _assert_error(c.post("/api/v1/analyze", json={"text": "x" * 200}), 413, "E043")
    assert "100 bytes" in err["message"]


def test_body_limit_when_chunked(make_app: MakeApp) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(10):
            yield b"x" * 50
        yield b'"}'

    with TestClient(make_app(max_body_bytes=100)) as c:
        r = c.post(
            "/api/v1/analyze", content=chunks(), headers={"content-type": "application/json"}
        )
    assert "content-length" not in {k.lower() for k in r.request.headers}
    _assert_error(r, 413, "E043")


def test_default_body_limit_is_2_mb(client: TestClient) -> None:
    big = {"text": "x" * 2_000_001}
    _assert_error(client.post("/api/v1/analyze", json=big), 413, "E043")


def test_busy_when_every_slot_is_taken(make_app: MakeApp) -> None:
    app = make_app(max_concurrency=2, retry_after_s=7)
    limiter = app.state.propscope.runner.limiter
    with TestClient(app) as c:
        assert limiter.try_acquire() and limiter.try_acquire()
        try:
            for path, body in (
                ("/api/v1/analyze", {"text": "a"}),
                ("/api/v1/analyze/batch", {"texts": ["a"]}),
            ):
                r = c.post(path, json=body)
                _assert_error(r, 503, "E044")
                assert r.headers["retry-after"] == "7"
            assert c.get("/api/v1/health").status_code == 200  # not an analysis
        finally:
            limiter.release()
            limiter.release()
        assert c.post("/api/v1/analyze", json={"text": "a"}).status_code == 200


class _Blocking:
    """A pipeline whose analyses wait for an event: holds a slot as long as the test wants."""

    def __init__(self, inner: Pipeline) -> None:
        self.inner = inner
        self.info = inner.info
        self.started = threading.Event()
        self.go = threading.Event()

    def analyze(self, text: str) -> Any:
        self.started.set()
        assert self.go.wait(10)
        return self.inner.analyze(text)

    def using(self, **_kw: Any) -> _Blocking:
        return self


def test_analysis_runs_off_the_event_loop_and_excess_is_refused(
    make_app: MakeApp, lexicon_pipeline: Pipeline
) -> None:
    blocking = _Blocking(lexicon_pipeline)
    app = make_app(pipeline=blocking, max_concurrency=1)  # type: ignore[arg-type]
    results: list[int] = []
    with TestClient(app) as c:
        first = threading.Thread(
            target=lambda: results.append(c.post("/api/v1/analyze", json={"text": "a"}).status_code)
        )
        first.start()
        assert blocking.started.wait(10)
        # The loop still answers while the analysis runs in the thread pool...
        assert c.get("/api/v1/health").status_code == 200
        # ...and a second analysis is refused at once rather than queued.
        _assert_error(c.post("/api/v1/analyze", json={"text": "b"}), 503, "E044")
        blocking.go.set()
        first.join(10)
    assert results == [200]


def test_internal_error_has_the_error_shape(make_app: MakeApp, lexicon_pipeline: Pipeline) -> None:
    class Broken:
        info = lexicon_pipeline.info

        def analyze(self, text: str) -> Any:
            raise RuntimeError("boom")

    app = make_app(pipeline=Broken())  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as c:
        err = _assert_error(c.post("/api/v1/analyze", json={"text": "a"}), 500, "E049")
    assert "boom" not in err["message"]


# --- token ---


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_non_loopback_bind_needs_a_token(host: str, lexicon_pipeline: Pipeline) -> None:
    with pytest.raises(PropscopeError) as exc:
        create_app(Settings(host=host), pipeline=lexicon_pipeline)
    assert exc.value.code.value == "E048"
    assert "PROPSCOPE_API_TOKEN" in exc.value.message
    create_app(Settings(host=host, api_token="s3cret"), pipeline=lexicon_pipeline)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_token(host: str, lexicon_pipeline: Pipeline) -> None:
    create_app(Settings(host=host), pipeline=lexicon_pipeline)


def test_token_is_required_by_the_analyze_routes(make_app: MakeApp) -> None:
    with TestClient(make_app(host="0.0.0.0", api_token="s3cret")) as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
            r = c.post("/api/v1/analyze", json={"text": "a"}, headers=headers)
            _assert_error(r, 401, "E045")
            assert r.headers["www-authenticate"] == "Bearer"
        _assert_error(c.post("/api/v1/analyze/batch", json={"texts": []}), 401, "E045")
        ok = {"Authorization": "Bearer s3cret"}
        assert c.post("/api/v1/analyze", json={"text": "a"}, headers=ok).status_code == 200
        health = c.get("/api/v1/health").json()
        assert health["auth_required"] is True
        assert c.get("/api/v1/techniques").status_code == 200
        assert c.get("/").status_code == 200
        doc = c.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert doc["paths"]["/api/v1/analyze"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in doc["paths"]["/api/v1/health"]["get"]


def test_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPSCOPE_API_TOKEN", "from-env")
    monkeypatch.setenv("PROPSCOPE_MAX_BATCH", "3")
    s = Settings()
    assert s.api_token == "from-env" and s.max_batch == 3


# --- documentation can't drift ---


def test_every_setting_and_endpoint_is_in_the_readme(client: TestClient) -> None:
    readme = README.read_text(encoding="utf-8")
    for name, info in Settings.model_fields.items():
        assert f"`{name}`" in readme, f"setting {name} is not documented in the README"
        assert info.description, f"setting {name} has no help text"
    for path, item in client.get("/openapi.json").json()["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in readme, f"{method} {path} not in the README"
    for path in ("GET /", "GET /docs", "GET /openapi.json"):
        assert path in readme


def test_sensitivity_and_min_score_choose_the_spans(make_app: MakeApp) -> None:
    from web_support import TINY

    from propscope.pipeline import load

    pipeline = load(str(TINY))
    text = "They are evil thugs who lie to everyone.\nOur great nation will never surrender!"
    scores = sorted(s.score for s in pipeline.analyze(text).spans)
    assert len(scores) >= 3
    mid = (scores[0] + scores[-1]) / 2
    pipeline.model.operating_points = {"precise": scores[-1], "balanced": mid, "sensitive": 0.0}  # type: ignore[attr-defined]
    with TestClient(make_app(pipeline=pipeline, model=str(TINY))) as c:
        got = {}
        for name in ("precise", "balanced", "sensitive", None):
            body = {"text": text} if name is None else {"text": text, "sensitivity": name}
            d = c.post("/api/v1/analyze", json=body).json()
            got[name] = (d["min_score"], len(d["spans"]))
            assert d["operating_points"] == pytest.approx(pipeline.model.operating_points, abs=1e-4)  # type: ignore[attr-defined]
        assert got["precise"][1] == 1 and got["sensitive"][1] == len(scores)
        assert got[None] == got["balanced"] == (round(mid, 4), sum(s >= mid for s in scores))
        d = c.post("/api/v1/analyze", json={"text": text, "min_score": scores[1]}).json()
        assert len(d["spans"]) == len(scores) - 1
        b = c.post("/api/v1/analyze/batch", json={"texts": [text], "sensitivity": "precise"})
        assert len(b.json()["analyses"][0]["spans"]) == 1
        for bad in ({"sensitivity": "loud"}, {"min_score": 2.0}, {"min_score": "0.5"}):
            r = c.post("/api/v1/analyze", json={"text": text, **bad})
            assert r.status_code == 422 and r.json()["error"]["code"] == "E040"
