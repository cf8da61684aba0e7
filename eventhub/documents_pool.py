"""A warm pool of processes that render the chunks of a bulk document (badges), kept per process.

WeasyPrint is CPU-bound Python, so a bulk document's chunks are rendered by DOCUMENT_PROCESSES
processes at once. Starting them for every job cost about 1 s of interpreter and imports, then the
fonts and stylesheets again in each, before the first page. The pool is therefore created on first
use and kept:

- Its workers are forked from the renderer's forkserver (certificates/isolation.py: single-threaded,
  WeasyPrint imported, fonts loaded; the parent's `__main__` not imported), never from this process,
  which holds threads and database connections. Each runs the warm-ups it is given once (imports,
  fonts, parsed stylesheets), so that a job's first chunk starts warm.
- `ordered_map` keeps a few chunks in flight per worker and yields the results in order as they
  arrive: the caller merges chunk i while the workers render the next ones.
- A worker that dies (killed, out of memory) breaks the pool: it is replaced by a new one and the
  chunks not yet delivered are rendered again, once; a second break raises `WorkersStopped`.
- The pool is shut down when it has been idle for IDLE_SECONDS (its workers hold a hundred MB or two
  each), at exit, and forgotten (not used) in a child forked from this process. A worker whose
  parent has gone ends by itself (a web worker may end with os._exit, without atexit).

Pure of Flask and the database.
"""

from __future__ import annotations

import atexit
import collections
import importlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

IDLE_SECONDS = 600.0  # an unused pool is shut down after this long
IN_FLIGHT = 2  # chunks submitted per worker ahead of the one being merged
_WATCH_SECONDS = 1.0  # how often a worker checks that its parent is alive


_POOLS: list[DocumentPool] = []  # every pool of this process: shut down at exit, forgotten after a fork


class WorkersStopped(RuntimeError):
    """The pool's workers died twice during one map (the caller says so in its own words)."""


