"""The standalone report (propscope.report.html, ``analyze --format html``): one self-contained
file, analyses embedded safely. Its rendering in a browser is in test_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from web_support import HOSTILE, LEX_TEXT

from propscope.pipeline import Pipeline
from propscope.report.html import embed_json, render_html, report_data

DATA_BLOCK = re.compile(
    r'<script type="application/json" id="propscope-data">(.*?)</script>', re.DOTALL
)


def _data(doc: str) -> dict[str, Any]:
    m = DATA_BLOCK.search(doc)
    assert m is not None
    return dict(json.loads(m.group(1)))


def test_self_contained(lexicon_pipeline: Pipeline) -> None:
    doc = render_html([("a.txt", lexicon_pipeline.analyze(LEX_TEXT))])
    assert doc.startswith("<!doctype html>")
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', doc)
    assert all(r.startswith("data:") for r in refs), refs
    assert "http://" not in doc and "https://" not in doc
    assert '<link rel="stylesheet"' not in doc and "<style>" in doc
    assert "Content-Security-Policy" in doc and "default-src &#x27;none&#x27;" in doc
    assert "@media print" in doc


def test_embedded_analysis_round_trips(lexicon_pipeline: Pipeline) -> None:
    a = lexicon_pipeline.analyze(LEX_TEXT)
    data = _data(render_html([("a.txt", a)]))
    assert data == report_data([("a.txt", a)])
    (article,) = data["articles"]
    assert article["analysis"]["text"] == LEX_TEXT
    assert {k: v for k, v in article["analysis"].items() if k not in ("text", "source")} == (
        a.to_dict()
    )
    assert len(data["techniques"]) == 14


def test_hostile_text_cannot_leave_the_data_block(lexicon_pipeline: Pipeline) -> None:
    text = HOSTILE + "</script><script>alert(1)</script><!-- \u2028 &amp; </SCRIPT >"
    # a URL is shown as given (a file path would be cut to its last part): markup and all
    name = "https://example.com/</title><script>alert(2)</script>.txt"
    doc = render_html([(name, lexicon_pipeline.analyze(text))])
    # Exactly three script elements: the data block and the two inlined scripts.
    assert len(re.findall(r"<script", doc, re.IGNORECASE)) == 3
    assert len(re.findall(r"</script", doc, re.IGNORECASE)) == 3
    assert "<!--" not in doc
    assert "<title>propscope report: https://example.com/&lt;/title&gt;&lt;script&gt;" in doc
    data = _data(doc)
    assert data["articles"][0]["analysis"]["text"] == text
    assert data["articles"][0]["source"] == name


def test_embed_json_escapes_markup() -> None:
    s = embed_json({"t": "</script><!-- & \u2028"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"t": "</script><!-- & \u2028"}


def test_cli_one_report_for_several_files(run_cli: Any, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(LEX_TEXT, encoding="utf-8")
    b.write_text("Nothing to see here.\n", encoding="utf-8")
    r = run_cli("analyze", a, b, "--format", "html", "--model", "builtin:lexicon")
    assert r.returncode == 0, r.stderr
    data = _data(r.stdout)
    # file names, never the absolute paths (report/html.py display_names)
    assert [x["source"] for x in data["articles"]] == ["a.txt", "b.txt"]
    assert str(tmp_path) not in r.stdout
    assert len(data["articles"][0]["analysis"]["spans"]) == 4
    assert r.stdout.count("<!doctype html>") == 1


def test_cli_report_keeps_readable_files_and_lists_failures(run_cli: Any, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(LEX_TEXT, encoding="utf-8")
    r = run_cli("analyze", a, tmp_path / "missing.txt", "-f", "html", "--model", "builtin:lexicon")
    assert r.returncode == 1
    assert "E001" in r.stderr
    assert [x["source"] for x in _data(r.stdout)["articles"]] == ["a.txt"]


def test_cli_report_from_stdin(run_cli: Any) -> None:
    r = run_cli("analyze", "-f", "html", "--model", "builtin:lexicon", input=LEX_TEXT.encode())
    assert r.returncode == 0, r.stderr
    assert _data(r.stdout)["articles"][0]["source"] == "<stdin>"
