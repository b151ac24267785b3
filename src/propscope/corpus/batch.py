"""Corpus runs: stream documents, analyse each once, store them (``propscope batch``).

Read in order, a run is:

1. ``check_inputs``: every input exists and a CSV has its text column, before any work.
2. ``open_database``: connect and migrate (E050 / E051 before any work).
3. ``read_documents`` streams the input; each document is checked with the writer
   (``Writer.status``): already analysed by this model version with this text -> skipped;
   its id stored with another text -> an error (E053). Unreadable records are errors too.
4. The rest are analysed, in this process (``workers=1``) or in ``workers`` processes that
   each load the model once, with at most a few batches in flight (bounded memory).
5. The single writer stores each document with its analysis in one transaction.

Every failure is stored in the ``errors`` table with its file, line and byte and counted in
the summary; the run goes on. Spans are stored down to the model's ``sensitive`` operating
point with their scores, so the queries can show any of the three points later.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from propscope.corpus.documents import (
    DEFAULT_MAX_BYTES,
    Document,
    InputProblem,
    check_inputs,
    read_documents,
)
from propscope.errors import Code, PropscopeError
from propscope.pipeline import Pipeline, load
from propscope.store.db import Database, open_database
from propscope.store.writer import Status, Writer, conflict_error
from propscope.types import Analysis

STORE_SENSITIVITY = "sensitive"
BATCH_CHARS = 20_000  # a worker's task: documents up to about this many characters
IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True)
class BatchOptions:
    inputs: Sequence[Path]
    db: str | None = None
    model: str | None = None
    workers: int = 1
    force: bool = False
    text_col: str = "text"
    id_col: str = "id"
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class Summary:
    run_id: int = 0
    documents: int = 0  # documents read (analysed, skipped or failed)
    analysed: int = 0
    skipped: int = 0  # already analysed by this model version with this text
    words: int = 0  # words analysed
    seconds: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)  # code -> count
    first_errors: list[str] = field(default_factory=list)

    @property
    def n_errors(self) -> int:
        return sum(self.errors.values())

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.documents,
            "analysed": self.analysed,
            "skipped": self.skipped,
            "errors": self.n_errors,
            "words": self.words,
        }


class Progress:
    """What a run reports as it goes (the CLI draws a Rich bar; tests record)."""

    def start(self, total_bytes: int) -> None: ...

    def advance(self, size: int, words: int, summary: Summary) -> None: ...

    def stop(self) -> None: ...


FIRST_ERRORS = 20  # errors the summary quotes; all of them are in the database


def count_error(summary: Summary, err: PropscopeError) -> None:
    summary.errors[err.code.value] += 1
    if len(summary.first_errors) < FIRST_ERRORS:
        summary.first_errors.append(err.render())


@dataclass
class Recorder:
    """Stores each result through the single writer and counts it in the summary and the
    progress (the local and the Ray engine)."""

    writer: Writer
    summary: Summary
    progress: Progress

    def fail(self, err: PropscopeError, doc_id: str | None, size: int) -> None:
        self.writer.error(err, doc_id)
        count_error(self.summary, err)
        self.progress.advance(size, 0, self.summary)

    def skip(self, size: int) -> None:
        self.summary.skipped += 1
        self.progress.advance(size, 0, self.summary)

    def store(self, doc: Document, result: Analysis | PropscopeError) -> None:
        if isinstance(result, PropscopeError):
            self.fail(result, doc.id, doc.size)
            return
        status = self.writer.write(doc, replace(result, text=doc.text))
        if status is Status.CONFLICT:
            self.fail(conflict_error(doc), doc.id, doc.size)
        elif status is Status.DONE:
            self.skip(doc.size)
        else:
            words = int(result.profile.get("words", 0))
            self.summary.analysed += 1
            self.summary.words += words
            self.progress.advance(doc.size, words, self.summary)


def input_bytes(inputs: Sequence[Path]) -> int:
    total = 0
    for path in inputs:
        if path.is_dir():
            for dirpath, _, names in os.walk(path):
                total += sum(_size(Path(dirpath) / n) for n in names)
        else:
            total += _size(path)
    return total


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def run_batch(
    options: BatchOptions,
    *,
    progress: Progress | None = None,
    pipeline: Pipeline | None = None,
) -> Summary:
    """Analyse every document of ``options.inputs`` not yet stored; see the module."""
    check_inputs(options.inputs, text_col=options.text_col, id_col=options.id_col)
    if options.workers < 1:
        raise PropscopeError(
            Code.BAD_OPTION, f"--workers must be at least 1, not {options.workers}"
        )
    database = open_database(options.db)
    progress = progress or Progress()
    try:
        if options.workers == 1:
            # spans are stored down to the sensitive point, whatever pipeline is given
            pipeline = (pipeline or load(options.model)).using(sensitivity=STORE_SENSITIVITY)
            return _run(options, database, progress, _InProcess(pipeline))
        with _Pool(options.model, options.workers) as pool:
            return _run(options, database, progress, pool)
    finally:
        database.close()


def _run(options: BatchOptions, database: Database, progress: Progress, engine: _Engine) -> Summary:
    writer = Writer(
        database,
        engine.info(),
        force=options.force,
        engine="local",
        inputs=[str(p) for p in options.inputs],
    )
    summary = Summary(run_id=writer.run_id)
    record = Recorder(writer, summary, progress)
    t0 = time.perf_counter()
    progress.start(input_bytes(options.inputs))

    pending: dict[str, str] = {}  # id -> sha256 of documents read and not yet stored

    def todo() -> Iterator[Document]:
        items = read_documents(
            options.inputs,
            text_col=options.text_col,
            id_col=options.id_col,
            max_bytes=options.max_bytes,
        )
        for item in items:
            summary.documents += 1
            if isinstance(item, InputProblem):
                record.fail(item.error, item.doc_id, item.size)
                continue
            sha = item.sha256
            if item.id in pending:
                status = Status.DONE if pending[item.id] == sha else Status.CONFLICT
            else:
                status = writer.status(item.id, sha)
            if status is Status.DONE:
                record.skip(item.size)
            elif status is Status.CONFLICT:
                record.fail(conflict_error(item), item.id, item.size)
            else:
                pending[item.id] = sha
                yield item

    try:
        for doc, result in engine.analyse(todo()):
            pending.pop(doc.id, None)
            record.store(doc, result)
    finally:
        summary.seconds = time.perf_counter() - t0
        progress.stop()
    writer.finish(summary.counts())
    return summary


# -- engines: where the analysis runs ----------------------------------------------------

Result = Analysis | PropscopeError


class _Engine(Protocol):
    def info(self) -> Any: ...

    def analyse(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Result]]: ...


def analyse_one(pipeline: Pipeline, doc: Document) -> Result:
    """One document's analysis, its text left out (the caller has it); a failure is an error
    record for this document, never the end of the run."""
    try:
        (analysis,) = pipeline.pipe([(doc.id, doc.text)])
    except PropscopeError as exc:
        return exc
    except Exception as exc:  # a bug must not lose the rest of the corpus
        return PropscopeError(
            Code.ANALYSIS_FAILED,
            f"the analysis failed: {type(exc).__name__}: {exc}",
            path=doc.where,
        )
    return replace(analysis, text="")


class _InProcess:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def info(self) -> Any:
        return self.pipeline.info

    def analyse(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        for doc in docs:
            yield doc, analyse_one(self.pipeline, doc)


_worker_pipeline: Pipeline | None = None


def _worker_init(model: str | None) -> None:
    global _worker_pipeline
    _exit_with_parent()
    os.environ.setdefault("PROPSCOPE_THREADS", "1")
    _worker_pipeline = load(model, sensitivity=STORE_SENSITIVITY)


def _exit_with_parent(poll_s: float = 0.5) -> None:
    """A worker ends when the run that started it is gone (killed with SIGKILL, say): it
    must not live on holding memory and a model."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        os._exit(1)

    threading.Thread(target=watch, name="propscope-parent-watch", daemon=True).start()