def chunk_size(total: int, processes: int, *, largest: int, smallest: int = 1, multiple: int = 1,
               fixed: float = 1.0) -> int:
    """Items per chunk: `largest` with one process (memory stays bounded). With several, chunks of a
    multiple of `multiple`, at least `smallest` (a document's fixed cost, `fixed` items' worth, stays
    small), enough that each process gets four or more when there are items enough, and of the size
    whose chunks, handed out in turn to the process that is free, keep the processes busy to the end
    (the last round is not one chunk alone while the others idle); the larger of equals."""
    if processes <= 1 or total <= 0:
        return largest

    def finish(size: int) -> float:  # when the last process is done, in items' worth of work
        loads = [0.0] * processes
        for start in range(0, total, size):
            loads[loads.index(min(loads))] += min(size, total - start) + fixed
        return max(loads)

    largest = max(multiple, largest // multiple * multiple)
    low = min(largest, max(multiple, -(-smallest // multiple) * multiple))
    high = max(low, min(largest, -(-total // (processes * 4))) // multiple * multiple)
    return min(range(low, high + 1, multiple), key=lambda size: (finish(size), -size))


# --- the workers -----------------------------------------------------------------------------------


NICENESS = 5  # below the web workers: a bulk print never slows the gate's answers (as certificates' children)


def _initialize(parent_pid: int, warmups: Sequence[str]) -> None:
    os.nice(NICENESS)
    threading.Thread(target=_watch, args=(parent_pid,), name="eventhub-pool-watch", daemon=True).start()
    for name in warmups:
        try:
            module, _, function = name.partition(":")
            getattr(importlib.import_module(module), function)()
        except Exception:  # a worker that starts cold still works
            log.exception("Could not warm up a document worker with %s", name)


def _watch(owner: int) -> None:
    """Ends this worker when the process that owns the pool is gone (or a zombie), or when the
    forkserver it was forked from has ended (it does when its owners have)."""
    forkserver = os.getppid()
    while True:
        time.sleep(_WATCH_SECONDS)
        if os.getppid() != forkserver or not _alive(owner):
            os._exit(0)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True


def _ping() -> int:
    return os.getpid()


# --- the pool --------------------------------------------------------------------------------------


class DocumentPool:
    """`context()`: the multiprocessing context its workers start from (the owner's: badges fork them from
    the certificates' warm forkserver); a plain forkserver when none is given."""

    def __init__(self, warmups: Sequence[str] = (), context: Callable[[], Any] | None = None):
        self.warmups = tuple(warmups)
        self.context = context or (lambda: multiprocessing.get_context("forkserver"))
        self._reset()
        _POOLS.append(self)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._size = 0
        self._users = 0
        self._idle_timer: threading.Timer | None = None
        self._owner = os.getpid()
        self.started = 0  # executors created in this process (tests, benchmarks)

    def _forget_after_fork(self) -> None:
        """In a child forked from this process: the parent's pool is not ours (its threads are not
        here); a new one is made on first use."""
        self._reset()

    def _executor_for(self, processes: int) -> ProcessPoolExecutor:
        """The pool (with at least `processes` workers), made now if there is none. Holds the lock."""
        executor = self._executor
        if executor is not None and (self._size < processes or getattr(executor, "_broken", False)):
            executor.shutdown(wait=False)  # chunks already handed to it are still rendered
            executor = None
        if executor is None:
            executor = ProcessPoolExecutor(processes, mp_context=self.context(), initializer=_initialize,
                                           initargs=(os.getpid(), self.warmups))
            self._executor, self._size = executor, processes
            self.started += 1
        return executor

    @contextmanager
    def using(self, processes: int):
        """The executor, kept from being shut down for idleness while in use."""
        with self._lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
            self._users += 1
            executor = self._executor_for(processes)
        try:
            yield executor
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._executor is not None and self._owner == os.getpid():
                    self._idle_timer = threading.Timer(IDLE_SECONDS, self._idle, args=(self._executor,))
                    self._idle_timer.daemon = True
                    self._idle_timer.start()

    def _idle(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._users or self._executor is not executor:
                return
            self._executor, self._idle_timer = None, None
        executor.shutdown(wait=True)

    def discard(self, executor: ProcessPoolExecutor) -> None:
        """Drops a broken executor (if it is still the pool's); the next use makes a new one."""
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def warm(self, processes: int) -> None:
        """Starts the workers now (and waits for their warm-ups), rather than at the first job."""
        with self.using(processes) as executor:
            # Each worker runs its warm-ups before its first task; enough tasks to start them all.
            for future in [executor.submit(_ping) for _ in range(processes * 2)]:
                future.result()

    def worker_pids(self) -> list[int]:
        executor = self._executor
        return sorted(getattr(executor, "_processes", None) or {}) if executor is not None else []

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
        if executor is not None and self._owner == os.getpid():
            executor.shutdown(wait=True, cancel_futures=True)

    def ordered_map(self, function: Callable, items: Iterable, processes: int, *args) -> Iterator:
        """`function(item, *args)` for every item, by `processes` workers; the results in order, each
        as soon as it and those before it are done. A worker that dies is replaced and what was not
        yet delivered is rendered again, once; then `WorkersStopped`."""
        items = list(items)
        delivered = 0
        for attempt in (1, 2):
            with self.using(processes) as executor:
                pending: collections.deque[Future] = collections.deque()
                submitted = delivered
                try:
                    while delivered < len(items):
                        while submitted < len(items) and len(pending) < processes * IN_FLIGHT:
                            pending.append(executor.submit(function, items[submitted], *args))
                            submitted += 1
                        result = pending.popleft().result()
                        delivered += 1
                        yield result
                    return
                except BrokenProcessPool as exc:
                    for future in pending:
                        future.cancel()
                    self.discard(executor)
                    log.warning("A document worker died (%s); %s", exc,
                                "starting new workers" if attempt == 1 else "giving up")
                    if attempt == 2:
                        raise WorkersStopped(str(exc)) from exc
                finally:
                    for future in pending:
                        future.cancel()




def _shutdown_all() -> None:
    for pool in _POOLS:
        try:
            pool.shutdown()
        except Exception:  # at exit: say it, do not stop the other clean-ups
            log.exception("Could not shut down a document pool")


atexit.register(_shutdown_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: [pool._forget_after_fork() for pool in _POOLS])
