"""``propscope eval``: official SemEval-2020 Task 11 scores of a model on a PTC split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from propscope.cli.common import MODEL_HELP, data_dir, get_model
from propscope.evaluate import evaluate


def eval_cli(
    data: Annotated[
        Path | None, typer.Option("--data", help="PTC folder (with <split>-articles/ and labels).")
    ] = None,
    split: Annotated[str, typer.Option("--split", help="Split to score: train or dev.")] = "dev",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
) -> None:
    """Score a model on a PTC split: SI, TC, the full task and per-technique tables."""
    result = evaluate(get_model(model), data_dir(data), split)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    print_scores(Console(highlight=False), result, split)


def print_scores(console: Console, r: dict[str, Any], split: str) -> None:
    m = r["model"]
    console.print(
        f"model {m['name']} {m['version']} on PTC {split}: {r['articles']} articles, "
        f"{r['gold_spans']} gold spans, {r['predicted_spans']} predicted spans"
    )
    t = Table(title="Overall")
    for c in ("task", "precision", "recall", "F1"):
        t.add_column(c, justify="right" if c != "task" else "left")
    si, full, tc = r["si"], r["full"], r["tc"]
    t.add_row(
        "SI (span identification)",
        f"{si['precision']:.4f}",
        f"{si['recall']:.4f}",
        f"{si['f1']:.4f}",
    )
    t.add_row("TC (micro-F1 on gold spans)", "", "", f"{tc['micro_f1']:.4f}")
    t.add_row(
        "Full (span + technique)",
        f"{full['precision']:.4f}",
        f"{full['recall']:.4f}",
        f"{full['f1']:.4f}",
    )
    console.print(t)
    p = Table(title="Per technique")
    for c in ("technique", "gold", "TC P", "TC R", "TC F1", "full P", "full R", "full F1"):
        if c == "technique":
            p.add_column(c, no_wrap=True, min_width=34)
        else:
            p.add_column(c, justify="right")
    for label, v in r["per_technique"].items():
        p.add_row(
            label,
            str(v["support"]),
            *(
                f"{v[k]:.3f}"
                for k in (
                    "tc_precision",
                    "tc_recall",
                    "tc_f1",
                    "full_precision",
                    "full_recall",
                    "full_f1",
                )
            ),
        )
    console.print(p)
