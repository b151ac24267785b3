"""Batch input with ids, HTML and URL input in the library and the CLI (issue #10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import propscope
from propscope.corpus.url import Fetched, FetchLimits
from propscope.errors import PropscopeError

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny-model"
PAGE = (
    "<html><head><title>t</title><script>var x = 1;</script></head><body>"
    "<nav>Home | About</nav><article><h1>They are evil thugs.</h1>"
    "<p>Our great nation deserves better, and everyone knows it.</p></article></body></html>"
)


@pytest.fixture(scope="module")
def nlp() -> propscope.Pipeline:
    return propscope.load("builtin:lexicon")


def test_pipe_takes_texts_or_id_text_pairs(nlp: propscope.Pipeline) -> None:
    out = list(nlp.pipe([("a", "They are evil thugs."), ("b", "Calm."), ("c", "")]))
    assert [a.id for a in out] == ["a", "b", "c"]
    assert [a.to_dict()["id"] for a in out] == ["a", "b", "c"]
    assert [a.text for a in out] == ["They are evil thugs.", "Calm.", ""]
    plain = list(nlp.pipe(["They are evil thugs."]))
    assert plain[0].id is None and "id" not in plain[0].to_dict()
    assert plain[0].spans == out[0].spans


def test_analyze_html_analyses_the_main_text_and_returns_it(nlp: propscope.Pipeline) -> None:
    a = nlp.analyze_html(PAGE)
    d = a.to_dict()
    assert "evil thugs" in d["text"] and "var x" not in d["text"]
    assert d["text"] == a.text and d["text_length"] == len(a.text)
    assert all(a.text[s["start"] : s["end"]] == s["text"] for s in d["spans"])
    assert any(s["text"] == "thugs" for s in d["spans"])
    assert "source" not in d


def test_analyze_url_uses_the_fetcher_and_names_the_final_url(nlp: propscope.Pipeline) -> None:
    asked: list[tuple[str, FetchLimits]] = []

    def fetch(url: str, limits: FetchLimits) -> Fetched:
        asked.append((url, limits))
        return Fetched("https://example.org/final", "html", PAGE.encode())

    limits = FetchLimits(timeout_s=3)
    d = nlp.analyze_url("https://example.org/a", limits=limits, fetch=fetch).to_dict()
    assert asked == [("https://example.org/a", limits)]
    assert d["source"] == "https://example.org/final" and "evil thugs" in d["text"]

    def fetch_text(url: str, limits: FetchLimits) -> Fetched:
        return Fetched(url, "text", "Plain evil thugs.")

    d = nlp.analyze_url("https://example.org/t.txt", fetch=fetch_text).to_dict()
    assert d["text"] == "Plain evil thugs." and d["source"] == "https://example.org/t.txt"
    assert [s["text"] for s in d["spans"]] == ["evil", "thugs"]


def test_analyze_url_refuses_private_addresses(nlp: propscope.Pipeline) -> None:
    with pytest.raises(PropscopeError) as info:
        nlp.analyze_url("http://127.0.0.1:9/")
    assert info.value.code.value == "E046"


def test_cli_analyses_an_html_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    r = run_cli("analyze", page, "--format", "json", "--model", "builtin:lexicon")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert "evil thugs" in d["text"] and "<h1>" not in d["text"]
    assert all(d["text"][s["start"] : s["end"]] == s["text"] for s in d["spans"])


def test_cli_refuses_a_private_url_with_a_coded_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("analyze", "http://127.0.0.1:9/x", "--model", "builtin:lexicon")
    assert r.returncode == 1
    assert "E046" in r.stderr


def test_tiny_model_pipe_ids_match_analyze() -> None:
    nlp = propscope.load(TINY)
    texts = ["They are evil thugs.", "Our country is great. Everyone knows it."]
    one = [nlp.analyze(t) for t in texts]
    many = list(nlp.pipe(list(zip(["x", "y"], texts, strict=True))))
    assert [a.spans for a in many] == [a.spans for a in one]
    assert [a.claims for a in many] == [a.claims for a in one]
