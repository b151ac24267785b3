"""The standalone HTML report: one self-contained file with the page's view.

The CSS and the renderer are the page's own static files, inlined (with report.css, the
report's own rules); the analyses are embedded as JSON in a ``<script type="application/json">``
block with every ``<``, ``>`` and ``&`` escaped, so no text can close the block or open a
comment. A Content-Security-Policy allows only the inlined scripts and styles (by hash) and no
network access at all.

A report of several files opens with an index: per file its name, words, spans, techniques
per 1,000 words and check-worthy claims, linking to the file's article. Files are named by the
shortest trailing part of their path that tells them apart (``a/x.txt`` and ``b/x.txt``); the
report never holds a local absolute path, neither shown nor in the embedded JSON.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from propscope.techniques import techniques_json
from propscope.types import Analysis
from propscope.version import __version__
from propscope.web.static import STATIC_DIR  # the page's own files (no FastAPI import)


def _static(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def embed_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline(code: str) -> str:
    if "</" in code.lower() or "<!--" in code:
        raise ValueError("an inlined script or style must not contain '</' or '<!--'")
    return code


def _sha256(code: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"
    )


_WEB_URL = re.compile(r"https?://", re.IGNORECASE)


def _is_path(source: str) -> bool:
    """Everything but a web URL and a placeholder such as ``<stdin>`` names a local file."""
    return not (_WEB_URL.match(source) or (source.startswith("<") and source.endswith(">")))


def _common_tail(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def display_names(sources: list[str]) -> list[str]:
    """What the report calls each input: a URL or ``<stdin>`` as given; a file by the shortest
    trailing part of its path that no other input shares (``x.txt``, or ``a/x.txt`` and
    ``b/x.txt``), never its root or drive. The same file given twice is numbered (``x.txt
    (2)``)."""
    parts: list[tuple[str, ...]] = []
    for source in sources:
        if _is_path(source):
            path = PurePath(source)
            tail = path.parts[1:] if path.anchor else path.parts
            parts.append(tuple(tail) or (source,))
        else:
            parts.append((source,))
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(parts):
        by_name[p[-1]].append(i)
    names = []
    for p in parts:
        # one part more than the longest trailing run shared with a different path
        shared = max(
            (_common_tail(p, parts[j]) for j in by_name[p[-1]] if parts[j] != p), default=0
        )
        names.append("/".join(p[-min(len(p), shared + 1) :]))
    total = Counter(names)
    seen: Counter[str] = Counter()
    out = []
    for n in names:
        seen[n] += 1
        out.append(n if total[n] == 1 or seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def report_data(items: list[tuple[str, Analysis]]) -> dict[str, Any]:
    """What the report embeds: the techniques and, per input, its analysis JSON with its text;
    ``source`` is the input's display name (:func:`display_names`), never a local path."""
    names = display_names([source for source, _ in items])
    return {
        "techniques": techniques_json(),
        "articles": [
            {"source": name, "analysis": replace(a, source=name).to_dict(with_text=True)}
            for name, (_, a) in zip(names, items, strict=True)
        ],
    }


def article_id(i: int) -> str:
    """The id of the i-th (0-based) article element; report.js sets the same."""
    return f"ps-article-{i + 1}"


def _number(value: Any, digits: int = 0) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "–"
    return f"{x:,.{digits}f}"


def index_html(data: dict[str, Any]) -> str:
    """The index of a report of several articles (empty for one): a table linking to each."""
    articles = data["articles"]
    if len(articles) < 2:
        return ""
    rows = []
    for i, item in enumerate(articles):
        analysis = item["analysis"]
        profile = analysis.get("profile") or {}
        cells = (
            f'<th scope="row"><a href="#{article_id(i)}">{html.escape(item["source"])}</a></th>',
            f"<td>{_number(profile.get('words'))}</td>",
            f"<td>{_number(len(analysis.get('spans') or []))}</td>",
            f"<td>{_number(profile.get('techniques_per_1000_words'), 2)}</td>",
            f"<td>{_number(profile.get('check_worthy_claims'))}</td>",
        )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<nav id="ps-index" class="ps-index" aria-labelledby="ps-index-title">\n'
        f'<h2 id="ps-index-title">{len(articles)} files</h2>\n'
        '<table class="ps-index-table">\n<thead><tr><th scope="col">File</th>'
        '<th scope="col">Words</th><th scope="col">Spans</th>'
        '<th scope="col">Techniques per 1,000 words</th>'
        '<th scope="col">Check-worthy claims</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</nav>"
    )


def render_html(items: list[tuple[str, Analysis]]) -> str:
    """One HTML document holding every analysis, each rendered as on the page."""
    styles = [_inline(_static("propscope.css")), _inline(_static("report.css"))]
    scripts = [_inline(_static("render.js")), _inline(_static("report.js"))]
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(_sha256(s) for s in scripts)}; "
        f"style-src {' '.join(_sha256(s) for s in styles)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    data = report_data(items)
    names = ", ".join(item["source"] for item in data["articles"])
    title = "propscope report" + (f": {names}" if names else "")
    style_tags = "\n".join(f"<style>{s}</style>" for s in styles)
    script_tags = "\n".join(f"<script>{s}</script>" for s in scripts)
    index = index_html(data)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="propscope {html.escape(__version__)}">
<title>{html.escape(title)}</title>
<link rel="icon" href="data:,">
{style_tags}
</head>
<body class="ps-report">
<header class="ps-top">
<h1>propscope report</h1>
<p>Persuasion techniques and check-worthy claims, span by span
(propscope {html.escape(__version__)}).</p>
</header>
<main id="articles" class="ps-report-main">{index}</main>
<noscript><p>This report needs JavaScript to draw the highlights; the analyses are in the
propscope-data block of this file.</p></noscript>
<script type="application/json" id="propscope-data">{embed_json(data)}</script>
{script_tags}
</body>
</html>
"""
