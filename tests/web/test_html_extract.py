"""Main-text extraction from HTML (propscope.corpus.html)."""

from __future__ import annotations

from web_support import ARTICLE_HTML

from propscope.corpus.html import extract_main_text
from propscope.pipeline import Pipeline


def test_article_main_text_without_boilerplate() -> None:
    ex = extract_main_text(ARTICLE_HTML)
    assert ex.text.startswith("The Council Vote")
    assert "so-called experts" in ex.text
    assert "Home" not in ex.text and "Copyright" not in ex.text
    assert ex.warnings == ()


def test_bytes_with_a_meta_charset() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 thugs.</p></body></html>'
    assert "Caf\u00e9" in extract_main_text(html.encode("latin-1")).text


def test_escaped_markup_is_text_and_scripts_are_dropped() -> None:
    html = "<p>&lt;script&gt;alert(1)&lt;/script&gt; evil</p><script>var hidden = 1;</script>"
    ex = extract_main_text(html)
    assert "<script>alert(1)</script> evil" in ex.text
    assert "hidden" not in ex.text


def test_fragment_without_main_text_falls_back_to_visible_text() -> None:
    ex = extract_main_text("<p>&lt;b&gt; evil</p>")
    assert ex.text == "<b> evil"
    assert [w["code"] for w in ex.warnings] == ["W004"]


def test_empty_page() -> None:
    for html in ("", "   ", "<html><body></body></html>", b""):
        ex = extract_main_text(html)
        assert ex.text == ""
        assert [w["code"] for w in ex.warnings] == ["W004"]


def test_span_offsets_index_the_extracted_text(lexicon_pipeline: Pipeline) -> None:
    text = extract_main_text(ARTICLE_HTML).text
    d = lexicon_pipeline.analyze(text).to_dict()
    assert d["spans"]
    for s in d["spans"]:
        assert text[s["start"] : s["end"]] == s["text"]
