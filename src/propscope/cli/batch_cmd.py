"""``propscope batch``: analyse a corpus into a database, each document once."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from propscope.cli.common import MODEL_HELP
from propscope.corpus import batch as batch_mod
from propscope.corpus.documents import DEFAULT_MAX_BYTES
from propscope.errors import Code, PropscopeError

DB_HELP = "Database URL (sqlite:///file.db, postgresql://user@host/db) or a SQLite file path."


class EngineName(str, Enum):
    local = "local"
    ray = "ray"


class RichProgress(batch_mod.Progress):
    """A bar over the input's bytes with documents/s, words/s and the time left; nothing
    where standard error is not a terminal."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.t0 = 0.0

    def start(self, total_bytes: int) -> None:
        import time

        self.t0 = time.perf_counter()
        if not self.console.is_terminal:
            return
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[docs]} docs · {task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.bar.add_task("batch", total=max(total_bytes, 1), docs=0, rate="")
        self.bar.start()

    def advance(self, size: int, words: int, summary: batch_mod.Summary) -> None:
        if self.bar is None or self.task is None:
            return
        import time

        dt = max(time.perf_counter() - self.t0, 1e-9)
        rate = f"{summary.analysed / dt:.1f} docs/s · {summary.words / dt:,.0f} words/s"
        self.bar.update(self.task, advance=size, docs=summary.documents, rate=rate)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def batch_cli(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Folders (.txt, .md, .html, recursive), .jsonl or .csv files.", show_default=False
        ),
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help=DB_HELP + " Default: propscope.db.")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Processes analysing at once; each loads the model.")
    ] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Re-analyse documents already in the database.")
    ] = False,
    text_col: Annotated[
        str, typer.Option("--text-col", help="Field holding the text (CSV, JSONL).")
    ] = "text",
    id_col: Annotated[
        str, typer.Option("--id-col", help="Field holding the document id (CSV, JSONL).")
    ] = "id",
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest document; a larger one is an error.")
    ] = DEFAULT_MAX_BYTES,
    engine: Annotated[
        EngineName,
        typer.Option("--engine", help="local processes, or Ray Data (the [ray] extra)."),
    ] = EngineName.local,
    ray_address: Annotated[
        str | None,
        typer.Option("--ray-address", help="Ray cluster to join (default: a local Ray)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="With --engine ray: write Parquet here instead of --db."),
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="List the errors of the last run and stop.")
    ] = False,
    run: Annotated[
        int | None, typer.Option("--run", help="With --errors: this run instead of the last.")
    ] = None,
) -> None:
    """Analyse a corpus into a database (SQLite by default), each document once."""
    if errors:
        raise typer.Exit(list_errors(db, run))
    if not inputs:
        raise PropscopeError(Code.BAD_OPTION, "no input given: pass folders, .jsonl or .csv files")
    options = batch_mod.BatchOptions(
        inputs=list(inputs),
        db=db,
        model=model,
        workers=workers,
        force=force,
        text_col=text_col,
        id_col=id_col,
        max_bytes=max_bytes,
    )
    if engine is EngineName.ray:
        from propscope.corpus.ray_engine import run_ray

        summary = run_ray(options, address=ray_address, out=out, progress=RichProgress())
    else:
        if out is not None:
            raise PropscopeError(Code.BAD_OPTION, "--out goes with --engine ray")
        summary = batch_mod.run_batch(options, progress=RichProgress())
    print_summary(summary, db)
    if summary.n_errors:
        raise typer.Exit(1)


def print_summary(summary: batch_mod.Summary, db: str | None) -> None:
    dt = max(summary.seconds, 1e-9)
    err = sys.stderr
    print(
        f"run {summary.run_id}: {summary.documents} documents read: {summary.analysed} analysed, "
        f"{summary.skipped} already done, {summary.n_errors} errors; "
        f"{summary.words:,} words in {summary.seconds:.1f} s "
        f"({summary.analysed / dt:.2f} docs/s, {summary.words / dt:,.0f} words/s)",
        file=err,
    )
    if summary.n_errors:
        by_code = ", ".join(f"{code} x{n}" for code, n in sorted(summary.errors.items()))
        print(f"errors ({by_code}):", file=err)
        for line in summary.first_errors:
            print(f"  {line}", file=err)
        if summary.n_errors > len(summary.first_errors):
            print(f"  ... {summary.n_errors - len(summary.first_errors)} more", file=err)
        where = f" --db {db}" if db else ""
        print(f"all of them: propscope batch --errors{where}", file=err)


def list_errors(db: str | None, run: int | None) -> int:
    """Print the errors of a run (default: the last); 0 where there were none, else 1."""
    from propscope.store.db import open_database
    from propscope.store.queries import run_errors

    database = open_database(db, migrate=False)
    try:
        run_id, rows = run_errors(database, run)
    finally:
        database.close()
    if run_id is None:
        print("no runs in this database", file=sys.stderr)
        return 0
    for row in rows:
        print(row.render())
    print(f"run {run_id}: {len(rows)} errors", file=sys.stderr)
    return 1 if rows else 0
