"""The page and the standalone report in a real browser (Playwright driving Debian's chromium).

Every test watches the page: a script error, a console error (CSP violations included), a
dialog or a request to anywhere but the server under test fails it.
"""

from __future__ import annotations

import importlib.util
import json
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
            const a = {schema: "propscope.analysis/2", model: {name: "m", version: "1"},
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
    # Keyboard: Tab from the last control of the form reaches the summary's fold, then the
    # first highlighted span.
    app_page.focus("#claims-threshold")
    app_page.keyboard.press("Tab")
    expect(app_page.locator("#results .ps-profile > summary")).to_be_focused()
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
    # the explanation panel quotes each span, and the word weights quote the text around it
    words = [{"start": 0, "end": 19, "weight": 0.5}, {"start": 20, "end": 70, "weight": -0.2}]
    app_page.route(
        "**/api/v1/explain",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps({"window": {"start": 0, "end": 140}, "words": words}),
        ),
    )
    for mark in app_page.locator("mark.ps-span").all():
        mark.dispatch_event("click")
        expect(app_page.locator("#ps-explain .ps-weight")).to_have_count(2)
    window = app_page.locator("#ps-explain .ps-explain-window").text_content() or ""
    assert "<script>" in window and "<img src=x" in window
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
    for mark in page.locator("mark.ps-span").all()[:10]:
        mark.dispatch_event("click")  # the explanation panel quotes the span's text
        expect(page.locator(".ps-explain-span")).to_contain_text(mark.text_content() or "")
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


