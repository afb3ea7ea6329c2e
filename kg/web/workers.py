"""Run visitors' queries in worker processes that are killed at the deadline.

``pyoxigraph.Store.query`` has no timeout and no cancel: once started, a query runs
to its end, however long. The only way to stop spending CPU on it is to stop the
process running it. So every visitor's query (``/sparql`` and ``/api/queries``)
runs in one of a small pool of worker processes, each with the store opened
read-only. At the deadline the server kills that worker, answers the client with a
time-out error and starts a replacement in the background; the other workers keep
answering meanwhile, so one heavy query never stalls the rest.

Workers are started with ``spawn`` (a fork of a threaded server can deadlock). An
on-disk or remote store is opened again by location; an in-memory store is copied to
the workers once, as N-Triples per named graph.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import queue
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import anyio.to_thread

from kg.errors import KgError, NotFoundError, ParseError, QueryError, StoreError
from kg.queries import format_result, run_query
from kg.store import MEMORY, EmbeddedGraphStore, GraphStore, open_store
from kg.web.results import Answer, serialize_answer

_START_TIMEOUT = 60.0
_RESPAWN_ATTEMPTS = 8
_LOG = logging.getLogger("kg.web")
_ERRORS: dict[str, type[KgError]] = {
    "QueryError": QueryError,
    "NotFoundError": NotFoundError,
    "ParseError": ParseError,
}


class QueryTimeoutError(KgError):
    """A query ran past the time limit and was stopped (HTTP 503)."""

    def __init__(self, seconds: float, *, busy: bool = False) -> None:
        self.seconds = seconds
        if busy:
            super().__init__("query: too many queries are waiting", "Try again in a moment")
            return
        super().__init__(
            f"query: stopped after the time limit of {seconds:g} s",
            "Narrow it down (a LIMIT, more specific patterns) or run it on a copy of the dumps",
        )


@dataclass(frozen=True, slots=True)
class Job:
    """One query for a worker: ad-hoc SPARQL (``kind="sparql"``) or a stored query by name."""

    kind: str
    text: str
    media_type: str
    params: tuple[tuple[str, str], ...] = ()
    union: bool = True
    page: int = 1


@dataclass(frozen=True, slots=True)
class StoreSource:
    """How a worker opens the store: a location, or a file of graphs for a memory store."""

    location: str
    snapshot: Path | None = None


def snapshot_source(store: GraphStore, folder: Path) -> StoreSource:
    """Describe how workers reach ``store``, copying a memory store's graphs into ``folder``.

    Raises:
        StoreError: if the store cannot be read.
    """
    if store.location != MEMORY:
        return StoreSource(store.location)
    graphs = {name: store.graph_ntriples(name) for name in store.graph_names()}
    path = folder / "graphs.pickle"
    path.write_bytes(pickle.dumps(graphs))
    return StoreSource(MEMORY, path)


def _open(source: StoreSource) -> GraphStore:
    if source.snapshot is None:
        return open_store(source.location, read_only=True)
    store = open_store(None)
    store.replace_graphs(pickle.loads(source.snapshot.read_bytes()))
    return store


def _execute(store: GraphStore, job: Job, max_rows: int, prefixes: dict[str, str]) -> Answer:
    if isinstance(store, EmbeddedGraphStore):
        store.refresh()
    if job.kind == "stored":
        result = run_query(store, job.text, dict(job.params), page=job.page)
        # A paged query's answer is truncated when more pages follow.
        more = result.next_page is not None
        if job.media_type == "text/csv":
            body = format_result(result, "csv").encode()
            return Answer(job.media_type, body, len(result.rows), more)
        return Answer(job.media_type, result.json, len(result.rows), more)
    answer = store.query(job.text, use_default_graph_as_union=job.union)
    return serialize_answer(answer, job.media_type, max_rows, prefixes)


def _worker_main(
    conn: Connection, source: StoreSource, max_rows: int, prefixes: dict[str, str]
) -> None:
    """The body of a worker process: open the store, then answer jobs until the pipe closes."""
    try:
        store = _open(source)
    except KgError as e:
        conn.send(("error", type(e).__name__, str(e)))
        return
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", _execute(store, job, max_rows, prefixes))
        except KgError as e:
            reply = ("error", type(e).__name__, str(e))
        conn.send(reply)


class _Expired(Exception):
    """The worker did not answer before the deadline."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def call(self, job: Job, timeout: float) -> tuple[Any, ...]:
        self.conn.send(job)
        if not self.conn.poll(max(timeout, 0.0)):
            raise _Expired
        reply: tuple[Any, ...] = self.conn.recv()
        return reply

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _reply_error(kind: str, message: str) -> KgError:
    """Rebuild a worker's error with its type and message (their constructors differ)."""
    cls = _ERRORS.get(kind, StoreError)
    error = cls.__new__(cls)
    KgError.__init__(error, message)
    return error


