"""The page and the standalone report in a real browser (Playwright driving Debian's chromium).

Every test watches the page: a script error, a console error (CSP violations included), a
dialog or a request to anywhere but the server under test fails it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect
from web_support import (
    ARTICLE_HTML,
    BIDI,
    HOSTILE,
    LEX_TEXT,
    ROOT,
    SAMPLE,
    TINY,
    LiveServer,
    start_server,
    stop_server,
)

from propscope.pipeline import Pipeline, load
from propscope.report.html import render_html
from propscope.techniques import BY_LABEL
from propscope.web import Settings, create_app

SCREENSHOT_ENV = "PROPSCOPE_UPDATE_SCREENSHOT"
ACTIVE_CONTENT = "script, img, iframe, svg, a, object, embed, form, input, textarea, style, link"


@dataclass
class Watch:
    allowed: tuple[str, ...]
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        outside = [u for u in self.requests if not u.startswith(self.allowed)]
        assert outside == [], f"requests outside {self.allowed}: {outside}"


def _watch(page: Page, *allowed: str) -> Watch:
    w = Watch(allowed)
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))

    def on_console(m: ConsoleMessage) -> None:
        # An API error answer (shown in the page's status line) is logged by the browser as a
        # failed resource; everything else logged as an error fails the test.
        if m.type == "error" and not m.text.startswith("Failed to load resource: the server"):
            w.errors.append(m.text)

    page.on("console", on_console)

    def on_dialog(d: Dialog) -> None:
        w.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: w.requests.append(r.url))
    return w


@pytest.fixture
def app_page(page: Page, live_server: LiveServer) -> Iterator[Page]:
    """The page at / on the lexicon model, watched."""
    w = _watch(page, live_server.url + "/", "data:")
    page.goto(live_server.url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    yield page
    w.check()


def _analyze(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.click("#analyze-text")
    expect(page.locator("#status")).to_contain_text("Done")


def _marks(page: Page) -> list[str]:
    return page.locator("#results mark.ps-span").all_text_contents()


def _legend(page: Page, label: str) -> object:
    return page.locator(f'button.ps-legend-item[data-technique="{label}"]')


def test_paste_an_article_and_see_highlights(
    app_page: Page, lexicon_pipeline: Pipeline, tmp_path: Path
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    expected = lexicon_pipeline.analyze(text)
    _analyze(app_page, text)
    assert app_page.locator("#results .ps-text").text_content() == text
    marks = app_page.locator("#results mark.ps-span")
    assert marks.count() >= len({(s.start, s.end) for s in expected.spans})
    shown = "".join(_marks(app_page))
    for s in expected.spans:
        assert text[s.start : s.end] in shown
    # One legend entry per technique found, with its count; the chart has the same rows.
    counts: dict[str, int] = {}
    for s in expected.spans:
        counts[s.technique] = counts.get(s.technique, 0) + 1
    legend = app_page.locator("button.ps-legend-item")
    assert legend.count() == len(counts)
    for label, n in counts.items():
        expect(_legend(app_page, label).locator(".ps-count")).to_have_text(str(n))
    assert app_page.locator(".ps-chart-row").count() == len(counts)
    app_page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    assert (tmp_path / "page.png").stat().st_size > 10_000


def test_each_span_has_its_technique_colour(app_page: Page) -> None:
    _analyze(app_page, LEX_TEXT)
    mark = app_page.locator("mark.ps-span", has_text="thugs")
    image = mark.evaluate("m => getComputedStyle(m).backgroundImage")
    r, g, b = (int(BY_LABEL["Name_Calling,Labeling"].colour[i : i + 2], 16) for i in (1, 3, 5))
    assert f"rgb({r}, {g}, {b})" in image


def test_overlapping_spans_stay_visible(app_page: Page, live_server: LiveServer) -> None:
    # builtin:lexicon gives "thugs" one technique; the renderer is fed two overlapping spans
    # through the same API answer shape to check that both stay visible.
    _analyze(app_page, "They are evil thugs.")
    app_page.evaluate(
        """() => {
            const a = {schema: "propscope.analysis/1", model: {name: "m", version: "1"},
              text_length: 20, claims: [], sentences: [], profile: {}, warnings: [],
              spans: [
                {start: 9, end: 19, technique: "Loaded_Language", score: 0.9, text: "evil thugs"},
                {start: 14, end: 19, technique: "Name_Calling,Labeling", score: 0.8,
                 text: "thugs"}]};
            return fetch("/api/v1/techniques").then(r => r.json()).then(t =>
              window.propscope.render(document.getElementById("results"), a,
                {text: "They are evil thugs.", techniques: t.techniques, idPrefix: "ps"}));
        }"""
    )
    assert _marks(app_page) == ["evil ", "thugs"]
    both = app_page.locator("mark.ps-span", has_text="thugs")
    assert both.get_attribute("data-spans") == "0 1"
    assert both.evaluate("m => getComputedStyle(m).backgroundImage").count("linear-gradient") == 3
    both.hover()
    tip = app_page.locator("#ps-tip")
    expect(tip).to_contain_text("Loaded language")
    expect(tip).to_contain_text("Name calling or labelling")


def test_toggle_a_technique_off_and_on(app_page: Page) -> None:
    _analyze(app_page, LEX_TEXT)
    assert _marks(app_page) == ["outrageous", "evil", "thugs", "Our country"]
    loaded = _legend(app_page, "Loaded_Language")
    expect(loaded.locator(".ps-count")).to_have_text("2")
    loaded.click()
    expect(loaded).to_have_attribute("aria-pressed", "false")
    assert _marks(app_page) == ["thugs", "Our country"]
    assert app_page.locator("#results .ps-text").text_content() == LEX_TEXT
    loaded.click()
    expect(loaded).to_have_attribute("aria-pressed", "true")
    assert _marks(app_page) == ["outrageous", "evil", "thugs", "Our country"]
    # By keyboard: the legend entries are buttons.
    flag = _legend(app_page, "Flag-Waving")
    flag.focus()
    app_page.keyboard.press("Space")
    expect(flag).to_have_attribute("aria-pressed", "false")
    assert _marks(app_page) == ["outrageous", "evil", "thugs"]
    app_page.click("text=Hide all")
    assert _marks(app_page) == []
    app_page.click("text=Show all")
    assert len(_marks(app_page)) == 4


def test_hover_and_focus_show_the_tooltip(app_page: Page) -> None:
    _analyze(app_page, LEX_TEXT)
    tip = app_page.locator("#ps-tip")
    expect(tip).to_be_hidden()
    app_page.locator("mark.ps-span", has_text="thugs").hover()
    expect(tip).to_be_visible()
    t = BY_LABEL["Name_Calling,Labeling"]
    expect(tip.locator(".ps-tip-name")).to_have_text(t.name)
    expect(tip.locator(".ps-tip-def")).to_have_text(t.definition)
    expect(tip.locator(".ps-tip-ex")).to_contain_text(t.example)
    # the lexicon baseline: score 0.5, technique score 1.0 (it has no calibrated ones)
    expect(tip.locator(".ps-tip-score")).to_have_text("span 50% · technique 100%")
    expect(tip.locator(".ps-tip-span")).to_contain_text("thugs")
    app_page.mouse.move(0, 0)
    expect(tip).to_be_hidden()
    # Keyboard: Tab from the last control of the form reaches the first highlighted span.
    app_page.focus("#claims-threshold")
    app_page.keyboard.press("Tab")
    first = app_page.locator("mark.ps-span").first
    expect(first).to_be_focused()
    expect(tip).to_be_visible()
    expect(tip.locator(".ps-tip-name")).to_have_text(BY_LABEL["Loaded_Language"].name)
    assert first.get_attribute("aria-describedby") == "ps-tip"
    app_page.keyboard.press("Escape")
    expect(tip).to_be_hidden()


def test_click_a_claim_scrolls_to_it(page: Page, tiny_server: LiveServer) -> None:
    w = _watch(page, tiny_server.url + "/", "data:")
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(tiny_server.url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    text = "".join(f"Line {i}: the council voted 5 to 2 on Tuesday.\n" for i in range(40))
    _analyze(page, text)
    claims = page.locator("button.ps-claim")
    assert claims.count() == 40  # the tiny fixture lists every sentence as a claim
    expect(claims.first.locator("mark.ps-fact").first).to_be_visible()
    k = 3
    anchor = page.locator(f"#ps-claim-{k}")
    claim = page.locator(f'button.ps-claim[data-claim="{k}"]')  # listed by score, not by k
    claim.scroll_into_view_if_needed()
    expect(anchor).not_to_be_in_viewport()
    claim.click()
    expect(anchor).to_be_focused()
    expect(anchor).to_be_in_viewport()
    assert anchor.text_content() and anchor.text_content() in f"Line {k}: the council voted"
    active = page.locator(".ps-text .ps-claim-active")
    assert "".join(active.all_text_contents()) == f"Line {k}: the council voted 5 to 2 on Tuesday."
    # By keyboard too.
    page.locator('button.ps-claim[data-claim="10"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#ps-claim-10")).to_be_focused()
    w.check()


def test_upload_a_text_file_and_an_html_file(app_page: Page, tmp_path: Path) -> None:
    txt = tmp_path / "letter.txt"
    txt.write_text(LEX_TEXT, encoding="utf-8")
    app_page.set_input_files("#file", str(txt))
    expect(app_page.locator("#results .ps-source")).to_have_text("letter.txt")
    assert _marks(app_page) == ["outrageous", "evil", "thugs", "Our country"]
    page_html = tmp_path / "page.html"
    page_html.write_text(ARTICLE_HTML, encoding="utf-8")
    app_page.set_input_files("#file", str(page_html))
    expect(app_page.locator("#results .ps-source")).to_have_text("page.html")
    shown = app_page.locator("#results .ps-text").text_content() or ""
    assert "so-called experts" in shown
    assert "Home" not in shown and "<" not in shown
    assert "outrageous" in _marks(app_page)


def test_url_errors_are_shown(app_page: Page) -> None:
    app_page.fill("#url", "http://127.0.0.1:9/private")
    app_page.click("#analyze-url")
    expect(app_page.locator("#status")).to_contain_text("E046")


def test_characters_outside_the_bmp_keep_offsets(app_page: Page) -> None:
    _analyze(app_page, "😀👍🏽 𝒜 What an outrageous idea. They are evil thugs.")
    assert _marks(app_page) == ["outrageous", "evil", "thugs"]


def _assert_inert(page: Page, text: str) -> None:
    """Nothing from ``text`` ran or became an element; the text is shown as text."""
    assert page.evaluate("() => window.__pwned === undefined && parent.__pwned === undefined")
    assert page.locator(f".ps-view :is({ACTIVE_CONTENT})").count() == 0
    bidi = sum(text.count(c) for c in BIDI)
    shown = "".join(ch for ch in text if ch not in BIDI)
    texts = page.locator(".ps-view .ps-text")
    assert texts.first.text_content() == shown
    assert page.locator(".ps-view .ps-text .ps-bidi").count() == bidi
    assert page.title().startswith("propscope")


def test_hostile_text_in_the_page(app_page: Page, tmp_path: Path) -> None:
    _analyze(app_page, HOSTILE)
    _assert_inert(app_page, HOSTILE)
    assert len(_marks(app_page)) >= 3
    for mark in app_page.locator("mark.ps-span").all():
        mark.hover()  # the tooltip shows each span's text
    expect(app_page.locator("#ps-tip")).to_be_visible()
    _assert_inert(app_page, HOSTILE)
    hostile_html = tmp_path / "hostile.html"
    hostile_html.write_text(
        "<html><body><p>" + HOSTILE.replace("\n", "</p><p>") + "</p>"
        "<script>window.__pwned = 'upload'</script></body></html>",
        encoding="utf-8",
    )
    app_page.set_input_files("#file", str(hostile_html))
    expect(app_page.locator("#results .ps-source")).to_have_text("hostile.html")
    assert app_page.evaluate("() => window.__pwned === undefined")
    assert app_page.locator(f".ps-view :is({ACTIVE_CONTENT})").count() == 0


def test_hostile_text_in_the_report(page: Page, tiny_pipeline: Pipeline, tmp_path: Path) -> None:
    name = '<img src=x onerror="window.__pwned=1">.txt'
    report = tmp_path / "report.html"
    report.write_text(render_html([(name, tiny_pipeline.analyze(HOSTILE))]), encoding="utf-8")
    w = _watch(page, report.as_uri())
    page.goto(report.as_uri())
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    _assert_inert(page, HOSTILE)
    expect(page.locator(".ps-source")).to_have_text(name)
    assert page.locator("button.ps-claim").count() > 0  # claims hold hostile text too
    for claim in page.locator("button.ps-claim").all():
        claim.click()
    for mark in page.locator("mark.ps-span").all()[:10]:
        mark.hover()
    _assert_inert(page, HOSTILE)
    w.check()
    assert w.requests == [report.as_uri()]


def test_report_has_the_same_view_and_prints(
    page: Page, lexicon_pipeline: Pipeline, tmp_path: Path
) -> None:
    sample = SAMPLE.read_text(encoding="utf-8")
    items = [
        ("a.txt", lexicon_pipeline.analyze(LEX_TEXT)),
        ("b.txt", lexicon_pipeline.analyze(sample)),
    ]
    report = tmp_path / "report.html"
    report.write_text(render_html(items), encoding="utf-8")
    w = _watch(page, report.as_uri())
    page.goto(report.as_uri())
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    articles = page.locator("article.ps-article")
    assert articles.count() == 2
    first, second = articles.nth(0), articles.nth(1)
    expect(first.locator(".ps-source")).to_have_text("a.txt")
    assert first.locator(".ps-text").text_content() == LEX_TEXT
    assert second.locator(".ps-text").text_content() == sample
    assert first.locator("mark.ps-span").all_text_contents() == [
        "outrageous",
        "evil",
        "thugs",
        "Our country",
    ]
    # Each article has its own legend and tooltip.
    first.locator('button.ps-legend-item[data-technique="Loaded_Language"]').click()
    assert first.locator("mark.ps-span").count() == 2
    assert second.locator("mark.ps-span").count() > 0
    first.locator("mark.ps-span").first.hover()
    expect(page.locator("#ps0-tip")).to_be_visible()
    expect(page.locator("#ps1-tip")).to_be_hidden()
    # Print: controls and tooltips hidden, one column, colours kept.
    page.emulate_media(media="print")
    expect(page.locator(".ps-legend-tools").first).to_be_hidden()
    expect(page.locator("#ps0-tip")).to_be_hidden()
    assert first.locator(".ps-layout").evaluate("e => getComputedStyle(e).display") == "block"
    assert (
        second.locator("mark.ps-span").first.evaluate("e => getComputedStyle(e).printColorAdjust")
        == "exact"
    )
    pdf = page.pdf(path=str(tmp_path / "report.pdf"))
    assert pdf.startswith(b"%PDF")
    w.check()


def test_docs_page_works_offline(page: Page, live_server: LiveServer) -> None:
    w = _watch(page, live_server.url + "/", "data:")
    page.goto(live_server.url + "/docs")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    ops = page.locator(".ps-op h2").all_text_contents()
    assert "POST /api/v1/analyze" in ops and "GET /api/v1/health" in ops
    w.check()


def test_screenshot_of_the_sample_article(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    """Takes the README's screenshot. With PROPSCOPE_UPDATE_SCREENSHOT=1 it runs on the default
    model and writes docs/screenshot.png (commit it); otherwise on the lexicon, into tmp."""
    update = os.environ.get(SCREENSHOT_ENV) == "1"
    server = start_server(create_app(Settings())) if update else live_server
    try:
        w = _watch(page, server.url + "/", "data:")
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(server.url + "/")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        _analyze(page, SAMPLE.read_text(encoding="utf-8"))
        page.eval_on_selector("#text", "t => { t.scrollTop = 0; }")
        page.locator("mark.ps-span").nth(1).hover()
        expect(page.locator("#ps-tip")).to_be_visible()
        shot = tmp_path / "screenshot.png"
        page.screenshot(path=str(shot), full_page=True)
        w.check()
    finally:
        if update:
            stop_server(server)
    assert shot.stat().st_size > 10_000
    if update:
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")


def test_sensitivity_control_refilters_without_analysing_again(page: Page) -> None:
    """The tiny model with three operating points: the page asks once for every span down to
    the sensitive point and shows those at or above the chosen point's score."""
    pipeline = load(str(TINY))
    model = pipeline.model
    text = (
        "They are evil thugs who lie to everyone.\nOur great nation will never surrender to them!"
    )
    scores = sorted(s.score for s in pipeline.analyze(text).spans)
    assert len(scores) >= 3
    mid = (scores[0] + scores[-1]) / 2
    model.operating_points = {"precise": scores[-1], "balanced": mid, "sensitive": 0.0}  # type: ignore[attr-defined]
    live = start_server(create_app(Settings(model=str(TINY)), pipeline=pipeline))
    try:
        calls: list[str] = []
        page.on("request", lambda r: calls.append(r.url) if "/analyze" in r.url else None)
        page.goto(live.url + "/")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        _analyze(page, text)
        want = {
            "balanced": sum(s >= mid for s in scores),
            "precise": 1,
            "sensitive": len(scores),
        }
        assert page.locator("mark.ps-span").count() > 0
        for name in ("balanced", "precise", "sensitive", "balanced"):
            page.select_option("#sensitivity", name)
            expect(page.locator("#status")).to_contain_text(f"Done: {want[name]} span")
        assert len(calls) == 1  # one analysis, filtered four times
    finally:
        stop_server(live)
