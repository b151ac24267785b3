"""The corpus routes of ``propscope serve --db``: a four-document corpus analysed by
``builtin:lexicon`` (its spans are words of a list, so every number below is counted by hand
from the texts), its statistics, filters, one stored analysis, the errors and the settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from propscope.corpus.batch import BatchOptions, run_batch
from propscope.errors import PropscopeError
from propscope.pipeline import Pipeline, load
from propscope.techniques import LABELS
from propscope.web import Settings, create_app

LL, NC, FW = "Loaded_Language", "Name_Calling,Labeling", "Flag-Waving"

# builtin:lexicon marks "evil" and "outrageous" (Loaded_Language), "thugs" (Name_Calling) and
# "Our country" (Flag-Waving), each with score 0.5. Words as counted: \w+ runs.
DOCS: list[dict[str, Any]] = [
    {  # 4 words, 1 sentence; evil (LL), thugs (NC)
        "id": "p1",
        "text": "They are evil thugs.",
        "source": "Daily Planet",
        "date": "2024-01-10",
        "title": "Thugs <b>again</b>",
    },
    {  # 9 words, 1 sentence, no span; an id with a slash
        "id": "planet/p2",
        "text": "The council met on Tuesday and approved the budget.",
        "source": "Daily Planet",
        "date": "2024-02-03",
        "title": "Budget approved",
    },
    {  # 8 words, 2 sentences; outrageous (LL), Our country (FW)
        "id": "s1",
        "text": "What an outrageous idea. Our country is great.",
        "source": "Evening Star",
        "date": "2024-01-20",
        "title": "An idea",
    },
    {  # 7 words, 1 sentence; evil (LL), outrageous (LL)
        "id": "s2",
        "text": "Residents said the evil plan was outrageous.",
        "source": "Evening Star",
        "date": "2024-02-25",
        "author": "A. Writer",
        "title": "The plan",
    },
]
NEWEST_FIRST = ["s2", "planet/p2", "s1", "p1"]


def write_corpus(folder: Path, pipeline: Pipeline) -> str:
    """The corpus above as JSONL, analysed into ``folder/corpus.db``; returns the db path."""
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "docs.jsonl"
    jsonl.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    db = str(folder / "corpus.db")
    # run_batch uses a pipeline given as it is: give it at the point spans are stored from.
    summary = run_batch(
        BatchOptions([jsonl], db=db, model="builtin:lexicon"),
        pipeline=pipeline.using(sensitivity="sensitive"),
    )
    assert (summary.analysed, summary.n_errors) == (len(DOCS), 0), summary.first_errors
    return db


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, lexicon_pipeline: Pipeline) -> str:
    return write_corpus(tmp_path_factory.mktemp("corpus"), lexicon_pipeline)


@pytest.fixture
def api(corpus_db: str, lexicon_pipeline: Pipeline) -> Iterator[TestClient]:
    app = create_app(Settings(model="builtin:lexicon", db=corpus_db), pipeline=lexicon_pipeline)
    with TestClient(app) as c:
        yield c


def _ok(c: TestClient, path: str, **params: Any) -> Any:
    r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _error(c: TestClient, path: str, status: int, code: str, **params: Any) -> str:
    r = c.get(path, params=params)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    return str(body["error"]["message"])


def _per_k(n: int, words: int) -> float:
    return round(n * 1000 / words, 3)


def _techniques(words: int, **counts: int) -> dict[str, dict[str, Any]]:
    """The 14 techniques' entries of a group with these counts (by short name)."""
    by_label = {"LL": LL, "NC": NC, "FW": FW}
    want = {by_label[k]: n for k, n in counts.items()}
    return {
        label: {"count": want.get(label, 0), "per_1000_words": _per_k(want.get(label, 0), words)}
        for label in LABELS
    }


# --- statistics ---


