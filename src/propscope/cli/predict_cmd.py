"""``propscope ptc-predict``: predictions for PTC articles in the official submission formats."""

from __future__ import annotations

from collections import defaultdict
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from propscope.cli.common import MODEL_HELP, get_model, write_out
from propscope.corpus.ptc import format_si, format_tc, read_articles, read_template
from propscope.errors import Code, PropscopeError
from propscope.pipeline import Model
from propscope.scoring import merge_intervals


class Task(str, Enum):
    si = "si"
    tc = "tc"


def ptc_predict_cli(
    articles: Annotated[Path, typer.Option("--articles", help="Folder of article<ID>.txt files.")],
    task: Annotated[
        Task, typer.Option("--task", help="si: spans; tc: techniques of template spans.")
    ],
    out: Annotated[Path, typer.Option("--out", help="File to write the predictions to.")],
    template: Annotated[
        Path | None,
        typer.Option("--template", help="TC input spans (id ? start end); needed for tc."),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
) -> None:
    """Write predictions for PTC articles in the SemEval-2020 SI or TC format."""
    content = ptc_predict(get_model(model), articles, task, template)
    write_out(out, content)
    typer.echo(f"wrote {content.count(chr(10))} lines to {out}", err=True)


def ptc_predict(model: Model, articles: Path, task: Task, template: Path | None) -> str:
    docs = read_articles(articles)
    if task is Task.si:
        rows: list[tuple[str, int, int]] = []
        for aid, doc in docs.items():
            spans = merge_intervals((s.start, s.end) for s in model.detect(doc.text))
            rows.extend((aid, s, e) for s, e in spans)
        return format_si(rows)
    if template is None:
        raise PropscopeError(
            Code.BAD_OPTION, "--task tc needs --template FILE (the spans to label)"
        )
    wanted = read_template(template)
    by_doc: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for aid, s, e in wanted:
        found = docs.get(aid)
        if found is None:
            raise PropscopeError(
                Code.UNKNOWN_ARTICLE,
                f"template names article {aid}, not found in {articles}",
                path=str(template),
            )
        if not (0 <= s < e <= len(found.text)):
            raise PropscopeError(
                Code.LABEL_OUT_OF_RANGE,
                f"span {s}..{e} is outside article {aid}",
                path=str(template),
            )
        by_doc[aid].append((s, e))
    labels: dict[str, list[str]] = {}
    for aid, spans in by_doc.items():
        labels[aid] = [t for t, _p in model.classify(docs[aid].text, spans)]
    cursor: dict[str, int] = defaultdict(int)
    out_rows: list[tuple[str, str, int, int]] = []
    for aid, s, e in wanted:
        out_rows.append((aid, labels[aid][cursor[aid]], s, e))
        cursor[aid] += 1
    return format_tc(out_rows)
