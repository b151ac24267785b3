"""``propscope audit swap``: does the model give the same rhetoric the same label whichever
side it names? (issue 6)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from propscope.audit.swap import TOP_CHANGES, audit, load_pairs, read_texts
from propscope.cli.common import MODEL_HELP, data_dir, get_model
from propscope.cli.tables import NumberTable

app = typer.Typer(
    name="audit",
    help="Audit a model's behaviour.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="PTC folder (its <split>-articles/ is used) or a folder of .txt files."
    ),
]
SplitOpt = Annotated[str, typer.Option("--split", help="PTC split to read.")]
ModelOpt = Annotated[str | None, typer.Option("--model", help=MODEL_HELP)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@app.callback()
def audit_callback() -> None:
    """Audit a model's behaviour (swap: even-handedness under exchanged names; shift:
    stability under edits far from a span)."""


@app.command("swap")
def swap_cli(
    data: DataOpt = None,
    split: SplitOpt = "dev",
    pairs: Annotated[
        Path | None,
        typer.Option("--pairs", help="Pairs file (group<TAB>side_a<TAB>side_b); default: shipped."),
    ] = None,
    model: ModelOpt = None,
    top: Annotated[
        int, typer.Option("--top", min=0, help="How many of the most changed spans to list.")
    ] = TOP_CHANGES,
    as_json: JsonOpt = False,
) -> None:
    """Compare the spans found in each text and in a copy with opposing sides' names exchanged."""
    name_pairs = load_pairs(pairs)
    texts = read_texts(data_dir(data), split)
    result = audit(get_model(model), texts, name_pairs, top=top)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print_audit(Console(highlight=False), result)


@app.command("shift")
def shift_cli(
    data: DataOpt = None,
    split: SplitOpt = "dev",
    model: ModelOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="Only the first N texts (0: all).")
    ] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Compare the spans found in each text and in copies edited away from them (a prefix, a
    line put before the text, the first paragraph removed)."""
    from propscope.audit.shift import audit_shift

    texts = read_texts(data_dir(data), split)
    result = audit_shift(get_model(model), texts[:limit] if limit else texts)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print_shift(Console(highlight=False), result)


def print_shift(console: Console, result: dict[str, Any]) -> None:
    m = result["model"]
    who = f"model {m['name']} {m['version']}" if m else "model"
    console.print(f"{who}: {result['texts']} texts")
    t = NumberTable(
        "Agreement between each text and its edited copy",
        "edit",
        (
            "texts",
            "spans",
            "spans (edited)",
            "span agr. (SI F1)",
            "matched",
            "technique agr.",
        ),
        breaks=(3,),
    )
    for name, g in result["edits"].items():
        t.add_row(
            name,
            str(g["texts"]),
            str(g["spans_original"]),
            str(g["spans_edited"]),
            _fmt(g["span_agreement"]),
            str(g["matched"]),
            _fmt(g["technique_agreement"]),
        )
    t.print(console)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def print_audit(console: Console, r: dict[str, Any]) -> None:
    m = r["model"]
    who = f"model {m['name']} {m['version']}" if m else "model"
    console.print(
        f"{who}: {r['texts']} texts, {r['swapped_texts']} with names swapped, "
        f"{r['skipped_texts']} without any name (skipped)"
    )
    t = NumberTable(
        "Agreement between each text and its swapped copy",
        "group",
        (
            "texts",
            "names",
            "spans",
            "spans (swapped)",
            "span agr. (SI F1)",
            "matched",
            "technique agr.",
        ),
        breaks=(4,),
    )
    rows = [("overall", r["overall"]), *r["groups"].items()]
    for i, (name, g) in enumerate(rows):
        t.add_row(
            name,
            str(g["texts"]),
            str(g["names_swapped"]),
            str(g["spans_original"]),
            str(g["spans_swapped"]),
            _fmt(g["span_agreement"]),
            str(g["matched"]),
            _fmt(g["technique_agreement"]),
            end_section=i == 0,
        )
    t.print(console)
    ch = r["changes"]
    console.print(
        f"changes: {ch['technique']} technique, {ch['missing']} missing, {ch['new']} new, "
        f"{ch['boundary']} boundary"
    )
    if not r["changed_spans"]:
        return
    ct = Table(title="Spans that changed most (original offsets)")
    # the text id (an article number) is never cut; the text columns fold
    ct.add_column("text id", no_wrap=True)
    for col in ("span", "change", "before", "after", "names swapped in its sentence"):
        ct.add_column(col, overflow="fold")
    for s in r["changed_spans"]:
        span = " ".join(s["text"].split())
        ct.add_row(
            escape(s["id"]),
            escape(span if len(span) <= 60 else span[:57] + "..."),
            s["change"],
            s["before"] or "-",
            s["after"] or "-",
            escape(", ".join(s["names"]) or "-"),
        )
    console.print(ct)
