"""The standalone report of several files in Debian's chromium: its index links jump to each
article, under the report's strict CSP, with no network request and no console error."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from web_support import LEX_TEXT

from propscope.pipeline import Pipeline
from propscope.report.html import render_html

FILLER = "Nothing to see here, only plain words about the weather and the harvest.\n" * 80


def test_index_links_jump_to_each_article(
    page: Page, lexicon_pipeline: Pipeline, tmp_path: Path
) -> None:
    items = [
        (str(tmp_path / "left" / "story.txt"), lexicon_pipeline.analyze(LEX_TEXT + FILLER)),
        (str(tmp_path / "right" / "story.txt"), lexicon_pipeline.analyze(FILLER + LEX_TEXT)),
        (str(tmp_path / "notes.txt"), lexicon_pipeline.analyze(FILLER)),
    ]
    report = tmp_path / "report.html"
    report.write_text(render_html(items), encoding="utf-8")
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 1000, "height": 600})
    page.goto(report.as_uri())
    expect(page.locator("body")).to_have_attribute("data-ready", "true")

    links = page.locator("#ps-index tbody a")
    expect(links).to_have_text(["left/story.txt", "right/story.txt", "notes.txt"])
    articles = page.locator("article.ps-article")
    assert articles.count() == 3
    expect(articles.nth(1).locator(".ps-source")).to_have_text("right/story.txt")

    for i in (2, 1, 0):
        links.nth(i).click()
        target = articles.nth(i)
        expect(page).to_have_url(f"{report.as_uri()}#ps-article-{i + 1}")
        expect(target).to_be_in_viewport()
        top = target.evaluate("el => el.getBoundingClientRect().top")
        assert abs(top) < 40, (i, top)  # scrolled to the article's top
        assert target.evaluate("el => el.matches(':target')")
        page.evaluate("() => window.scrollTo(0, 0)")

    # opening the report at an article's address lands on that article once it is drawn
    page.goto(f"{report.as_uri()}#ps-article-3")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    top = articles.nth(2).evaluate("el => el.getBoundingClientRect().top")
    assert abs(top) < 40, top

    assert errors == []
    assert set(requests) <= {report.as_uri(), f"{report.as_uri()}#ps-article-3"}, requests
    assert str(tmp_path / "left") not in page.content()
