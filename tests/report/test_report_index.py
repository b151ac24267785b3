"""The standalone report's index of several files (report/html.py): names, figures, links, and
no local path anywhere. Its links are followed in a browser in
tests/web/test_report_index_browser.py."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from propscope.claims.profile import count_words
from propscope.report.html import display_names, render_html, report_data
from propscope.types import Analysis, Claim, ModelInfo, Span

DATA_BLOCK = re.compile(
    r'<script type="application/json" id="propscope-data">(.*?)</script>', re.DOTALL
)
MODEL = ModelInfo("hand-made", "0")


def _analysis(text: str, spans: list[tuple[int, int, str]], claims: int) -> Analysis:
    """An analysis with a hand-made profile: the figures the index reads, and the sub-objects
    a newer profile carries (which the index ignores)."""
    ss = tuple(Span(s, e, t) for s, e, t in spans)
    cs = tuple(Claim(0, len(text), 0.9) for _ in range(claims))
    words = count_words(text)
    profile = {
        "words": words,
        "techniques_per_1000_words": round(len(ss) * 1000 / words, 2) if words else 0.0,
        "check_worthy_claims": len(cs),
        "author": {"words": 1, "check_worthy_claims": 99},
        "quoted": {"words": 2, "check_worthy_claims": 98},
    }
    return Analysis(text=text, model=MODEL, spans=ss, claims=cs, profile=profile)


ONE = _analysis("An outrageous, shameful decision by evil thugs.", [(3, 13, "Loaded_Language")], 1)
TWO = _analysis(
    "Our country first. Jobs, jobs, jobs. Take back control! " * 3,
    [(0, 11, "Flag-Waving"), (19, 35, "Repetition"), (37, 55, "Slogans")],
    2,
)
THREE = _analysis("Nothing to see here.", [], 0)


class _Index(HTMLParser):
    """The index table's rows: [link target, name, words, spans, per 1,000, claims]."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_index = False
        self.in_body = False
        self.cell: list[str] | None = None
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "nav" and a.get("id") == "ps-index":
            self.in_index = True
        elif self.in_index and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.cell = []
        elif self.in_body and tag == "a":
            self.rows[-1].append(str(a.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_index = self.in_body = False
        elif self.cell is not None and tag in ("td", "th"):
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _index(doc: str) -> _Index:
    parser = _Index()
    parser.feed(doc)
    return parser


def _data(doc: str) -> dict[str, Any]:
    m = DATA_BLOCK.search(doc)
    assert m is not None
    return dict(json.loads(m.group(1)))


def test_index_lists_each_file_with_its_figures() -> None:
    items = [("/home/reader/news/one.txt", ONE), ("/srv/two.txt", TWO), ("three.txt", THREE)]
    doc = render_html(items)
    index = _index(doc)
    assert index.rows == [
        ["#ps-article-1", "one.txt", "7", "1", "142.86", "1"],
        ["#ps-article-2", "two.txt", "27", "3", "111.11", "2"],
        ["#ps-article-3", "three.txt", "4", "0", "0.00", "0"],
    ]
    assert '<h2 id="ps-index-title">3 files</h2>' in doc
    assert "<title>propscope report: one.txt, two.txt, three.txt</title>" in doc
    # report.js gives each article the id the links point at, in the same order
    assert "article.id = `ps-article-${i + 1}`" in doc


def test_no_absolute_path_anywhere(tmp_path: Path) -> None:
    a, b = tmp_path / "left" / "story.txt", tmp_path / "right" / "story.txt"
    doc = render_html([(str(a), ONE), (str(b), TWO), (str(tmp_path / "x.txt"), THREE)])
    assert str(tmp_path) not in doc
    assert "/tmp/" not in doc and "pytest" not in doc
    data = _data(doc)
    sources = [x["source"] for x in data["articles"]]
    assert sources == ["left/story.txt", "right/story.txt", "x.txt"]
    assert [x["analysis"]["source"] for x in data["articles"]] == sources
    assert [row[1] for row in _index(doc).rows] == sources


def test_duplicate_names_are_told_apart() -> None:
    assert display_names(["/a/x.txt", "/b/x.txt", "/c/y.txt"]) == ["a/x.txt", "b/x.txt", "y.txt"]
    # only as much of the path as tells them apart
    assert display_names(["/p/a/c/x.txt", "/p/b/c/x.txt", "/q/x.txt"]) == [
        "a/c/x.txt",
        "b/c/x.txt",
        "q/x.txt",
    ]
    # a path that is the tail of another
    assert display_names(["x.txt", "/home/u/a/x.txt"]) == ["x.txt", "a/x.txt"]
    # the same file twice: numbered, still no directories
    assert display_names(["/p/x.txt", "/p/x.txt"]) == ["x.txt", "x.txt (2)"]
    # URLs and stdin as given; a file: URL is a local path
    assert display_names(["https://example.com/a/x.txt", "<stdin>", "file:///etc/x.txt"]) == [
        "https://example.com/a/x.txt",
        "<stdin>",
        "x.txt",
    ]
    assert display_names([]) == []


def test_duplicate_names_in_the_report() -> None:
    doc = render_html([("/one/a/x.txt", ONE), ("/two/b/x.txt", TWO)])
    assert [row[1] for row in _index(doc).rows] == ["a/x.txt", "b/x.txt"]
    assert "/one/" not in doc and "/two/" not in doc


def test_single_file_report_has_no_index() -> None:
    doc = render_html([("/home/reader/one.txt", ONE)])
    assert 'id="ps-index"' not in doc and '<table class="ps-index-table"' not in doc
    assert _index(doc).rows == []
    assert "/home/reader" not in doc
    assert _data(doc)["articles"][0]["source"] == "one.txt"


def test_index_escapes_names() -> None:
    name = "https://example.com/<b>&x</b>"
    doc = render_html([(name, ONE), ("two.txt", TWO)])
    assert "&lt;b&gt;&amp;x&lt;/b&gt;" in doc
    assert "<b>" not in doc
    assert _index(doc).rows[0][1] == name


def test_csp_hashes_both_styles_and_no_network() -> None:
    import base64
    import hashlib

    doc = render_html([("a.txt", ONE), ("b.txt", TWO)])
    styles = re.findall(r"<style>(.*?)</style>", doc, re.DOTALL)
    assert len(styles) == 2 and ".ps-index-table" in styles[1]
    m = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', doc)
    assert m is not None
    csp = m.group(1).replace("&#x27;", "'")
    for s in styles:
        digest = base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.split("style-src", 1)[1].split(";", 1)[0]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', doc)
    assert refs and all(r.startswith(("data:", "#ps-article-")) for r in refs), refs


@pytest.mark.parametrize("n", [2, 3])
def test_report_data_names_match_the_index(n: int) -> None:
    items = [(f"/d{i}/same.txt", a) for i, a in enumerate([ONE, TWO, THREE][:n])]
    data = report_data(items)
    assert [x["source"] for x in data["articles"]] == [f"d{i}/same.txt" for i in range(n)]


def test_cli_report_of_files_with_the_same_name(run_cli: Any, tmp_path: Path) -> None:
    for sub in ("left", "right"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "story.txt").write_text("Nothing to see here.\n", encoding="utf-8")
    r = run_cli(
        "analyze",
        tmp_path / "left" / "story.txt",
        tmp_path / "right" / "story.txt",
        "--format",
        "html",
        "--model",
        "builtin:lexicon",
    )
    assert r.returncode == 0, r.stderr
    assert str(tmp_path) not in r.stdout
    assert [row[1] for row in _index(r.stdout).rows] == ["left/story.txt", "right/story.txt"]