class WorkerPool:
    """A fixed number of query workers; a killed one is replaced in the background.

    The pool is driven from threads (:meth:`run` hands the blocking wait to a worker
    thread), so it is not bound to one event loop and a request the client abandons
    still returns or replaces its worker when the query ends or its deadline passes.
    """

    def __init__(
        self,
        source: StoreSource,
        size: int,
        max_rows: int,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        self.source = source
        self.size = max(1, size)
        self.max_rows = max_rows
        self.prefixes = dict(prefixes or {})
        self.max_waiting = 8 * self.size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._waiting = 0
        self._started = False
        self._closed = False

    def _spawn(self) -> _Worker:
        """Start one worker and wait until its store is open."""
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_worker_main,
            args=(child, self.source, self.max_rows, self.prefixes),
            name="kg-query-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            if not parent.poll(_START_TIMEOUT):
                raise StoreError(self.source.location, "a query worker did not start in time")
            message = parent.recv()
        except (EOFError, OSError) as e:
            worker.stop()
            raise StoreError(self.source.location, f"a query worker stopped at start: {e}") from e
        except StoreError:
            worker.stop()
            raise
        if message[0] != "ready":
            worker.stop()
            raise _reply_error(message[1], message[2])
        return worker

    def start(self) -> None:
        """Start every worker (once, in parallel); returns when all have opened the store.

        Raises:
            StoreError: if a worker cannot open the store.
        """
        with self._lock:
            if self._started:
                return
            self._started = True
            started: list[_Worker] = []
            failures: list[KgError] = []

            def spawn_one() -> None:
                try:
                    started.append(self._spawn())
                except KgError as e:
                    failures.append(e)

            threads = [threading.Thread(target=spawn_one) for _ in range(self.size)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if failures:
                for worker in started:
                    worker.stop()
                self._started = False
                raise failures[0]
            for worker in started:
                self._all.add(worker)
                self._idle.put(worker)

    async def run(self, job: Job, timeout: float) -> Answer:
        """Run ``job`` within ``timeout`` seconds in all, waiting for a free worker included.

        Raises:
            QueryTimeoutError: if no answer came in time; the worker is killed.
            QueryError, NotFoundError: as the query raised them in the worker.
            StoreError: if the worker died, the store failed or too many queries wait.
        """
        return await anyio.to_thread.run_sync(
            self.run_blocking, job, timeout, abandon_on_cancel=True
        )

    def run_blocking(self, job: Job, timeout: float) -> Answer:
        """:meth:`run` for a thread; see there."""
        self.start()
        deadline = time.monotonic() + timeout
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise QueryTimeoutError(0, busy=True)
            self._waiting += 1
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as e:
            raise QueryTimeoutError(timeout) from e
        finally:
            with self._lock:
                self._waiting -= 1
        try:
            reply = worker.call(job, deadline - time.monotonic())
        except _Expired as e:
            self._replace(worker)
            raise QueryTimeoutError(timeout) from e
        except (EOFError, OSError) as e:
            self._replace(worker)
            raise StoreError("query worker", f"the worker stopped: {e}", "Try again") from e
        self._idle.put(worker)
        if reply[0] == "ok":
            answer: Answer = reply[1]
            return answer
        raise _reply_error(reply[1], reply[2])

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now and start its successor without making anyone wait for it."""
        worker.process.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
        threading.Thread(target=self._respawn, args=(worker,), daemon=True).start()

    def _respawn(self, old: _Worker) -> None:
        old.stop()
        for attempt in range(_RESPAWN_ATTEMPTS):
            if self._closed:
                return
            try:
                worker = self._spawn()
            except KgError as e:
                _LOG.warning("query worker could not start (attempt %d): %s", attempt + 1, e)
                time.sleep(min(2**attempt, 30))
                continue
            with self._lock:
                if not self._closed:
                    self._all.add(worker)
                    self._idle.put(worker)
                    return
            worker.stop()
            return
        _LOG.error("query worker not replaced after %d attempts", _RESPAWN_ATTEMPTS)

    def close(self) -> None:
        """Stop every worker; replacements that finish starting later stop themselves."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A folder for a memory store's snapshot, removed when the server stops."""
    return tempfile.TemporaryDirectory(prefix="kg-serve-")