def test_stats_by_source_are_the_counts_by_hand(api: TestClient) -> None:
    s = _ok(api, "/api/v1/corpus/stats", by="source")
    assert s["by"] == "source" and s["sensitivity"] == "balanced"
    assert s["model"]["name"] == "propscope-lexicon-baseline"
    planet, star = s["groups"]
    # Daily Planet: p1 (4 words: evil, thugs) + planet/p2 (9 words, nothing) = 13 words.
    assert planet["key"] == "Daily Planet"
    assert (planet["documents"], planet["words"], planet["spans"]) == (2, 13, 2)
    assert planet["spans_per_1000_words"] == 153.846
    assert planet["techniques"] == _techniques(13, LL=1, NC=1)
    assert planet["share_of_sentences_with_technique"] == 0.5  # 1 of 2 sentences
    # Evening Star: s1 (8 words: outrageous, Our country) + s2 (7: evil, outrageous) = 15.
    assert star["key"] == "Evening Star"
    assert (star["documents"], star["words"], star["spans"]) == (2, 15, 4)
    assert star["techniques"][LL] == {"count": 3, "per_1000_words": 200.0}
    assert star["techniques"][FW] == {"count": 1, "per_1000_words": 66.667}
    assert star["techniques"] == _techniques(15, LL=3, FW=1)
    assert star["share_of_sentences_with_technique"] == 1.0  # 3 of 3
    total = s["total"]
    assert (total["documents"], total["words"], total["spans"]) == (4, 28, 6)
    assert total["spans_per_1000_words"] == 214.286
    assert total["techniques"] == _techniques(28, LL=4, NC=1, FW=1)
    assert total["share_of_sentences_with_technique"] == 0.8  # 4 of 5
    assert total["check_worthy_claims"] == 0  # the lexicon scores no claims


def test_stats_by_month_and_author(api: TestClient) -> None:
    months = {g["key"]: g for g in _ok(api, "/api/v1/corpus/stats", by="month")["groups"]}
    assert list(months) == ["2024-01", "2024-02"]
    jan, feb = months["2024-01"], months["2024-02"]
    # January: p1 (4 words) + s1 (8); February: planet/p2 (9) + s2 (7).
    assert (jan["documents"], jan["words"], jan["spans"]) == (2, 12, 4)
    assert jan["techniques"] == _techniques(12, LL=2, NC=1, FW=1)
    assert jan["techniques"][LL]["per_1000_words"] == 166.667
    assert (feb["documents"], feb["words"], feb["spans"]) == (2, 16, 2)
    assert feb["techniques"] == _techniques(16, LL=2)
    assert feb["techniques"][LL]["per_1000_words"] == 125.0
    authors = {g["key"]: g for g in _ok(api, "/api/v1/corpus/stats", by="author")["groups"]}
    assert {k: (g["documents"], g["words"]) for k, g in authors.items()} == {
        "(unknown)": (3, 21),
        "A. Writer": (1, 7),
    }
    plain = _ok(api, "/api/v1/corpus/stats")
    assert plain["by"] is None and plain["groups"] == [{**plain["total"], "key": "all"}]


def test_facets(api: TestClient) -> None:
    f = _ok(api, "/api/v1/corpus/facets")
    assert f["documents"] == 4
    assert f["sources"] == ["Daily Planet", "Evening Star"]
    assert (f["date_from"], f["date_to"]) == ("2024-01-10", "2024-02-25")
    assert f["techniques"] == list(LABELS)


# --- the document list ---


def _ids(page: dict[str, Any]) -> list[str]:
    return [d["id"] for d in page["documents"]]


def test_documents_newest_first_with_their_counts(api: TestClient) -> None:
    page = _ok(api, "/api/v1/corpus/documents")
    assert page["total"] == 4 and (page["limit"], page["offset"]) == (50, 0)
    assert _ids(page) == NEWEST_FIRST
    rows = {d["id"]: d for d in page["documents"]}
    assert rows["p1"] == {
        "id": "p1",
        "title": "Thugs <b>again</b>",
        "source": "Daily Planet",
        "date": "2024-01-10",
        "author": None,
        "words": 4,
        "spans": 2,
        "check_worthy_claims": 0,
    }
    assert {k: (d["words"], d["spans"]) for k, d in rows.items()} == {
        "p1": (4, 2),
        "planet/p2": (9, 0),
        "s1": (8, 2),
        "s2": (7, 2),
    }
    assert rows["s2"]["author"] == "A. Writer"


