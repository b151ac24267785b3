"""``propscope eval-claims``: check-worthiness scores on CT24 (or any file in its format)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from propscope.cli.common import MODEL_HELP, get_model
from propscope.corpus.ct24 import find_split, read_tsv
from propscope.errors import Code, PropscopeError
from propscope.evaluate import evaluate_claims


def eval_claims_cli(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="CT24 folder (with CT24_checkworthy_english_*.tsv)."),
    ] = None,
    split: Annotated[str, typer.Option("--split", help="dev or dev-test (or train).")] = "dev-test",
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Any TSV: Sentence_id, Text, class_label (Yes/No)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
) -> None:
    """Precision, recall and F1 of the check-worthy class; the last line is F1=<value>."""
    if file is None and data is None:
        raise PropscopeError(Code.BAD_OPTION, "give --data DIR [--split S] or --file TSV")
    path = file if file is not None else find_split(data or Path("."), split)
    result = evaluate_claims(get_model(model), read_tsv(path))
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(
        f"model {result['model']['name']} on {path}: {result['sentences']} sentences, "
        f"{result['positives']} check-worthy, threshold {result['threshold']:.3f}"
    )
    typer.echo(f"precision={result['precision']:.4f}")
    typer.echo(f"recall={result['recall']:.4f}")
    typer.echo(f"F1={result['f1']:.4f}")
