"""The standalone HTML report: one self-contained file with the page's view.

The CSS and the renderer are the page's own static files, inlined; the analyses are embedded as
JSON in a ``<script type="application/json">`` block with every ``<``, ``>`` and ``&`` escaped,
so no text can close the block or open a comment. A Content-Security-Policy allows only the
inlined script and style (by hash) and no network access at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import replace
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


def report_data(items: list[tuple[str, Analysis]]) -> dict[str, Any]:
    """What the report embeds: the techniques and, per input, its analysis JSON with its text."""
    return {
        "techniques": techniques_json(),
        "articles": [
            {"source": source, "analysis": replace(a, source=source).to_dict(with_text=True)}
            for source, a in items
        ],
    }


def render_html(items: list[tuple[str, Analysis]]) -> str:
    """One HTML document holding every analysis, each rendered as on the page."""
    css = _inline(_static("propscope.css"))
    scripts = [_inline(_static("render.js")), _inline(_static("report.js"))]
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(_sha256(s) for s in scripts)}; "
        f"style-src {_sha256(css)}; img-src data:; base-uri 'none'; form-action 'none'"
    )
    names = ", ".join(source for source, _ in items)
    title = "propscope report" + (f": {names}" if names else "")
    script_tags = "\n".join(f"<script>{s}</script>" for s in scripts)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="propscope {html.escape(__version__)}">
<title>{html.escape(title)}</title>
<link rel="icon" href="data:,">
<style>{css}</style>
</head>
<body class="ps-report">
<header class="ps-top">
<h1>propscope report</h1>
<p>Persuasion techniques and check-worthy claims, span by span
(propscope {html.escape(__version__)}).</p>
</header>
<main id="articles" class="ps-report-main"></main>
<noscript><p>This report needs JavaScript to draw the highlights; the analyses are in the
propscope-data block of this file.</p></noscript>
<script type="application/json" id="propscope-data">{embed_json(report_data(items))}</script>
{script_tags}
</body>
</html>
"""