@pytest.mark.parametrize(
    ("params", "want"),
    [
        ({"q": "evil"}, ["s2", "p1"]),
        ({"q": "THUGS"}, ["p1"]),  # any case
        ({"q": "planet/"}, ["planet/p2"]),  # the id too
        ({"q": "nowhere"}, []),
        ({"source": "Evening Star"}, ["s2", "s1"]),
        ({"source": "Nobody"}, []),
        ({"date_from": "2024-02-01"}, ["s2", "planet/p2"]),
        ({"date_to": "2024-01-31"}, ["s1", "p1"]),
        ({"date_from": "2024-01-15", "date_to": "2024-02-10"}, ["planet/p2", "s1"]),
        ({"technique": FW}, ["s1"]),
        ({"technique": NC}, ["p1"]),
        ({"technique": LL}, ["s2", "s1", "p1"]),
        ({"technique": "Doubt"}, []),
        ({"source": "Daily Planet", "technique": LL}, ["p1"]),
        ({"q": "outrageous", "date_from": "2024-02-01"}, ["s2"]),
    ],
)
def test_document_filters(api: TestClient, params: dict[str, str], want: list[str]) -> None:
    page = _ok(api, "/api/v1/corpus/documents", **params)
    assert _ids(page) == want and page["total"] == len(want)


def test_document_pages(api: TestClient) -> None:
    seen = []
    for offset in range(0, 5, 2):
        page = _ok(api, "/api/v1/corpus/documents", limit=2, offset=offset)
        assert page["total"] == 4 and (page["limit"], page["offset"]) == (2, offset)
        seen += _ids(page)
    assert seen == NEWEST_FIRST
    assert _ids(_ok(api, "/api/v1/corpus/documents", limit=1, offset=1)) == ["planet/p2"]
    assert _ok(api, "/api/v1/corpus/documents", limit=200, offset=10)["documents"] == []


# --- one stored analysis ---


def test_one_stored_analysis_is_the_analysis_json(
    api: TestClient, lexicon_pipeline: Pipeline
) -> None:
    d = _ok(api, "/api/v1/corpus/documents/p1")
    assert d["id"] == "p1" and d["text"] == DOCS[0]["text"]
    assert [d["text"][s["start"] : s["end"]] for s in d["spans"]] == ["evil", "thugs"]
    assert [s["technique"] for s in d["spans"]] == [LL, NC]
    assert d["document"]["source"] == "Daily Planet" and d["document"]["date"] == "2024-01-10"
    assert d["document"]["meta"]["title"] == "Thugs <b>again</b>"
    fresh = lexicon_pipeline.using(sensitivity="sensitive").analyze(DOCS[0]["text"]).to_dict()
    for key in ("schema", "model", "text_length", "spans", "claims", "sentences"):
        assert d[key] == fresh[key], key
    # An id holding a slash is one path parameter.
    other = _ok(api, "/api/v1/corpus/documents/planet/p2")
    assert other["id"] == "planet/p2" and other["spans"] == []


def test_absent_document_is_404(api: TestClient) -> None:
    msg = _error(api, "/api/v1/corpus/documents/missing", 404, "E041")
    assert "missing" in msg


# --- bad parameters: 422 / 400, E040 ---


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("stats", {"by": "week"}, 422),
        ("stats", {"sensitivity": "loud"}, 422),
        ("stats", {"model": "nobody"}, 400),  # PropscopeError BAD_OPTION from the queries
        ("facets", {"model": "nobody@9"}, 400),
        ("documents", {"limit": 0}, 422),
        ("documents", {"limit": 201}, 422),
        ("documents", {"offset": -1}, 422),
        ("documents", {"date_from": "2024-13-01"}, 422),
        ("documents", {"date_to": "yesterday"}, 422),
        ("documents", {"technique": "Shouting"}, 422),
        ("documents", {"sensitivity": "LOUD"}, 422),
        ("documents", {"q": "x" * 501}, 422),
    ],
)
def test_bad_parameters_are_e040(
    api: TestClient, path: str, params: dict[str, Any], status: int
) -> None:
    _error(api, f"/api/v1/corpus/{path}", status, "E040", **params)


# --- without a database; with a token ---

ROUTES = ["stats", "facets", "documents", "documents/p1"]


@pytest.mark.parametrize("route", ROUTES)
def test_without_a_database_every_route_is_404(client: TestClient, route: str) -> None:
    msg = _error(client, f"/api/v1/corpus/{route}", 404, "E041")
    assert "propscope serve --db" in msg


