"""``propscope eval``: official SemEval-2020 Task 11 scores of a model on a PTC split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from propscope.cli.common import MODEL_HELP, data_dir, get_model
from propscope.cli.tables import NumberTable
from propscope.evaluate import evaluate_docs, read_gold_split


def eval_cli(
    data: Annotated[
        Path | None, typer.Option("--data", help="PTC folder (with <split>-articles/ and labels).")
    ] = None,
    split: Annotated[
        str, typer.Option("--split", help="Split to score (one with gold labels: train or dev).")
    ] = "dev",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
) -> None:
    """Score a model on a PTC split: SI, TC, the full task and per-technique tables."""
    docs = read_gold_split(data_dir(data), split)  # E060 before the model is loaded
    result = evaluate_docs(get_model(model), docs)
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
    t = NumberTable("Overall", "task", ("precision", "recall", "F1"))
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
    t.print(console)
    p = NumberTable(
        "Per technique",
        "technique",
        ("gold", "TC P", "TC R", "TC F1", "full P", "full R", "full F1"),
        breaks=(4,),
    )
    keys = ("tc_precision", "tc_recall", "tc_f1", "full_precision", "full_recall", "full_f1")
    for label, v in r["per_technique"].items():
        p.add_row(label, str(v["support"]), *(f"{v[k]:.3f}" for k in keys))
    p.print(console)
