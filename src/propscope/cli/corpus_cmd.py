"""``propscope corpus stats|export``: what a corpus database holds, by source, month or author."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from propscope.cli.analyze_cmd import Sensitivity
from propscope.cli.batch_cmd import DB_HELP
from propscope.errors import Code, PropscopeError
from propscope.techniques import BY_LABEL, LABELS

app = typer.Typer(help="Query a corpus database made by propscope batch.", no_args_is_help=True)


class By(str, Enum):
    source = "source"
    month = "month"
    author = "author"


class StatsFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    ptc = "ptc"


DbOpt = Annotated[str | None, typer.Option("--db", help=DB_HELP + " Default: propscope.db.")]
SensOpt = Annotated[
    Sensitivity,
    typer.Option("--sensitivity", help="Count spans from this operating point of the model."),
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", help="NAME or NAME@VERSION (default: the model that ran last)."),
]


@app.command("stats")
def stats_cli(
    db: DbOpt = None,
    by: Annotated[By | None, typer.Option("--by", help="Group by source, month or author.")] = None,
    fmt: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.table,
    sensitivity: SensOpt = Sensitivity.balanced,
    model: ModelOpt = None,
) -> None:
    """Documents, words, technique counts and rates per 1,000 words, the share of sentences
    with a technique and check-worthy claims, per group."""
    from propscope.store.db import open_database
    from propscope.store.queries import stats

    database = open_database(db, migrate=False)
    try:
        result = stats(
            database, by=by.value if by else None, sensitivity=sensitivity.value, model=model
        )
    finally:
        database.close()
    if fmt is StatsFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    elif fmt is StatsFormat.csv:
        write_stats_csv(result, sys.stdout)
    else:
        print_stats_table(result)


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = list(result["groups"])
    if result["by"] is None:
        return groups
    return groups + ([result["total"]] if result["total"] else [])


STATS_COLUMNS = (
    "key",
    "documents",
    "words",
    "spans",
    "spans_per_1000_words",
    "share_of_sentences_with_technique",
    "check_worthy_claims",
)


def write_stats_csv(result: dict[str, Any], out: TextIO) -> None:
    """One row per group (and the total): the figures, then each technique's count and rate."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [result["by"] or "group", *STATS_COLUMNS[1:]]
        + [f"{label}_{k}" for label in LABELS for k in ("count", "per_1000_words")]
    )
    for row in _rows(result):
        w.writerow(
            [row[c] for c in STATS_COLUMNS]
            + [row["techniques"][label][k] for label in LABELS for k in ("count", "per_1000_words")]
        )


def print_stats_table(result: dict[str, Any]) -> None:
    console = Console(soft_wrap=False, highlight=False)
    if result["model"] is None:
        console.print("The database holds no analyses yet: run propscope batch first.")
        return
    m = result["model"]
    console.print(
        f"model {m['name']} {m['version']} · spans from the {result['sensitivity']} point"
        + (f" (score >= {result['min_score']})" if result["min_score"] is not None else "")
    )
    table = Table(show_lines=False)
    table.add_column(result["by"] or "group", no_wrap=True, min_width=10, max_width=28)
    for name in ("docs", "words", "spans", "per 1k words", "sentences", "claims"):
        table.add_column(name, justify="right", no_wrap=True, min_width=max(len(name), 9))
    table.add_column("top techniques", no_wrap=True, overflow="ellipsis", max_width=36)
    for row in _rows(result):
        top = sorted(row["techniques"].items(), key=lambda kv: -kv[1]["count"])[:3]
        table.add_row(
            str(row["key"]),
            f"{row['documents']:,}",
            f"{row['words']:,}",
            f"{row['spans']:,}",
            f"{row['spans_per_1000_words']:.2f}",
            f"{row['share_of_sentences_with_technique']:.1%}",
            f"{row['check_worthy_claims']:,}",
            ", ".join(BY_LABEL[label].name for label, v in top if v["count"]),
        )
    console.print(
        "per 1k words: spans per 1,000 words; sentences: share of sentences with a technique; "
        "claims: check-worthy claims"
    )
    console.print(table)


@app.command("export")
def export_cli(
    db: DbOpt = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one analysis per document; csv, parquet: one row per span; "
            "ptc: technique spans in the PTC TC format (id, technique, start, end).",
        ),
    ] = ExportFormat.jsonl,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: standard output).")
    ] = None,
    sensitivity: SensOpt = Sensitivity.balanced,
    model: ModelOpt = None,
) -> None:
    """Export every stored analysis (spans from the chosen operating point)."""
    from propscope.store.db import open_database
    from propscope.store.queries import iter_analyses

    if fmt is ExportFormat.parquet and out is None:
        raise PropscopeError(Code.BAD_OPTION, "--format parquet needs --out FILE")
    database = open_database(db, migrate=False)
    try:
        analyses = iter_analyses(database, sensitivity.value, model)
        if fmt is ExportFormat.parquet:
            assert out is not None
            write_parquet(analyses, out)
            return
        stream: TextIO
        with _open_out(out) as stream:
            if fmt is ExportFormat.jsonl:
                for a in analyses:
                    stream.write(json.dumps(a, ensure_ascii=False) + "\n")
            elif fmt is ExportFormat.ptc:
                for a in analyses:
                    for s in a["spans"]:
                        stream.write(f"{a['id']}\t{s['technique']}\t{s['start']}\t{s['end']}\n")
            else:
                w = csv.writer(stream, lineterminator="\n")
                w.writerow(SPAN_COLUMNS)
                for row in span_rows(analyses):
                    w.writerow([row[c] for c in SPAN_COLUMNS])
    finally:
        database.close()


SPAN_COLUMNS = (
    "document_id",
    "source",
    "date",
    "author",
    "start",
    "end",
    "technique",
    "score",
    "technique_score",
    "quoted",
    "speaker",
    "text",
)


def span_rows(analyses: Any) -> Any:
    for a in analyses:
        doc = a["document"]
        for s in a["spans"]:
            yield {
                "document_id": a["id"],
                "source": doc["source"],
                "date": doc["date"],
                "author": doc["author"],
                **{k: s[k] for k in SPAN_COLUMNS[4:]},
            }


def write_parquet(analyses: Any, out: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise PropscopeError(
            Code.MISSING_EXTRA,
            "--format parquet needs pyarrow: pip install pyarrow (or the [ray] extra)",
        ) from None
    rows = list(span_rows(analyses))
    table = pa.Table.from_pylist(rows) if rows else pa.table({c: [] for c in SPAN_COLUMNS})
    try:
        pq.write_table(table, out)
    except OSError as exc:
        raise PropscopeError(Code.UNREADABLE, f"cannot write file: {exc}", path=str(out)) from None


class _open_out:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.f: TextIO | None = None

    def __enter__(self) -> TextIO:
        if self.path is None:
            return sys.stdout
        try:
            self.f = self.path.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise PropscopeError(
                Code.UNREADABLE, f"cannot write file: {exc.strerror or exc}", path=str(self.path)
            ) from None
        return self.f

    def __exit__(self, *exc: object) -> None:
        if self.f is not None:
            self.f.close()
        else:
            sys.stdout.flush()