def test_the_token_guards_the_corpus_routes(corpus_db: str, lexicon_pipeline: Pipeline) -> None:
    settings = Settings(model="builtin:lexicon", db=corpus_db, api_token="tok")
    with TestClient(create_app(settings, pipeline=lexicon_pipeline)) as c:
        for route in ROUTES:
            assert _error(c, f"/api/v1/corpus/{route}", 401, "E045")
            r = c.get(f"/api/v1/corpus/{route}", headers={"Authorization": "Bearer tok"})
            assert r.status_code == 200, r.text
        schema = c.get("/openapi.json").json()
        assert schema["paths"]["/api/v1/corpus/stats"]["get"]["security"] == [{"bearer": []}]
        assert c.get("/corpus").status_code == 200  # the page itself is open


def test_the_openapi_document_lists_the_corpus_routes(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("stats", "facets", "documents", "documents/{doc_id}"):
        op = paths[f"/api/v1/corpus/{path}"]["get"]
        assert op["tags"] == ["corpus"]
        assert {"200", "400", "404", "422"} <= set(op["responses"])
    assert "/corpus" not in paths


# --- sensitivity: spans are stored down to the sensitive point ---


def test_sensitivity_chooses_the_spans_counted(tmp_path: Path) -> None:
    pipeline = load("builtin:lexicon")  # every span scores 0.5
    pipeline.model.operating_points = {"precise": 0.9, "balanced": 0.5, "sensitive": 0.1}  # type: ignore[attr-defined]
    db = write_corpus(tmp_path, pipeline)
    with TestClient(create_app(Settings(model="builtin:lexicon", db=db), pipeline=pipeline)) as c:
        for name, spans in (("precise", 0), ("balanced", 6), ("sensitive", 6)):
            s = _ok(c, "/api/v1/corpus/stats", sensitivity=name)
            assert (s["sensitivity"], s["total"]["spans"]) == (name, spans)
            page = _ok(c, "/api/v1/corpus/documents", technique=LL, sensitivity=name)
            assert page["total"] == (0 if name == "precise" else 3)
        s = _ok(c, "/api/v1/corpus/stats", sensitivity="precise")
        assert s["min_score"] == 0.9 and s["total"]["share_of_sentences_with_technique"] == 0.0
        # The stored analysis keeps every span down to the sensitive point, with the points.
        d = _ok(c, "/api/v1/corpus/documents/s1")
        assert len(d["spans"]) == 2 and d["min_score"] == 0.1
        assert d["operating_points"] == {"precise": 0.9, "balanced": 0.5, "sensitive": 0.1}


# --- opening the database ---


def test_a_missing_or_foreign_database_is_a_coded_error(
    tmp_path: Path, lexicon_pipeline: Pipeline
) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(PropscopeError) as err:
        create_app(Settings(model="builtin:lexicon", db=str(missing)), pipeline=lexicon_pipeline)
    assert err.value.code.value == "E050" and "propscope batch" in err.value.message
    assert not missing.exists()  # never created
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(PropscopeError) as err:
        create_app(Settings(model="builtin:lexicon", db=str(other)), pipeline=lexicon_pipeline)
    assert err.value.code.value == "E050"


def test_serve_with_a_missing_database_says_so(run_cli: Any, tmp_path: Path) -> None:
    r = run_cli("serve", "--db", tmp_path / "none.db", "--model", "builtin:lexicon")
    assert r.returncode == 1
    assert "E050" in r.stderr and "propscope batch" in r.stderr


def test_the_db_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPSCOPE_DB", "corpus.db")
    assert Settings().db == "corpus.db"


# --- the dashboard's files ---


def test_the_dashboard_and_its_vendored_script_are_served(api: TestClient) -> None:
    page = api.get("/corpus")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert '<script src="/static/vendor/chart.umd.min.js"' in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    js = api.get("/static/vendor/chart.umd.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "Chart.js v4.6.1" in js.text[:200]
    lic = api.get("/static/vendor/chart.js.LICENSE.md")
    assert lic.status_code == 200 and lic.headers["content-type"].startswith("text/plain")
    assert "MIT License" in lic.text
    for bad in (
        "/static/vendor/README.md",  # neither a script nor a licence
        "/static/vendor/..%2Fpage.js",
        "/static/vendor/..%2F..%2F__init__.py",
        "/static/vendor/.hidden.js",
        "/static/vendor/missing.js",
        "/static/vendor/%2Fetc%2Fpasswd",
    ):
        r = api.get(bad)
        assert r.status_code == 404 and r.json()["error"]["code"] == "E041", bad
    for name in ("corpus.js", "corpus.css"):
        assert api.get(f"/static/{name}").status_code == 200
