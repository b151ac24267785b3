"""Main text of an HTML page (trafilatura), so that offsets refer to the text that is analysed.

The analysis of an HTML page is the analysis of the text returned here: every offset is an
index into that text, which the API returns alongside the analysis.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from propscope.errors import Warn, warning


@dataclass(frozen=True)
class Extracted:
    text: str
    warnings: tuple[dict[str, str], ...] = ()


def extract_main_text(html: str | bytes) -> Extracted:
    """The headline and paragraphs of a page; navigation, footers and comments dropped.

    trafilatura looks for the main content; where it finds none (a fragment, a page with
    little text) the visible text of the whole page is used, scripts and styles removed.
    A page with no text at all gives empty text and warning W004.
    """
    import trafilatura

    if not html.strip():
        return Extracted("", (warning(Warn.NO_MAIN_TEXT, "the HTML holds no text"),))
    # trafilatura logs its own guesses (empty trees, encodings) at WARNING; they are not ours.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    text: str | None
    try:
        text = trafilatura.extract(
            html, include_comments=False, include_images=False, include_links=False
        )
    except Exception:  # a parser failure on odd markup: fall back to the visible text
        text = None
    if not text or not text.strip():
        text = _visible_text(html)
        if not text.strip():
            return Extracted("", (warning(Warn.NO_MAIN_TEXT, "the HTML holds no text"),))
        return Extracted(
            text,
            (
                warning(
                    Warn.NO_MAIN_TEXT,
                    "no main article text found; analysing all visible text of the page",
                ),
            ),
        )
    return Extracted(text)


def _visible_text(html: str | bytes) -> str:
    import lxml.html
    from lxml.etree import ParserError
    from lxml.html.clean import Cleaner

    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return ""
    cleaner = Cleaner(scripts=True, javascript=True, style=True, comments=True)
    cleaned = cleaner.clean_html(doc)
    text = str(cleaned.text_content())
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