def _worker_info() -> Any:
    assert _worker_pipeline is not None
    return _worker_pipeline.info


def _worker_run(docs: list[Document]) -> list[Result]:
    assert _worker_pipeline is not None
    return [analyse_one(_worker_pipeline, doc) for doc in docs]


class _Pool:
    """``workers`` processes (spawned: nothing of this process's state is shared), each
    loading the model once; tasks of a few documents, at most a few per worker in flight."""

    def __init__(self, model: str | None, workers: int) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=get_context("spawn"),
            initializer=_worker_init,
            initargs=(model,),
        )

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def info(self) -> Any:
        return self.pool.submit(_worker_info).result()

    def analyse(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        flight: deque[tuple[list[Document], Future[list[Result]]]] = deque()
        limit = self.workers * IN_FLIGHT_PER_WORKER
        for chunk in _chunks(docs, BATCH_CHARS):
            if len(flight) >= limit:
                yield from _collect(*flight.popleft())
            flight.append((chunk, self.pool.submit(_worker_run, chunk)))
        while flight:
            yield from _collect(*flight.popleft())


def _collect(
    chunk: list[Document], future: Future[list[Result]]
) -> Iterator[tuple[Document, Result]]:
    try:
        results = future.result()
    except Exception as exc:  # a worker died: these documents are errors, the run goes on
        err = f"a worker process failed: {type(exc).__name__}: {exc}"
        results = [PropscopeError(Code.ANALYSIS_FAILED, err, path=d.where) for d in chunk]
    yield from zip(chunk, results, strict=True)


def _chunks(docs: Iterable[Document], max_chars: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    chars = 0
    for doc in docs:
        if chunk and chars + len(doc.text) > max_chars:
            yield chunk
            chunk, chars = [], 0
        chunk.append(doc)
        chars += len(doc.text)
    if chunk:
        yield chunk