def test_the_screenshot_script(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    """scripts/screenshots.py (which makes the README's screenshots from the shipped model),
    run here on the lexicon: both PNGs, each under 400 KB."""
    spec = importlib.util.spec_from_file_location(
        "screenshots", ROOT / "scripts" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    browser = page.context.browser
    assert browser is not None
    w = _watch(page, live_server.url + "/", "data:")
    shots = script.shoot_with(
        browser, live_server.url, SAMPLE.read_text(encoding="utf-8"), tmp_path
    )
    assert [p.name for p in shots] == ["screenshot.png", "screenshot-phone.png"]
    for shot in shots:
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG") and 10_000 < len(data) < script.MAX_BYTES
    w.check()


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


# --- the article summary, sentence shading, quoted speech, explanations, teaching (issue 15) ---

QUOTE_TEXT = (
    'They are evil thugs. "Our country is great and these evil people are thugs," said Mayor '
    "Jones. What an outrageous idea."
)
PARTS = {"all": None, "author": "author", "quoted": "quoted"}
SHOWN_KEYS = (
    "share_of_sentences_with_technique",
    "techniques_per_1000_words",
    "top_techniques",
    "check_worthy_claims",
    "mean_sentence_score",
    "words",
    "sentences",
)
EXPLAIN_ANSWER = {
    "start": 39,
    "end": 44,
    "text": "thugs",
    "technique": {
        "label": "Name_Calling,Labeling",
        "name": BY_LABEL["Name_Calling,Labeling"].name,
        "definition": BY_LABEL["Name_Calling,Labeling"].definition,
        "example": BY_LABEL["Name_Calling,Labeling"].example,
    },
    "score": 0.5,
    "technique_score": 1.0,
    "method": "occlusion",
    "window": {"start": 0, "end": 45},
    "words": [
        {"start": s, "end": e, "text": LEX_TEXT[s:e], "weight": w, "technique_weight": w / 2}
        for s, e, w in [
            (0, 4, 0.02),
            (5, 7, 0.0),
            (8, 18, 0.2),
            (19, 23, -0.1),
            (25, 29, 0.01),
            (30, 33, -0.05),
            (34, 38, 0.3),
            (39, 44, 0.62),
        ]
    ],
}


def _summary(page: Page, scope: str = "#results") -> dict[str, dict[str, object]]:
    """The summary table's figures: part -> key -> the value its cell holds (data-value)."""
    return page.evaluate(
        """scope => {
            const out = {};
            for (const td of document.querySelectorAll(`${scope} .ps-profile td[data-part]`)) {
                const key = td.closest("tr").dataset.key;
                const v = td.dataset.value;
                (out[td.dataset.part] ||= {})[key] = v === undefined ? null : JSON.parse(v);
            }
            return out;
        }""",
        scope,
    )


def _expected(profile: dict[str, object], keys: tuple[str, ...] = SHOWN_KEYS) -> dict[str, object]:
    out: dict[str, dict[str, object]] = {}
    for part, voice in PARTS.items():
        figs = profile if voice is None else profile[voice]
        assert isinstance(figs, dict)
        out[part] = {k: figs[k] for k in keys}
    return out


def _page(page: Page, server: LiveServer, width: int = 1280, height: int = 900) -> Watch:
    w = _watch(page, server.url + "/", "data:")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(server.url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return w


def test_the_summary_shows_the_profile_of_the_json(app_page: Page, live_server: LiveServer) -> None:
    answer = app_page.request.post(
        live_server.url + "/api/v1/analyze", data={"text": QUOTE_TEXT, "sensitivity": "sensitive"}
    ).json()
    profile = answer["profile"]
    _analyze(app_page, QUOTE_TEXT)
    assert _summary(app_page) == _expected(profile)
    box = app_page.locator("#results .ps-profile")
    expect(box).to_have_attribute("open", "")
    assert box.locator("thead th").all_text_contents() == [
        "Whole text",
        "Author's voice",
        "Quoted speech",
    ]
    # What the reader sees: the same figures, formatted.
    row = box.locator('tr[data-key="share_of_sentences_with_technique"] td')
    shares = [profile["share_of_sentences_with_technique"]] + [
        profile[v]["share_of_sentences_with_technique"] for v in ("author", "quoted")
    ]
    assert row.all_text_contents() == [f"{int(s * 100 + 0.5)}%" for s in shares]
    per_1000 = box.locator('tr[data-key="techniques_per_1000_words"] td[data-part="author"]')
    expect(per_1000).to_have_text(f"{profile['author']['techniques_per_1000_words']:.1f}")
    top = box.locator('tr[data-key="top_techniques"] td[data-part="quoted"]')
    expect(top).to_have_text(
        ", ".join(BY_LABEL[x].name for x in profile["quoted"]["top_techniques"])
    )
    # the page at / ran the analysis at the sensitive point: nothing re-filtered
    assert app_page.locator("#results mark.ps-span").count() >= len(answer["spans"]) - 1


def test_the_summary_follows_the_sensitivity_control(page: Page) -> None:
    """Re-filtered on the page, the summary's figures are those the server gives for the same
    operating point, each voice's share of sentences too (the sentences' ``quoted`` flags)."""
    pipeline = load(str(TINY))
    text = QUOTE_TEXT + " Enough is enough, they said, and everyone agrees with them."
    scores = sorted(s.score for s in pipeline.analyze(text).spans)
    mid = (scores[0] + scores[-1]) / 2
    pipeline.model.operating_points = {"precise": scores[-1], "balanced": mid, "sensitive": 0.0}  # type: ignore[attr-defined]
    live = start_server(create_app(Settings(model=str(TINY)), pipeline=pipeline))
    try:
        w = _page(page, live)
        _analyze(page, text)
        for point in ("balanced", "precise", "sensitive"):
            page.select_option("#sensitivity", point)
            expect(page.locator("#status")).to_contain_text("Done")
            want = page.request.post(
                live.url + "/api/v1/analyze", data={"text": text, "sensitivity": point}
            ).json()["profile"]
            got = _summary(page)
            expected = _expected(want)
            assert got["all"] == expected["all"], point
            # sentences carry their voice (``quoted``): every figure is exact, none estimated
            assert got == expected, point
            expect(page.locator("#results .ps-profile td[data-estimated]")).to_have_count(0)
        w.check()
    finally:
        stop_server(live)


def test_the_report_shows_the_same_summary(
    page: Page, tiny_pipeline: Pipeline, tmp_path: Path
) -> None:
    analysis = tiny_pipeline.analyze(QUOTE_TEXT)
    report = tmp_path / "report.html"
    report.write_text(render_html([("quote.txt", analysis)]), encoding="utf-8")
    w = _watch(page, report.as_uri())
    page.goto(report.as_uri())
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    assert _summary(page, "body") == _expected(analysis.to_dict()["profile"])
    w.check()


def test_sentences_are_tinted_by_their_score(page: Page, tiny_server: LiveServer) -> None:
    w = _page(page, tiny_server)
    text = SAMPLE.read_text(encoding="utf-8")
    sentences = page.request.post(tiny_server.url + "/api/v1/analyze", data={"text": text}).json()[
        "sentences"
    ]
    _analyze(page, text)
    boxes = page.locator("#results .ps-sentence")
    assert boxes.count() == len(sentences) > 3
    shown = boxes.evaluate_all(
        """bs => bs.map(b => ({text: b.textContent, score: Number(b.dataset.score),
                title: b.title, colour: getComputedStyle(b).backgroundColor}))"""
    )
    for got, s in zip(shown, sentences, strict=True):
        assert got["text"] == text[s["start"] : s["end"]]
        assert got["score"] == s["score"]
        assert got["title"].startswith(f"Sentence score {s['score']:.2f}: the probability")
        alpha = float(got["colour"].rstrip(")").split(",")[-1])
        assert alpha == pytest.approx(0.16 * s["score"], abs=0.01)
    # the text as a whole is unchanged by the sentence boxes
    assert page.locator("#results .ps-text").text_content() == text
    w.check()


def test_quoted_spans_are_dashed_and_the_author_toggle_hides_exactly_them(app_page: Page) -> None:
    _analyze(app_page, QUOTE_TEXT)
    everything = ["evil", "thugs", "Our country", "evil", "thugs", "outrageous"]
    assert _marks(app_page) == everything
    quoted = app_page.locator("#results mark.ps-quoted")
    assert quoted.all_text_contents() == ["Our country", "evil", "thugs"]
    for mark in app_page.locator("#results mark.ps-span").all():
        image = mark.evaluate("m => getComputedStyle(m).backgroundImage")
        is_quoted = "ps-quoted" in (mark.get_attribute("class") or "")
        assert ("repeating-linear-gradient" in image) == is_quoted
    quoted.first.hover()
    expect(app_page.locator("#ps-tip .ps-tip-quoted")).to_have_text(" (quoting Mayor Jones)")
    note = app_page.locator("#results .ps-quoted-note")
    expect(note).to_have_text("3 spans are in quoted speech (dashed underline).")
    toggle = app_page.locator("#results button.ps-author-only")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert _marks(app_page) == ["evil", "thugs", "outrageous"]
    assert quoted.count() == 0
    expect(note).to_have_text("3 quoted spans hidden.")
    assert app_page.locator("#results .ps-text").text_content() == QUOTE_TEXT
    # the choice holds when the view is drawn again (another sensitivity)
    app_page.select_option("#sensitivity", "precise")
    expect(app_page.locator("#results button.ps-author-only")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert _marks(app_page) == ["evil", "thugs", "outrageous"]
    # with a technique hidden as well, the note counts the quoted spans it hides
    _legend(app_page, "Flag-Waving").click()
    expect(note).to_have_text("2 quoted spans hidden.")
    _legend(app_page, "Flag-Waving").click()
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert _marks(app_page) == everything


def test_the_legend_explains_both_scores_and_the_operating_point(
    app_page: Page,
) -> None:
    _analyze(app_page, LEX_TEXT)
    conf = app_page.locator("#results .ps-confidence")
    expect(conf).to_contain_text("how sure the model is that this is a persuasion span")
    expect(conf).to_contain_text("how sure it is that it is this technique, given a span")
    # span strength: the underline is thicker the surer the span (lexicon: 0.5 -> 2 + 2 px)
    mark = app_page.locator("mark.ps-span", has_text="thugs")
    assert mark.evaluate("m => getComputedStyle(m).backgroundSize").startswith("100% 4px")


def test_the_legend_names_the_sensitivity_in_use(page: Page) -> None:
    pipeline = load(str(TINY))
    pipeline.model.operating_points = {"precise": 0.8, "balanced": 0.6, "sensitive": 0.3}  # type: ignore[attr-defined]
    live = start_server(create_app(Settings(model=str(TINY)), pipeline=pipeline))
    try:
        w = _page(page, live)
        _analyze(page, LEX_TEXT)
        shown = page.locator("#results .ps-shown-from")
        expect(shown).to_have_text(
            "Shown: spans with a span score of at least 0.60 (balanced); the model's operating "
            "points: precise 0.80, balanced 0.60, sensitive 0.30."
        )
        page.select_option("#sensitivity", "precise")
        expect(shown).to_contain_text("at least 0.80 (precise)")
        scores = [
            float(x)
            for x in page.locator("#results mark.ps-span").evaluate_all(
                "ms => ms.map(m => m.dataset.score)"
            )
        ]
        assert all(s >= 0.8 for s in scores)
        w.check()
    finally:
        stop_server(live)


def test_the_explanation_panel_with_a_mocked_explain(app_page: Page) -> None:
    bodies: list[object] = []

    def handle(route: object) -> None:
        bodies.append(route.request.post_data_json)  # type: ignore[attr-defined]
        route.fulfill(  # type: ignore[attr-defined]
            status=200, content_type="application/json", body=json.dumps(EXPLAIN_ANSWER)
        )

    app_page.route("**/api/v1/explain", handle)
    _analyze(app_page, LEX_TEXT)
    panel = app_page.locator("#ps-explain")
    expect(panel).to_be_hidden()
    mark = app_page.locator("mark.ps-span", has_text="thugs")
    mark.click()
    expect(panel).to_be_visible()
    t = BY_LABEL["Name_Calling,Labeling"]
    expect(panel.locator(".ps-explain-name")).to_have_text(t.name)
    expect(panel.locator(".ps-explain-name")).to_be_focused()
    expect(panel.locator(".ps-explain-def")).to_have_text("Definition: " + t.definition)
    expect(panel.locator(".ps-explain-ex")).to_have_text(f"Example: {t.example}")
    expect(panel.locator(".ps-explain-scores")).to_have_text(
        "Span score 50% — a persuasion span here is more likely than not. Technique score "
        f"100% — given a span, that it is {t.name.lower()} rather than another technique is "
        "very likely."
    )
    words = panel.locator(".ps-weight")
    expect(words).to_have_count(5)
    assert words.locator(".ps-weight-word").all_text_contents() == [
        "thugs",
        "evil",
        "outrageous",
        "idea",
        "are",
    ]
    assert words.locator(".ps-weight-value").all_text_contents() == [
        "+0.620",
        "+0.300",
        "+0.200",
        "−0.100",
        "−0.050",
    ]
    widths = words.locator(".ps-weight-bar").evaluate_all("bs => bs.map(b => b.style.width)")
    assert widths == ["100%", "48%", "32%", "16%", "8%"]
    window = panel.locator(".ps-explain-window")
    assert window.text_content() == LEX_TEXT[0:45]
    assert window.locator("mark.ps-weighed").all_text_contents() == [
        "outrageous",
        "idea",
        "are",
        "evil",
        "thugs",
    ]
    assert window.locator("mark.ps-down").all_text_contents() == ["idea", "are"]
    assert bodies == [
        {"text": LEX_TEXT, "start": 39, "end": 44, "technique": "Name_Calling,Labeling"}
    ]
    # Esc closes it and gives the focus back to the span; Enter on a span opens it.
    app_page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(mark).to_be_focused()
    app_page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(panel.locator(".ps-weight")).to_have_count(5)
    assert len(bodies) == 2
    panel.locator(".ps-explain-close").click()
    expect(panel).to_be_hidden()


def test_the_explanation_panel_says_when_the_server_cannot_explain(app_page: Page) -> None:
    app_page.route(
        "**/api/v1/explain",
        lambda route: route.fulfill(
            status=404,
            content_type="application/json",
            body=json.dumps({"error": {"code": "E041", "message": "no such endpoint"}}),
        ),
    )
    _analyze(app_page, LEX_TEXT)
    app_page.locator("mark.ps-span").first.click()
    panel = app_page.locator("#ps-explain")
    expect(panel.locator(".ps-explain-error")).to_have_text(
        "Word weights are not available: E041: no such endpoint"
    )
    # the technique is still explained
    expect(panel.locator(".ps-explain-def")).to_contain_text(BY_LABEL["Loaded_Language"].definition)


def test_the_explanation_panel_live_on_the_tiny_model(page: Page, tiny_server: LiveServer) -> None:
    w = _page(page, tiny_server)
    explained: list[str] = []
    page.on("response", lambda r: explained.append(str(r.status)) if "/explain" in r.url else None)
    _analyze(page, QUOTE_TEXT)
    mark = page.locator("#results mark.ps-span").nth(1)
    span_text = mark.text_content() or ""
    mark.click()
    panel = page.locator("#ps-explain")
    words = panel.locator(".ps-weight")
    expect(words.first).to_be_visible(timeout=30_000)
    assert 1 <= words.count() <= 5
    passage = panel.locator(".ps-explain-window").text_content() or ""
    assert span_text in passage and passage in QUOTE_TEXT
    for word in words.locator(".ps-weight-word").all_text_contents():
        assert word in passage
    weighed = panel.locator(".ps-explain-window mark.ps-weighed").all_text_contents()
    assert sorted(weighed) == sorted(words.locator(".ps-weight-word").all_text_contents())
    assert explained == ["200"]
    w.check()


def test_the_report_explains_without_a_server(
    page: Page, lexicon_pipeline: Pipeline, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    report.write_text(
        render_html([("quote.txt", lexicon_pipeline.analyze(QUOTE_TEXT))]), encoding="utf-8"
    )
    w = _watch(page, report.as_uri())
    page.goto(report.as_uri())
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator("mark.ps-quoted").first.click()
    panel = page.locator(".ps-explain")
    expect(panel).to_be_visible()
    t = BY_LABEL["Flag-Waving"]
    expect(panel.locator(".ps-explain-name")).to_have_text(t.name)
    expect(panel.locator(".ps-explain-def")).to_contain_text(t.definition)
    expect(panel.locator(".ps-explain-ex")).to_contain_text(t.example)
    expect(panel.locator(".ps-explain-quoted")).to_have_text(" — quoted speech: Mayor Jones")
    expect(panel.locator(".ps-explain-offline")).to_contain_text("propscope serve")
    w.check()
    assert w.requests == [report.as_uri()]


def test_keyboard_moves_from_span_to_span(app_page: Page) -> None:
    _analyze(app_page, LEX_TEXT)
    marks = app_page.locator("#results mark.ps-span")
    marks.first.focus()
    tip = app_page.locator("#ps-tip")
    for key, k in [("j", 1), ("ArrowRight", 2), ("j", 3), ("j", 3), ("k", 2), ("ArrowLeft", 1)]:
        app_page.keyboard.press(key)
        expect(marks.nth(k)).to_be_focused()
        expect(tip.locator(".ps-tip-span")).to_contain_text(marks.nth(k).text_content() or "")
    app_page.keyboard.press("Tab")
    expect(marks.nth(2)).to_be_focused()
    app_page.keyboard.press("Enter")
    expect(app_page.locator("#ps-explain")).to_be_visible()
    app_page.keyboard.press("Escape")
    expect(marks.nth(2)).to_be_focused()
    # the page says how
    expect(app_page.locator("#intro")).to_contain_text("j / k")
    expect(app_page.locator("#results .ps-keys")).to_contain_text("j / k")


def test_the_glossary_lists_the_14_techniques(app_page: Page) -> None:
    glossary = app_page.locator("#glossary")
    expect(glossary.locator("dt").first).to_be_hidden()
    app_page.click("#intro a[href='#glossary']")
    expect(glossary).to_have_attribute("open", "")
    items = glossary.locator(".ps-gloss-item")
    expect(items).to_have_count(14)
    labels = items.evaluate_all("xs => xs.map(x => x.dataset.technique)")
    assert sorted(labels) == sorted(BY_LABEL)
    for item in items.all():
        t = BY_LABEL[item.get_attribute("data-technique") or ""]
        expect(item.locator("dt")).to_have_text(t.name)
        expect(item.locator("dd").first).to_have_text(t.definition)
        expect(item.locator(".ps-gloss-ex")).to_have_text(f"Example: “{t.example}”")


def test_the_phone_layout_puts_summary_and_legend_first(
    page: Page, live_server: LiveServer
) -> None:
    w = _page(page, live_server, width=400, height=800)
    _analyze(page, QUOTE_TEXT)
    profile = page.locator("#results .ps-profile")
    legend = page.locator("#results .ps-legend-box")
    text = page.locator("#results .ps-text")
    claims = page.locator("#results .ps-claims-box")
    tops = [x.bounding_box()["y"] for x in (profile, legend, text, claims)]  # type: ignore[index]
    assert tops == sorted(tops), tops
    # both start folded, each saying its gist, and open on a tap
    assert profile.get_attribute("open") is None and legend.get_attribute("open") is None
    expect(profile.locator(".ps-fold-gist")).to_have_text("100% of sentences use a technique")
    expect(legend.locator("button.ps-legend-item").first).to_be_hidden()
    legend.locator("summary").click()
    expect(legend.locator("button.ps-legend-item").first).to_be_visible()
    profile.locator("summary").click()
    expect(profile.locator("table")).to_be_visible()
    # nothing wider than the screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 400
    page.locator("#results mark.ps-span").first.click()
    box = page.locator("#ps-explain").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 400
    w.check()


def test_try_an_example(app_page: Page) -> None:
    app_page.click("#try-example")
    expect(app_page.locator("#status")).to_contain_text("Done")
    sample = app_page.input_value("#text")
    assert len(sample) > 200 and '"' in sample
    assert app_page.locator("#results .ps-text").text_content() == sample
    expect(app_page.locator("#results .ps-source")).to_have_text("Example: the Riverside library")
    marks = _marks(app_page)
    assert "so-called" in marks and "Everyone knows" in marks
    assert app_page.locator("#results mark.ps-quoted").count() >= 2
    assert _summary(app_page)["quoted"]["words"] > 0
