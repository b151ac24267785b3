"""``propscope analyze``: analyse files or standard input and print them in a chosen format."""

from __future__ import annotations

import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from propscope.cli.common import MODEL_HELP, get_model, text_console
from propscope.corpus.ptc import article_id
from propscope.corpus.text import check_encoding, decode_text, read_bytes, read_stdin, read_text
from propscope.errors import PropscopeError
from propscope.pipeline import Pipeline, check_claims_threshold
from propscope.report.html import render_html
from propscope.report.render import print_text, render_jsonl, render_ptc, write_json
from propscope.types import Analysis


class Sensitivity(str, Enum):
    precise = "precise"
    balanced = "balanced"
    sensitive = "sensitive"


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    ptc = "ptc"
    html = "html"


def analyze_cli(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="Text or HTML files (.html, .htm: their main text), http(s):// URLs; "
            "'-' or nothing reads stdin."
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="Output format. html: one self-contained report (all inputs in one file).",
        ),
    ] = Format.text,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
    allow_private_urls: Annotated[
        bool,
        typer.Option("--allow-private-urls", help="Let URLs reach loopback and private addresses."),
    ] = False,
    sensitivity: Annotated[
        Sensitivity | None,
        typer.Option(
            "--sensitivity",
            help="Which spans to show: precise (fewer, surer), balanced (default: best F1 on "
            "train folds) or sensitive (more, less sure).",
        ),
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            min=0.0,
            max=1.0,
            help="Show spans whose score (probability of a persuasion span) is at least this.",
        ),
    ] = None,
    claims_threshold: Annotated[
        float | None,
        typer.Option(
            "--claims-threshold",
            help="List as claims the sentences whose score (probability of a check-worthy "
            "fact) is at least this, in [0, 1] (default: the model's threshold).",
        ),
    ] = None,
    no_color: Annotated[
        bool,
        typer.Option(
            "--no-color",
            help="Text view without colour: spans marked inline as [[text]]{Label S/T} "
            "(also when the output is not a terminal, or NO_COLOR is set).",
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Text encoding of the input files and stdin (default utf-8): latin-1, cp1252, "
            "utf-16 ... (HTML files too, instead of the page's own charset).",
        ),
    ] = None,
) -> None:
    """Analyse texts and show the persuasion techniques they use, span by span."""
    failures = analyze_files(
        files or ["-"],
        fmt,
        model,
        allow_private_urls=allow_private_urls,
        sensitivity=sensitivity.value if sensitivity else None,
        min_score=min_score,
        claims_threshold=claims_threshold,
        no_color=no_color,
        encoding=encoding,
    )
    if failures:
        raise typer.Exit(1)


HTML_SUFFIXES = (".html", ".htm", ".xhtml")
URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def _analyze(
    pipeline: Pipeline, source: str, allow_private_urls: bool, encoding: str | None = None
) -> Analysis:
    """One input: stdin, a URL (fetched, main text), an HTML file (main text) or a text file;
    files and stdin in ``encoding`` (default UTF-8; an HTML file its own charset)."""
    if source == "-":
        return pipeline.analyze(read_stdin(encoding))
    if URL_SCHEME.match(source):  # any scheme: other than http(s), E046 (not a file name)
        from propscope.corpus.url import FetchLimits  # httpx only when a URL is given

        return pipeline.analyze_url(source, limits=FetchLimits(allow_private=allow_private_urls))
    path = Path(source)
    if path.suffix.lower() in HTML_SUFFIXES:
        data = read_bytes(path)
        return pipeline.analyze_html(
            data if encoding is None else decode_text(data, source, encoding)
        )
    return pipeline.analyze(read_text(path, encoding))


def analyze_files(
    sources: list[str],
    fmt: Format,
    model_spec: str | None,
    *,
    allow_private_urls: bool = False,
    sensitivity: str | None = None,
    min_score: float | None = None,
    claims_threshold: float | None = None,
    no_color: bool = False,
    encoding: str | None = None,
) -> list[PropscopeError]:
    """Analyse every readable source; report each failure at the end; return the failures.
    A bad threshold (E030) or an unknown encoding (E062) is refused before the model loads.
    The text view marks spans inline where the output has no colour (``text_console``)."""
    claims_threshold = check_claims_threshold(claims_threshold)
    if encoding is not None:
        check_encoding(encoding)
    pipeline = Pipeline(
        get_model(model_spec),
        sensitivity=sensitivity,
        min_score=min_score,
        claims_threshold=claims_threshold,
    )
    out, plain = text_console(no_color)
    failures: list[PropscopeError] = []
    done: list[tuple[str, Analysis]] = []
    for src in sources:
        name = "<stdin>" if src == "-" else src
        try:
            analysis = _analyze(pipeline, src, allow_private_urls, encoding)
        except PropscopeError as exc:
            failures.append(exc)
            print(f"error: {exc.render()}", file=sys.stderr)
            continue
        if fmt in (Format.json, Format.html):
            done.append((name, analysis))
        elif fmt is Format.jsonl:
            sys.stdout.write(render_jsonl(name, analysis) + "\n")
        elif fmt is Format.ptc:
            aid = "stdin" if src == "-" or "://" in src else article_id(Path(src))
            sys.stdout.write(render_ptc(aid, analysis))
        else:
            print_text(out, analysis, name if len(sources) > 1 else None, marks=plain)
    if fmt is Format.json and done:
        # written a piece at a time: a huge text's JSON never sits whole in memory
        write_json(done, sys.stdout, as_list=len(sources) > 1)
        sys.stdout.write("\n")
    if fmt is Format.html and done:
        sys.stdout.write(render_html(done))
    sys.stdout.flush()
    if failures:
        print(f"{len(failures)} of {len(sources)} input(s) failed:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure.render()}", file=sys.stderr)
    return failures
