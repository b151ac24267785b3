"""Where the API's analyses run: at most ``slots`` at once, none queued, each within a budget.

* ``ProcessRunner`` (``executor = "process"``, what ``propscope serve`` uses): one worker
  process per slot, each loading the model once, at start. The server's own process only
  reads requests and writes answers (the workers send the analysis JSON already encoded), so
  health checks and refusals never wait for the CPU-bound analyses: no GIL is shared, and the
  workers run at a lower scheduling priority (``WORKER_NICE``). An analysis past its budget is
  stopped: its worker is killed and a new one started (its slot is back once that one has
  loaded the model).
* ``ThreadRunner`` (``executor = "thread"``, and any app given a pipeline object, as the
  tests do): the pipeline in-process, one thread per slot. Past its budget the caller gets the
  error at once, but a thread cannot be stopped: the analysis keeps its slot until it ends.

Both run the same ``run_job``, so their answers are the same bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Literal, Protocol, Union

from propscope.errors import Code, PropscopeError
from propscope.types import ModelInfo
from propscope.web.errors import ApiError

if TYPE_CHECKING:
    from propscope.corpus.url import Fetched
    from propscope.explain import ExplainQuery
    from propscope.pipeline import Pipeline

log = logging.getLogger("propscope.web")

WORKER_NICE = 10  # added to the workers' nice value: the server's own process answers first
START_TIMEOUT_S = 300.0  # for a worker to load the model
WARM_UP = "The council said on Tuesday that 3,400 residents signed the petition."


JobKind = Literal["text", "html", "page", "batch", "explain"]
JobContent = Union[str, bytes, "Fetched", tuple[str, ...], "ExplainQuery"]


@dataclass(frozen=True)
class Job:
    """One request's analysis: a text, an HTML page, a fetched page, or a batch of texts,
    with the thresholds the request chose (None: the server's)."""

    kind: JobKind
    content: JobContent
    sensitivity: str | None = None
    min_score: float | None = None
    claims_threshold: float | None = None


def encode(content: Any) -> bytes:
    """JSON as Starlette's ``JSONResponse`` writes it."""
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def run_job(pipeline: Pipeline, job: Job) -> bytes:
    """The response body of ``job``: the analysis JSON, or ``{"analyses": [...]}``."""
    p = pipeline.using(
        sensitivity=job.sensitivity,
        min_score=job.min_score,
        claims_threshold=job.claims_threshold,
    )
    if job.kind == "explain":
        from propscope.explain import ExplainQuery

        assert isinstance(job.content, ExplainQuery)
        q = job.content
        return encode(p.explain(q.text, q.start, q.end, q.technique).to_dict())
    if job.kind == "batch":
        assert isinstance(job.content, tuple)
        return encode({"analyses": [a.to_dict() for a in p.pipe(job.content)]})
    if job.kind == "text":
        assert isinstance(job.content, str)
        return encode(p.analyze(job.content).to_dict())
    if job.kind == "html":
        assert isinstance(job.content, str | bytes)
        return encode(p.analyze_html(job.content).to_dict())
    from propscope.corpus.url import Fetched

    assert isinstance(job.content, Fetched)
    return encode(p.analyze_fetched(job.content).to_dict())


def busy_error(slots: int, retry_after_s: int) -> ApiError:
    return ApiError(
        503,
        Code.BUSY,
        f"the server is busy ({slots} analyses running); retry in {retry_after_s} s",
        headers={"Retry-After": str(retry_after_s)},
    )


def budget_error(budget_s: float) -> ApiError:
    return ApiError(
        422,
        Code.ANALYSIS_TIMEOUT,
        f"the analysis took longer than this server's budget of {budget_s:g} s "
        "(analysis_budget_s); send a shorter text",
    )


class Runner(Protocol):
    info: ModelInfo
    slots: int

    def free_slots(self) -> int: ...

    async def run(self, job: Job) -> bytes: ...

    def close(self) -> None: ...


class Limiter:
    """At most ``slots`` holders at once; one more is refused, never queued. A lock and a
    counter, not an asyncio primitive: tests take slots from their own thread."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._lock = threading.Lock()
        self._taken = 0

    def try_acquire(self) -> bool:
        with self._lock:
            if self._taken >= self.slots:
                return False
            self._taken += 1
            return True

    def release(self) -> None:
        with self._lock:
            if self._taken <= 0:
                raise ValueError("released more slots than were taken")
            self._taken -= 1

    def free(self) -> int:
        with self._lock:
            return self.slots - self._taken


class ThreadRunner:
    def __init__(self, pipeline: Pipeline, slots: int, budget_s: float, retry_after_s: int) -> None:
        self.pipeline = pipeline
        self.info = pipeline.info
        self.slots = slots
        self.budget_s = budget_s
        self.retry_after_s = retry_after_s
        self.limiter = Limiter(slots)
        self._pool: ThreadPoolExecutor | None = None  # made at the first job (again after close)

    def free_slots(self) -> int:
        return self.limiter.free()

    async def run(self, job: Job) -> bytes:
        if not self.limiter.try_acquire():
            raise busy_error(self.slots, self.retry_after_s)

        def call() -> bytes:
            try:
                return run_job(self.pipeline, job)
            finally:
                self.limiter.release()

        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.slots, thread_name_prefix="propscope-analysis")
        try:
            future = asyncio.get_running_loop().run_in_executor(self._pool, call)
        except BaseException:
            self.limiter.release()
            raise
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.budget_s)
        except TimeoutError:
            raise budget_error(self.budget_s) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


# --- worker processes ---------------------------------------------------------------------


def worker_main(conn: Connection, model: str | None, facts: bool) -> None:
    """A worker: load the model, say ``("ready", name, version)``, then answer each job with
    ``("ok", body)``, ``("error", code, message, path, line, byte)`` or ``("fail", text)``.
    Ends when the server closes its end of the pipe (the server stopped or died)."""
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICE)
    from propscope.pipeline import load

    try:
        pipeline = load(model, facts=facts)
        pipeline.analyze(WARM_UP)
    except PropscopeError as exc:
        conn.send(("error", exc.code.value, exc.message, exc.path, exc.line, exc.byte))
        return
    conn.send(("ready", pipeline.info.name, pipeline.info.version))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send_bytes(b"o" + run_job(pipeline, job))
        except PropscopeError as exc:
            conn.send_bytes(
                b"e" + encode([exc.code.value, exc.message, exc.path, exc.line, exc.byte])
            )
        except Exception as exc:  # the server logs it and answers 500
            conn.send_bytes(b"f" + f"{type(exc).__name__}: {exc}".encode())


class _Worker:
    def __init__(self, ctx: Any, model: str | None, facts: bool) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=worker_main,
            args=(child, model, facts),
            daemon=True,
            name="propscope-analysis",
        )
        self.process.start()
        child.close()

    def ready(self, timeout_s: float) -> ModelInfo:
        """Wait for the model to load (blocking); E020 where it failed."""
        if not self.conn.poll(timeout_s):
            self.kill()
            raise PropscopeError(
                Code.BAD_MODEL, f"a worker did not load the model in {timeout_s:g} s"
            )
        try:
            msg = self.conn.recv()
        except EOFError:
            self.kill()
            raise PropscopeError(
                Code.BAD_MODEL, "a worker stopped while loading the model"
            ) from None
        if msg[0] == "error":
            self.kill()
            raise PropscopeError(Code(msg[1]), msg[2], path=msg[3], line=msg[4], byte=msg[5])
        return ModelInfo(msg[1], msg[2])

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
        self.conn.close()


async def _readable(conn: Connection, timeout_s: float) -> None:
    """Wait, without a thread, until ``conn`` has data (or its other end closed)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout_s)
    finally:
        loop.remove_reader(fd)


