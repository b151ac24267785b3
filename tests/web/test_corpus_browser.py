"""The corpus dashboard at /corpus in a real browser (Playwright driving Debian's chromium), on
the four-document corpus of test_corpus_api (analysed by builtin:lexicon).

As in test_browser, a script error, a console error (CSP violations included), a dialog or a
request to anywhere but the server under test fails a test.

``PROPSCOPE_SCREENSHOT=1`` writes docs/corpus-dashboard.png (the README's picture) from the
database ``PROPSCOPE_SCREENSHOT_DB`` names (one filled by ``propscope batch``), or from the test
corpus where it names none.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_browser import _watch
from test_corpus_api import LL, NEWEST_FIRST, write_corpus
from web_support import HOSTILE, ROOT, LiveServer, start_server, stop_server

from propscope.corpus.batch import BatchOptions, run_batch
from propscope.pipeline import Pipeline
from propscope.web import Settings, create_app

SCREENSHOT_ENV = "PROPSCOPE_SCREENSHOT"
SCREENSHOT_DB_ENV = "PROPSCOPE_SCREENSHOT_DB"
MAX_SCREENSHOT_BYTES = 400_000


def _serve(db: str, pipeline: Pipeline) -> LiveServer:
    return start_server(create_app(Settings(model="builtin:lexicon", db=db), pipeline=pipeline))


@pytest.fixture(scope="module")
def corpus_server(
    tmp_path_factory: pytest.TempPathFactory, lexicon_pipeline: Pipeline
) -> Iterator[LiveServer]:
    live = _serve(
        write_corpus(tmp_path_factory.mktemp("dashboard"), lexicon_pipeline), lexicon_pipeline
    )
    yield live
    stop_server(live)


@pytest.fixture
def dashboard(page: Page, corpus_server: LiveServer) -> Iterator[Page]:
    """/corpus on the test corpus, loaded and watched."""
    w = _watch(page, corpus_server.url + "/", "data:")
    page.goto(corpus_server.url + "/corpus")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    yield page
    w.check()


def _rows(page: Page) -> list[str]:
    return [
        str(r)
        for r in page.locator("#documents tbody tr").evaluate_all(
            "rows => rows.map(r => r.getAttribute('data-id'))"
        )
    ]


def _cell(page: Page, source: str, label: str) -> object:
    return page.locator(f'#heatmap tr[data-source="{source}"] td[data-technique="{label}"]')


def test_the_heat_map_shows_each_source_and_its_rates(dashboard: Page) -> None:
    sources = dashboard.locator("#heatmap tbody tr[data-source] th").all_text_contents()
    assert sources == ["Daily Planet", "Evening Star"]
    assert dashboard.locator("#heatmap thead th.ps-heat-tech-h").count() == 14
    # Evening Star: 3 Loaded_Language spans in 15 words = 200 per 1,000 words (the maximum).
    hot = _cell(dashboard, "Evening Star", LL)
    expect(hot).to_have_text("200")
    assert hot.get_attribute("data-value") == "200"
    assert hot.evaluate("c => getComputedStyle(c).backgroundColor") == "rgb(127, 29, 29)"
    # Daily Planet: 1 in 13 words = 76.9; a lighter, non-white shade.
    warm = _cell(dashboard, "Daily Planet", LL)
    expect(warm).to_have_text("76.9")
    shade = warm.evaluate("c => getComputedStyle(c).backgroundColor")
    assert shade not in ("rgb(255, 255, 255)", "rgb(127, 29, 29)")
    cold = _cell(dashboard, "Daily Planet", "Doubt")
    expect(cold).to_have_text("0")
    assert cold.evaluate("c => getComputedStyle(c).backgroundColor") == "rgb(255, 255, 255)"
    expect(dashboard.locator("#heatmap tr.ps-heat-total th")).to_have_text("All sources")
    # Sorting by Flag-waving puts Evening Star (66.7) first; clicking a source filters the list.
    dashboard.click('#heatmap button.ps-sort[data-sort="Flag-Waving"]')
    assert (
        dashboard.locator("#heatmap tbody tr[data-source]").first.get_attribute("data-source")
        == "Evening Star"
    )
    dashboard.click('#heatmap button.ps-heat-source[data-source="Daily Planet"]')
    expect(dashboard.locator("#source")).to_have_value("Daily Planet")
    expect(dashboard.locator("#documents tbody tr")).to_have_count(2)
    assert _rows(dashboard) == ["planet/p2", "p1"]


def test_the_chart_draws_a_line_per_technique_by_month(dashboard: Page) -> None:
    expect(dashboard.locator("body")).to_have_attribute("data-chart", "drawn")
    chart = dashboard.evaluate(
        """() => {
            const c = Chart.getChart(document.getElementById("timeline"));
            return {labels: c.data.labels, n: c.data.datasets.length,
                    ll: c.data.datasets.find(d => d.label === "Loaded language").data,
                    shown: c.data.datasets.filter(d => !d.hidden).map(d => d.label)};
        }"""
    )
    assert chart["labels"] == ["2024-01", "2024-02"] and chart["n"] == 14
    assert chart["ll"] == [166.667, 125.0]  # Jan: 2 in 12 words; Feb: 2 in 16
    assert sorted(chart["shown"]) == ["Flag-waving", "Loaded language", "Name calling or labelling"]
    painted = dashboard.evaluate(
        """() => {
            const canvas = document.getElementById("timeline");
            const {data} = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
            return {n, w: canvas.width, h: canvas.height};
        }"""
    )
    assert painted["w"] > 300 and painted["h"] > 200
    assert painted["n"] > 2000, painted  # axes, labels, legend and lines


def test_searching_and_filtering_the_document_list(dashboard: Page) -> None:
    expect(dashboard.locator("#documents tbody tr")).to_have_count(4)
    assert _rows(dashboard) == NEWEST_FIRST
    expect(dashboard.locator("#doc-count")).to_contain_text("1–4 of 4")
    # A title is shown as text, never parsed.
    link = dashboard.locator('#documents tr[data-id="p1"] a.ps-doc-link')
    expect(link).to_have_text("Thugs <b>again</b>")
    assert link.locator("b").count() == 0

    dashboard.fill("#q", "evil")
    dashboard.click("#search")
    expect(dashboard.locator("#documents tbody tr")).to_have_count(2)
    assert _rows(dashboard) == ["s2", "p1"]
    assert "q=evil" in dashboard.url
    dashboard.select_option("#source", "Evening Star")  # a select applies at once
    expect(dashboard.locator("#documents tbody tr")).to_have_count(1)
    assert _rows(dashboard) == ["s2"]
    dashboard.click("#reset")
    expect(dashboard.locator("#documents tbody tr")).to_have_count(4)
    dashboard.select_option("#technique", "Flag-Waving")
    expect(dashboard.locator("#documents tbody tr")).to_have_count(1)
    assert _rows(dashboard) == ["s1"]
    dashboard.click("#reset")
    dashboard.fill("#date-from", "2024-02-01")
    dashboard.dispatch_event("#date-from", "change")
    expect(dashboard.locator("#documents tbody tr")).to_have_count(2)
    assert _rows(dashboard) == ["s2", "planet/p2"]
    dashboard.click("#reset")
    dashboard.fill("#q", "nothing like this")
    dashboard.press("#q", "Enter")
    expect(dashboard.locator("#documents tbody td.ps-empty")).to_have_text("No documents match.")


def test_the_filters_live_in_the_address(page: Page, corpus_server: LiveServer) -> None:
    w = _watch(page, corpus_server.url + "/", "data:")
    page.goto(corpus_server.url + "/corpus?source=Evening+Star&sensitivity=sensitive")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#source")).to_have_value("Evening Star")
    expect(page.locator("#sensitivity")).to_have_value("sensitive")
    assert _rows(page) == ["s2", "s1"]
    w.check()


def test_clicking_a_document_opens_its_stored_analysis(dashboard: Page) -> None:
    calls: list[str] = []
    dashboard.on("request", lambda r: calls.append(r.url) if "/analyze" in r.url else None)
    dashboard.fill("#q", "thugs")
    dashboard.click("#search")
    expect(dashboard.locator("#documents tbody tr")).to_have_count(1)
    dashboard.click('#documents tr[data-id="p1"] a.ps-doc-link')
    dashboard.wait_for_url("**/?doc=p1*")
    expect(dashboard.locator("#status")).to_contain_text("Done: 2 spans")
    marks = dashboard.locator("#results mark.ps-span")
    expect(marks).to_have_count(2)
    assert marks.all_text_contents() == ["evil", "thugs"]
    assert dashboard.locator("#results .ps-text").text_content() == "They are evil thugs."
    expect(dashboard.locator("#results h2.ps-source")).to_have_text(
        "Thugs <b>again</b> · Daily Planet · 2024-01-10"
    )
    legend = dashboard.locator("button.ps-legend-item .ps-legend-name").all_text_contents()
    assert sorted(legend) == ["Loaded language", "Name calling or labelling"]
    assert calls == []  # shown from the database, not analysed again
    # The way back keeps the search.
    dashboard.click("text=← Corpus dashboard")
    dashboard.wait_for_url("**/corpus?q=thugs")
    expect(dashboard.locator("body")).to_have_attribute("data-ready", "true")
    expect(dashboard.locator("#q")).to_have_value("thugs")
    # An id with a slash opens too.
    dashboard.click("#reset")
    dashboard.click('#documents tr[data-id="planet/p2"] a.ps-doc-link')
    expect(dashboard.locator("#status")).to_contain_text("Done: 0 spans")
    assert dashboard.locator("#results .ps-text").text_content() == (
        "The council met on Tuesday and approved the budget."
    )


def test_without_a_database_the_dashboard_says_how_to_get_one(
    page: Page, live_server: LiveServer
) -> None:
    w = _watch(page, live_server.url + "/", "data:")
    page.goto(live_server.url + "/corpus")
    expect(page.locator("body")).to_have_attribute("data-ready", "error")
    expect(page.locator("#status")).to_contain_text("E041")
    expect(page.locator("#status")).to_contain_text("propscope serve --db")
    w.check()


def test_hostile_metadata_stays_text(
    page: Page, tmp_path: Path, lexicon_pipeline: Pipeline
) -> None:
    bad = "<img src=x onerror=\"window.__pwned='meta'\">"
    record = {
        "id": "<svg onload=\"window.__pwned='id'\">",
        "text": HOSTILE,
        "source": bad,
        "date": "2024-03-01",
        "title": "<script>window.__pwned='title'</script>",
    }
    jsonl = tmp_path / "hostile.jsonl"
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = str(tmp_path / "hostile.db")
    run_batch(
        BatchOptions([jsonl], db=db), pipeline=lexicon_pipeline.using(sensitivity="sensitive")
    )
    live = _serve(db, lexicon_pipeline)
    try:
        w = _watch(page, live.url + "/", "data:")
        page.goto(live.url + "/corpus")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        expect(page.locator("#heatmap tbody tr[data-source] th")).to_have_text(bad)
        expect(page.locator("#documents a.ps-doc-link")).to_have_text(record["title"])
        active = "img, script, svg, iframe"
        for where in ("#heatmap", "#documents", "#source", "#corpus-summary"):
            assert page.locator(where).locator(active).count() == 0, where
        page.click("#documents a.ps-doc-link")
        expect(page.locator("#status")).to_contain_text("Done")
        assert page.locator("#results").locator(active).count() == 0
        assert page.evaluate("() => window.__pwned") is None
        w.check()
    finally:
        stop_server(live)


def test_screenshot_of_the_dashboard(
    page: Page, corpus_server: LiveServer, lexicon_pipeline: Pipeline, tmp_path: Path
) -> None:
    """With PROPSCOPE_SCREENSHOT=1 writes docs/corpus-dashboard.png (commit it) from the
    database PROPSCOPE_SCREENSHOT_DB (default: the test corpus); otherwise into tmp."""
    update = os.environ.get(SCREENSHOT_ENV) == "1"
    given = os.environ.get(SCREENSHOT_DB_ENV)
    server = _serve(given, lexicon_pipeline) if update and given else corpus_server
    try:
        w = _watch(page, server.url + "/", "data:")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(server.url + "/corpus")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        expect(page.locator("body")).to_have_attribute("data-chart", "drawn")
        shot = tmp_path / "corpus-dashboard.png"
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.screenshot(
            path=str(shot),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": min(height, 2000)},
        )
        w.check()
    finally:
        if server is not corpus_server:
            stop_server(server)
    size = shot.stat().st_size
    assert 10_000 < size < MAX_SCREENSHOT_BYTES, size
    if update:
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "corpus-dashboard.png")
