"""``propscope batch --engine ray``: the corpus run on Ray Data, on one machine or a cluster.

Same inputs' rules, same analysis, same database as the local engine (``corpus/batch.py``);
Ray only moves the reading and the analysis onto Ray workers. Read in order, a run is:

1. Checks before any work: every input exists and is a ``.jsonl`` or ``.parquet`` file (the
   local engine reads folders and CSV), a Parquet file has the text column, ``--out`` is an
   empty folder; then the database is opened (E050 / E051) unless ``--out`` is given.
2. Ray: ``ray.init(address)`` to join a cluster, else a local Ray of ``num_cpus`` CPUs that
   this run starts and stops (an already running one is used and left running).
3. The driver loads the model's name and version and reads from the database the
   ``(document id, sha256)`` pairs already analysed by that model version (none with
   ``force``); they travel to the analysing actors with their constructor arguments.
4. Reading, in Ray tasks: a ``.jsonl`` file is streamed line by line by one task per file,
   with the local engine's own record code (``documents._jsonl_record``), so lines, byte
   offsets, ``FILE:LINE`` default ids, malformed lines, invalid UTF-8 and over-long lines are
   exactly what the local engine gives (``ray.data.read_text`` is not used: it holds a whole
   file in one task's memory, ends the job on invalid UTF-8, has no line numbers and splits
   lines where ``str.splitlines`` does, inside JSON strings at U+2028 or U+0085).
   A ``.parquet`` file is read with ``ray.data.read_parquet`` (columns are record fields,
   ``documents.from_record`` makes the document); Parquet rows have no line numbers, so a
   record without an id is an error (E052 "record without id: the ray engine needs an id
   field") where the local engine would give it a ``FILE:LINE`` id. An unreadable record
   becomes an error row, never an exception that ends the job.
5. Analysis: ``map_batches`` over a pool of ``workers`` actors, each loading the model once
   (``STORE_SENSITIVITY``, as the local engine) and reserving at most one CPU, so that reading
   always has one (``actor_cpus``). A document already analysed (step 3) is a
   ``skipped`` row without analysis; a failure is an error row for that document.
6. Output. By default the driver iterates the result rows and stores them through the same
   single ``Writer`` as the local engine (one transaction per document, exactly once; an id
   already stored with another text is E053), counting the same ``Summary``. With ``out``,
   ``Dataset.write_parquet`` writes one row per document (the columns of ``row_schema()``,
   the analysis as the JSON of ``analysis_to_json``) and the database is not touched; the
   summary is counted from the files written.

A result row holds plain Arrow columns: ``status`` (``analysed``, ``skipped``, ``error``),
the document's fields (``date`` as ISO text, ``meta`` as JSON), ``analysis`` as JSON and, for
an error, ``code``, ``message``, ``path``, ``line``, ``byte``.

Known differences from the local engine: results arrive in no fixed order, so where one id
comes twice in the input with two texts, which copy is stored and which is the E053 error is
not fixed; an id stored earlier with another text is found only after its analysis. On a
cluster, the input files, the model folder and ``--out`` must be at the same path on every
node (a shared file system), and propscope must be installed in the workers' environment.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from propscope.corpus.batch import (
    BATCH_CHARS,
    STORE_SENSITIVITY,
    BatchOptions,
    Progress,
    Recorder,
    Summary,
    analyse_one,
    count_error,
    input_bytes,
)
from propscope.corpus.documents import (
    Document,
    InputProblem,
    Item,
    check_inputs,
    from_record,
    read_jsonl,
)
from propscope.errors import Code, PropscopeError
from propscope.types import Analysis, Claim, Fact, ModelInfo, Sentence, Span

RAY_SUFFIXES = (".jsonl", ".parquet")
BLOCK_ROWS = 64  # rows of a block read: the unit of work handed to one actor
BLOCK_CHARS = 5 * BATCH_CHARS  # ... or this many characters of text
ACTOR_BATCH = 16  # documents an actor analyses per call
MAX_BLOCK_BYTES = 512 * 1024  # Ray Data blocks: about a hundred news articles
READ_CPUS = 0.25  # a reading task's share of a CPU (it waits on the disk and the actors)

ANALYSED, SKIPPED, ERROR = "analysed", "skipped", "error"
_TODO = "todo"  # read, not yet analysed (between the two steps only)

MISSING_EXTRA = "--engine ray needs the [ray] extra: pip install 'propscope[ray]'"
NO_ID = "record without id: the ray engine needs an id field"

# (name, Arrow type) of every column of a row; see ROW_SCHEMA
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"),
    ("status", "string"),
    ("ok", "bool_"),
    ("where", "string"),
    ("size", "int64"),
    ("text", "large_string"),
    ("sha256", "string"),
    ("source", "string"),
    ("date", "string"),
    ("date_text", "string"),
    ("author", "string"),
    ("meta", "large_string"),
    ("words", "int64"),
    ("analysis", "large_string"),
    ("code", "string"),
    ("message", "string"),
    ("path", "string"),
    ("line", "int64"),
    ("byte", "int64"),
)


def row_schema() -> Any:
    """The Arrow schema of a result row (and of the Parquet files ``--out`` writes)."""
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in _COLUMNS])


# -- the entry point ---------------------------------------------------------------------


def run_ray(
    options: BatchOptions,
    *,
    address: str | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
    num_cpus: int | None = None,
) -> Summary:
    """Analyse every document of ``options.inputs`` not yet stored, on Ray; see the module."""
    ray = _import_ray(local=address is None)
    jsonl, parquet = _check_inputs(options)
    if out is not None:
        _check_out(out)
    progress = progress or Progress()
    model = _model_spec(options.model)

    from propscope.pipeline import load

    info = load(model).info  # name and version only; the actors load their own
    with _Ray(ray, address, num_cpus):
        if out is not None:
            return _run_to_parquet(ray, options, model, jsonl, parquet, out, progress)
        return _run_to_database(ray, options, model, info, jsonl, parquet, progress)


def _import_ray(*, local: bool) -> Any:
    if local:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    try:
        import ray
        import ray.data
    except ImportError:
        raise PropscopeError(Code.MISSING_EXTRA, MISSING_EXTRA) from None
    return ray


def _check_inputs(options: BatchOptions) -> tuple[list[Path], list[Path]]:
    """The ``.jsonl`` and the ``.parquet`` inputs; a coded error for anything else."""
    if options.workers < 1:
        raise PropscopeError(
            Code.BAD_OPTION, f"--workers must be at least 1, not {options.workers}"
        )
    if not options.inputs:
        raise PropscopeError(Code.BAD_OPTION, "no input given: pass .jsonl or .parquet files")
    for path in options.inputs:
        if not path.exists():
            raise PropscopeError(Code.FILE_NOT_FOUND, "input not found", path=str(path))
        if path.is_dir() or path.suffix.lower() not in RAY_SUFFIXES:
            kind = "a folder" if path.is_dir() else repr(path.suffix or "(no suffix)")
            raise PropscopeError(
                Code.BAD_OPTION,
                f"the ray engine reads .jsonl and .parquet files, not {kind}; "
                "the local engine (--engine local) reads folders, .csv, .txt, .md and .html",
                path=str(path),
            )
    jsonl = [p for p in options.inputs if p.suffix.lower() == ".jsonl"]
    parquet = [p for p in options.inputs if p.suffix.lower() == ".parquet"]
    if jsonl:
        check_inputs(jsonl, text_col=options.text_col, id_col=options.id_col)
    for path in parquet:
        _check_parquet(path, options.text_col, options.id_col)
    return jsonl, parquet


def _check_parquet(path: Path, text_col: str, id_col: str) -> None:
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise PropscopeError(
            Code.UNREADABLE, f"cannot read the Parquet schema: {exc}", path=str(path)
        ) from None
    have = ", ".join(repr(n) for n in names) or "none"
    for col, what, option in ((text_col, "text", "--text-col"), (id_col, "id", "--id-col")):
        if col not in names:
            raise PropscopeError(
                Code.MISSING_COLUMN,
                f"the Parquet file has no {what} column {col!r} (its columns: {have}); "
                f"choose one with {option}",
                path=str(path),
            )


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PropscopeError(
            Code.BAD_OPTION, "--out must be an empty folder or one to create", path=str(out)
        )


def _model_spec(model: str | None) -> str | None:
    """A model folder as an absolute path (Ray workers do not share the driver's folder)."""
    if model and not model.startswith("builtin:") and Path(model).exists():
        return str(Path(model).resolve())
    return model


class _Ray:
    """Joins ``address``, or starts a local Ray; stops only a Ray it started."""

    def __init__(self, ray: Any, address: str | None, num_cpus: int | None) -> None:
        self.ray = ray
        self.address = address
        self.num_cpus = num_cpus
        self.temp_dir: str | None = None  # of a Ray this run started
        self.progress_bars: bool | None = None
        self.block_sizes: tuple[int, int] = (0, 0)
        self.log_level = logging.NOTSET

    def __enter__(self) -> _Ray:
        ray = self.ray
        quiet = {"log_to_driver": False, "logging_level": logging.WARNING}
        try:
            if self.address is not None:
                ray.init(address=self.address, ignore_reinit_error=True, **quiet)
            elif not ray.is_initialized():
                # a short folder: Ray's socket paths must stay under about 107 characters
                self.temp_dir = tempfile.mkdtemp(prefix="ray", dir="/tmp")
                ray.init(
                    num_cpus=max(self.num_cpus or os.cpu_count() or 1, 2),  # see actor_cpus
                    include_dashboard=False,
                    _temp_dir=self.temp_dir,
                    ignore_reinit_error=True,
                    **quiet,
                )
        except Exception as exc:  # Ray's own: no cluster at the address, a start that failed
            self._remove_temp_dir()
            where = f"join the Ray cluster at {self.address}" if self.address else "start Ray"
            raise PropscopeError(
                Code.BAD_OPTION, f"cannot {where}: {type(exc).__name__}: {exc}"
            ) from None
        context = ray.data.DataContext.get_current()
        self.progress_bars = context.enable_progress_bars
        context.enable_progress_bars = False  # the CLI draws its own
        # Ray Data merges a task's outputs into blocks of up to 128 MiB: a whole JSONL file
        # would become one block, analysed by one actor, its results held until the end.
        # Blocks of about a hundred articles keep every actor busy and the results flowing.
        self.block_sizes = (context.target_max_block_size, context.target_min_block_size)
        context.target_max_block_size = MAX_BLOCK_BYTES
        context.target_min_block_size = min(context.target_min_block_size, MAX_BLOCK_BYTES // 8)
        logger = logging.getLogger("ray.data")
        self.log_level = logger.level
        logger.setLevel(logging.WARNING)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("ray.data").setLevel(self.log_level)
        if self.progress_bars is not None:
            context = self.ray.data.DataContext.get_current()
            context.enable_progress_bars = self.progress_bars
            context.target_max_block_size, context.target_min_block_size = self.block_sizes
        if self.temp_dir is not None:
            self.ray.shutdown()
            self._remove_temp_dir()

    def _remove_temp_dir(self) -> None:
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)


# -- the dataset: read, parse, analyse ---------------------------------------------------


def _dataset(
    ray: Any,
    options: BatchOptions,
    model: str | None,
    jsonl: Sequence[Path],
    parquet: Sequence[Path],
    done: frozenset[tuple[str, str]],
) -> Any:
    """The lazy Ray dataset of result rows (nothing runs until it is consumed)."""
    import pyarrow.parquet as pq

    fields = {"text_col": options.text_col, "id_col": options.id_col}
    parts = []
    if jsonl:
        files = [{"open": str(p.resolve()), "name": str(p)} for p in jsonl]
        parts.append(
            ray.data.from_items(files, override_num_blocks=len(files)).map_batches(
                _read_jsonl_files,
                batch_size=1,
                batch_format="pyarrow",
                num_cpus=READ_CPUS,
                fn_kwargs={**fields, "max_bytes": options.max_bytes},
            )
        )
    for path in parquet:
        rows = max(pq.read_metadata(path).num_rows, 1)
        parts.append(
            ray.data.read_parquet(str(path.resolve()), num_cpus=READ_CPUS).map_batches(
                _parse_parquet_records,
                batch_format="pyarrow",
                num_cpus=READ_CPUS,
                fn_kwargs={**fields, "name": str(path), "row_size": path.stat().st_size // rows},
            )
        )
    ds = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return ds.map_batches(
        _Analyse,
        batch_size=ACTOR_BATCH,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=options.workers),
        num_cpus=actor_cpus(float(ray.cluster_resources().get("CPU", 1)), options.workers),
        fn_constructor_args=(model, done),
    )


def actor_cpus(cpus: float, workers: int) -> float:
    """The CPUs each analysing actor reserves: one, less where ``workers`` actors would not
    leave one CPU of the ``cpus`` to the reading tasks (``read_parquet`` lists its files in
    a task that needs a whole CPU): the job would wait for ever. A reservation is only
    Ray's bookkeeping; each actor analyses on one thread."""
    return max(min(1.0, (cpus - 1.0) / workers), 0.01)


def _read_jsonl_files(
    batch: Any, *, text_col: str = "text", id_col: str = "id", max_bytes: int = 0
) -> Iterator[Any]:
    """Ray task: stream whole ``.jsonl`` files (one per row of ``batch``) into blocks of
    document and error rows, with the local engine's record rules."""
    for opened, name in zip(
        batch.column("open").to_pylist(), batch.column("name").to_pylist(), strict=True
    ):
        yield from _blocks(
            _item_row(item) for item in _jsonl_items(opened, name, text_col, id_col, max_bytes)
        )


def _jsonl_items(
    opened: str, name: str, text_col: str, id_col: str, max_bytes: int
) -> Iterator[Item]:
    """The local engine's ``read_jsonl`` for a file opened at ``opened`` and named ``name``
    (the input as given) in ids, places and errors."""
    return read_jsonl(Path(opened), text_col, id_col, max_bytes, name=name)


def _parse_parquet_records(
    batch: Any, *, text_col: str = "text", id_col: str = "id", name: str = "", row_size: int = 0
) -> Iterator[Any]:
    """Ray task: Parquet records (a column per field) to document and error rows."""
    yield from _blocks(
        _item_row(_parquet_item(record, name, text_col, id_col, row_size))
        for record in batch.to_pylist()
    )


def _parquet_item(
    record: Mapping[str, Any], name: str, text_col: str, id_col: str, size: int
) -> Item:
    raw_id = record.get(id_col)
    if raw_id is None or raw_id == "":
        return InputProblem(PropscopeError(Code.BAD_RECORD, NO_ID, path=name), size=size)
    item = from_record(record, f"{name}:0", text_col, id_col)  # its errors: name, no line
    if isinstance(item, InputProblem):
        return replace(item, size=size)
    return replace(item, where=name, size=size)


def _blocks(rows: Iterable[dict[str, Any]]) -> Iterator[Any]:
    """Rows as Arrow tables of at most ``BLOCK_ROWS`` rows or about ``BLOCK_CHARS`` text."""
    block: list[dict[str, Any]] = []
    chars = 0
    for row in rows:
        block.append(row)
        chars += len(row["text"] or "")
        if len(block) >= BLOCK_ROWS or chars >= BLOCK_CHARS:
            yield _table(block)
            block, chars = [], 0
    if block:
        yield _table(block)


def _table(rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=row_schema())


class _Analyse:
    """Ray actor: loads the model once, then analyses the document rows it is given; a
    document already analysed (its ``(id, sha256)`` in ``done``) is a ``skipped`` row."""

    def __init__(self, model: str | None, done: frozenset[tuple[str, str]]) -> None:
        from propscope.pipeline import load

        os.environ.setdefault("PROPSCOPE_THREADS", "1")
        self.pipeline = load(model, sensitivity=STORE_SENSITIVITY)
        self.done = done

    def __call__(self, batch: Any) -> Any:
        return _table([self.one(row) for row in batch.to_pylist()])

    def one(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["status"] != _TODO:
            return row
        doc = row_document(row)
        sha = doc.sha256
        if (doc.id, sha) in self.done:
            return {**row, "status": SKIPPED, "ok": True, "text": None, "meta": None}
        result = analyse_one(self.pipeline, doc)
        if isinstance(result, PropscopeError):
            return {**row, **_error_fields(result), "status": ERROR, "ok": False}
        return {
            **row,
            "status": ANALYSED,
            "ok": True,
            "sha256": sha,
            "words": int(result.profile.get("words", 0)),
            "analysis": analysis_to_json(result),
        }


# -- rows <-> documents and analyses -----------------------------------------------------


def _item_row(item: Item) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(name for name, _ in _COLUMNS)
    if isinstance(item, InputProblem):
        row.update(_error_fields(item.error))
        row.update(id=item.doc_id, status=ERROR, ok=False, size=item.size)
        return row
    row.update(
        id=item.id,
        status=_TODO,
        ok=True,
        where=item.where,
        size=item.size,
        text=item.text,
        source=item.source,
        date=item.date.isoformat() if item.date else None,
        date_text=item.date_text,
        author=item.author,
        meta=json.dumps(_plain(item.meta), ensure_ascii=False),
    )
    return row


def _error_fields(err: PropscopeError) -> dict[str, Any]:
    return {
        "code": err.code.value,
        "message": err.message,
        "path": err.path,
        "line": err.line,
        "byte": err.byte,
    }


def row_document(row: Mapping[str, Any]) -> Document:
    """The document of a result row that holds one (``todo`` or ``analysed``)."""
    return Document(
        id=row["id"],
        text=row["text"],
        where=row["where"],
        source=row["source"],
        date=date.fromisoformat(row["date"]) if row["date"] else None,
        date_text=row["date_text"],
        author=row["author"],
        meta=json.loads(row["meta"]) if row["meta"] else {},
        size=row["size"] or 0,
    )


def row_error(row: Mapping[str, Any]) -> PropscopeError:
    """The error of an ``error`` row."""
    return PropscopeError(
        Code(row["code"]), row["message"], path=row["path"], line=row["line"], byte=row["byte"]
    )


def _plain(value: Any) -> Any:
    """Metadata as JSON holds it: what the writer stores (``store.writer._jsonable``), so that
    the JSON trip changes nothing the database would see."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def analysis_to_json(a: Analysis) -> str:
    """Every field of an analysis but its text, exactly (floats as Python writes them)."""
    return json.dumps(
        {
            "model": [a.model.name, a.model.version],
            "spans": [
                [
                    s.start,
                    s.end,
                    s.technique,
                    float(s.score),
                    s.quoted,
                    s.speaker,
                    float(s.technique_score),
                ]
                for s in a.spans
            ],
            "claims": [
                [
                    c.start,
                    c.end,
                    float(c.score),
                    [[f.start, f.end, f.kind] for f in c.facts],
                    c.quoted,
                    c.speaker,
                ]
                for c in a.claims
            ],
            "sentences": [[s.start, s.end, float(s.score), s.quoted] for s in a.sentences],
            "profile": _plain(a.profile),
            "warnings": [dict(w) for w in a.warnings],
            "id": a.id,
            "source": a.source,
            "main_text": a.main_text,
            "min_score": a.min_score,
            "operating_points": {k: float(v) for k, v in a.operating_points.items()},
            "claims_threshold": a.claims_threshold,
        },
        ensure_ascii=False,
    )


def analysis_from_json(data: str, text: str = "") -> Analysis:
    """The analysis of ``analysis_to_json``, with ``text``."""
    d = json.loads(data)
    return Analysis(
        text=text,
        model=ModelInfo(*d["model"]),
        spans=tuple(Span(*s) for s in d["spans"]),
        claims=tuple(
            Claim(s, e, score, tuple(Fact(*f) for f in facts), quoted, speaker)
            for s, e, score, facts, quoted, speaker in d["claims"]
        ),
        sentences=tuple(Sentence(*s) for s in d["sentences"]),
        profile=d["profile"],
        warnings=tuple(d["warnings"]),
        id=d["id"],
        source=d["source"],
        main_text=d["main_text"],
        min_score=d["min_score"],
        operating_points=d["operating_points"],
        claims_threshold=d.get("claims_threshold"),
    )


# -- output: the database ----------------------------------------------------------------


def _run_to_database(
    ray: Any,
    options: BatchOptions,
    model: str | None,
    info: ModelInfo,
    jsonl: Sequence[Path],
    parquet: Sequence[Path],
    progress: Progress,
) -> Summary:
    from propscope.store.db import open_database
    from propscope.store.writer import Writer

    database = open_database(options.db)
    try:
        writer = Writer(
            database,
            info,
            force=options.force,
            engine="ray",
            inputs=[str(p) for p in options.inputs],
        )
        done = frozenset() if options.force else done_pairs(database, info)
        summary = Summary(run_id=writer.run_id)
        recorder = Recorder(writer, summary, progress)
        t0 = time.perf_counter()
        progress.start(input_bytes(options.inputs))
        try:
            ds = _dataset(ray, options, model, jsonl, parquet, done)
            for row in _rows(ds):
                summary.documents += 1
                if row["status"] == ERROR:
                    recorder.fail(row_error(row), row["id"], row["size"] or 0)
                elif row["status"] == SKIPPED:
                    recorder.skip(row["size"] or 0)
                else:
                    doc = row_document(row)
                    recorder.store(doc, analysis_from_json(row["analysis"], doc.text))
        finally:
            summary.seconds = time.perf_counter() - t0
            progress.stop()
        writer.finish(summary.counts())
        return summary
    finally:
        database.close()


def done_pairs(database: Any, info: ModelInfo) -> frozenset[tuple[str, str]]:
    """``(document id, sha256)`` of every document analysed by this model version."""
    from sqlalchemy import select

    from propscope.store import schema as t

    a = t.analyses.c
    query = select(a.document_id, a.sha256).where(
        a.model_name == info.name, a.model_version == info.version
    )
    with database.engine.connect() as conn:
        return frozenset((r.document_id, r.sha256) for r in conn.execute(query))


def _rows(ds: Any) -> Iterator[dict[str, Any]]:
    """The result rows as the job produces them; a failed job is a coded error (what was
    stored before stays stored)."""
    try:
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            yield from batch.to_pylist()
    except PropscopeError:
        raise
    except Exception as exc:  # Ray's errors: an actor that died, a node lost, ...
        raise PropscopeError(
            Code.ANALYSIS_FAILED, f"the Ray job failed: {type(exc).__name__}: {exc}"
        ) from exc


# -- output: Parquet ---------------------------------------------------------------------


def _run_to_parquet(
    ray: Any,
    options: BatchOptions,
    model: str | None,
    jsonl: Sequence[Path],
    parquet: Sequence[Path],
    out: Path,
    progress: Progress,
) -> Summary:
    import pyarrow.dataset as pads

    summary = Summary()
    t0 = time.perf_counter()
    progress.start(input_bytes(options.inputs))
    try:
        ds = _dataset(ray, options, model, jsonl, parquet, frozenset())
        try:
            ds.write_parquet(str(out))
        except Exception as exc:
            raise PropscopeError(
                Code.ANALYSIS_FAILED, f"the Ray job failed: {type(exc).__name__}: {exc}"
            ) from exc
        columns = ["id", "status", "size", "words", "code", "message", "path", "line", "byte"]
        written = pads.dataset(str(out), format="parquet", schema=row_schema())
        for batch in written.to_batches(columns=columns):
            for row in batch.to_pylist():
                summary.documents += 1
                size, words = row["size"] or 0, 0
                if row["status"] == ERROR:
                    err = row_error(row)
                    count_error(summary, err)
                else:
                    summary.analysed += 1
                    words = row["words"] or 0
                    summary.words += words
                progress.advance(size, words, summary)
    finally:
        summary.seconds = time.perf_counter() - t0
        progress.stop()
    return summary