class ProcessRunner:
    def __init__(
        self,
        model: str | None,
        slots: int,
        budget_s: float,
        retry_after_s: int,
        *,
        facts: bool = True,
    ) -> None:
        self.model = model
        self.facts = facts
        self.slots = slots
        self.budget_s = budget_s
        self.retry_after_s = retry_after_s
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._lock = threading.Lock()  # _idle is appended to by those threads
        self._closed = False
        workers = [_Worker(self._ctx, model, facts) for _ in range(slots)]
        try:
            infos = [w.ready(START_TIMEOUT_S) for w in workers]
        except BaseException:
            for w in workers:
                w.kill()
            raise
        self.info = infos[0]
        self._idle = workers

    def free_slots(self) -> int:
        return len(self._idle)

    async def run(self, job: Job) -> bytes:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
            if worker is not None:
                self._busy.add(worker)
        if worker is None:
            raise busy_error(self.slots, self.retry_after_s)
        healthy = False
        try:
            worker.conn.send(job)
            await _readable(worker.conn, self.budget_s)
            data: bytes = worker.conn.recv_bytes()
            healthy = True
        except TimeoutError:
            raise budget_error(self.budget_s) from None
        except (EOFError, OSError):
            log.error("an analysis worker stopped (exit code %s)", worker.process.exitcode)
            raise ApiError(
                503,
                Code.BUSY,
                f"the analysis worker stopped; retry in {self.retry_after_s} s",
                headers={"Retry-After": str(self.retry_after_s)},
            ) from None
        finally:
            with self._lock:
                self._busy.discard(worker)
                if healthy and not self._closed:
                    self._idle.append(worker)
                elif healthy:
                    worker.stop()
            if not healthy:  # past its budget, its request cancelled, or dead: another one
                self._replace(worker)
        kind, body = data[:1], data[1:]
        if kind == b"o":
            return body
        if kind == b"e":
            code, message, path, line, byte = json.loads(body)
            raise PropscopeError(Code(code), message, path=path, line=line, byte=byte)
        raise RuntimeError(f"analysis failed in a worker: {body.decode()}")

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in a thread of its own (not a task of the event
        loop: the replacement must not depend on the loop that saw the failure)."""
        thread = threading.Thread(
            target=self._restart, args=(worker,), daemon=True, name="propscope-restart"
        )
        thread.start()

    def _restart(self, old: _Worker) -> None:
        old.kill()
        if self._closed:
            return
        new = _Worker(self._ctx, self.model, self.facts)
        try:
            new.ready(START_TIMEOUT_S)
        except PropscopeError:
            log.exception("a new analysis worker could not load the model")
            return
        with self._lock:
            if self._closed:
                new.stop()
            else:
                self._idle.append(new)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = [*self._idle, *self._busy]
            self._idle.clear()
            self._busy.clear()
        for w in workers:
            w.stop()


def make_runner(
    executor: str,
    model: str | None,
    slots: int,
    budget_s: float,
    retry_after_s: int,
    pipeline: Pipeline | None,
) -> ThreadRunner | ProcessRunner:
    """The runner the settings ask for; a pipeline object given by the caller runs in
    threads (it cannot be sent to another process)."""
    if pipeline is not None or executor == "thread":
        if pipeline is None:
            from propscope.pipeline import load

            pipeline = load(model)
            pipeline.analyze(WARM_UP)
        return ThreadRunner(pipeline, slots, budget_s, retry_after_s)
    return ProcessRunner(model, slots, budget_s, retry_after_s)
