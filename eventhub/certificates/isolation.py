"""Certificate templates are code that organizers write: every certificate PDF (previews, the save
check, issuing jobs, a download rendered on demand) is made in a child process with limits, so that a
template which slips past the sandbox's bounds costs one child, never a web worker or a job worker.

- The child is forked from a forkserver (started once per process that renders, single-threaded,
  importing only WeasyPrint, the sandbox and their data; `warmup` loads the fonts once), not from the
  web process: forking a process that holds threads and database connections is unsafe, and a fresh
  interpreter ("spawn") costs about 2.4 s of imports and font loading for every preview.
- In the child: an address-space limit (RLIMIT_AS, so a huge allocation fails with MemoryError), a CPU
  limit (RLIMIT_CPU: SIGXCPU, then SIGKILL a second later), no core files, a lower priority (nice 5), so
  that the web workers stay responsive while it works.
- In the parent: a wall-clock limit; a child still running then is killed. Whatever happens, the
  caller gets the result or `TemplateRefused` with a problem of a kind organizers read (TIME, MEMORY,
  CRASHED), never a 500.

Pure of Flask and the database; the limits come from the caller (`limits_from(config)`).
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import multiprocessing.context
import os
import resource
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import set_spawning_popen

from . import rendering, sandbox

log = logging.getLogger(__name__)
MB = 2**20
TIME, MEMORY, CRASHED, SLOW = "time", "memory", "crashed", "slow"  # kinds of sandbox.Problem
NICENESS = 5  # the web workers first; 10 starved legitimate renders at a load of 11 on 2 cores


@dataclass(frozen=True)
class Limits:
    """What one child may use. A batch of n certificates gets `cpu_seconds + n * per_certificate`
    of CPU, and `wall_seconds + 3 * n * per_certificate` of wall-clock time (a loaded machine gives a
    niced child less than a core)."""

    memory_mb: int = 1024  # the largest legitimate batch (100, A4 background) peaks at 342 MB
    cpu_seconds: int = 5  # a preview takes 0.2-0.5 s
    wall_seconds: float = 20  # a preview: 26 s, under gunicorn's 30 s
    per_certificate: float = 1.0  # 35 ms each in a batch of 100

    def for_batch(self, count: int) -> tuple[int, float]:
        """(CPU seconds, wall-clock seconds) for a batch of `count` certificates."""
        cpu = int(self.cpu_seconds + self.per_certificate * count + 0.999)
        return cpu, self.wall_seconds + 3 * self.per_certificate * count


def limits_from(config) -> Limits:
    """The limits set in the app's configuration (CERTIFICATE_RENDER_*), or the defaults."""
    return Limits(
        memory_mb=int(config.get("CERTIFICATE_RENDER_MEMORY_MB", Limits.memory_mb)),
        cpu_seconds=int(config.get("CERTIFICATE_RENDER_CPU_SECONDS", Limits.cpu_seconds)),
        wall_seconds=float(config.get("CERTIFICATE_RENDER_TIMEOUT", Limits.wall_seconds)),
        per_certificate=float(config.get("CERTIFICATE_RENDER_SECONDS_EACH", Limits.per_certificate)),
    )


# --- the parent -----------------------------------------------------------------------------------

_context_lock = threading.Lock()
_context = None


class _Popen(popen_forkserver.Popen):
    """The forkserver's way of starting a child (popen_forkserver.Popen._launch of Python 3.11-3.13),
    less one step: the child does not import the parent's `__main__` (gunicorn's, celery's or
    pytest's script) – it needs only the renderer."""

    def _launch(self, process_obj):
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Child(multiprocessing.context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


class _PoolContext(multiprocessing.context.ForkServerContext):
    """For documents_pool.py: workers forked from the same warm forkserver, which do not import the
    parent's `__main__` either. No limits here: they render the project's own templates (badges), not
    an organizer's."""

    Process = _Child


_pool_context = _PoolContext()


def pool_context():
    _forkserver()  # its preload: the renderer, warm
    return _pool_context


def _forkserver():
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            # Only what rendering needs (not '__main__', which is gunicorn's or pytest's script).
            context.set_forkserver_preload(["eventhub.certificates.warmup"])
            _context = context
        return _context


def run(function, *args, limits: Limits, count: int = 1):
    """`function(*args)` in a child within `limits` (sized for `count` certificates): its result, or
    TemplateRefused for a template refused in the child or a child that ran out of time or memory."""
    cpu, wall = limits.for_batch(count)
    context = _forkserver()
    reader, writer = context.Pipe(duplex=False)
    child = _Child(
        target=_child, args=(writer, limits.memory_mb * MB, cpu, function, args), daemon=True
    )
    started = time.monotonic()
    child.start()
    writer.close()
    outcome = None
    try:
        if reader.poll(wall):
            outcome = reader.recv()
    except (EOFError, OSError):
        outcome = None  # it died while writing; the exit code says why
    finally:
        reader.close()
        if outcome is not None:
            child.join(5)
        if child.is_alive():
            child.kill()
        child.join()
    elapsed = time.monotonic() - started
    if outcome is None:
        return _died(child.exitcode, elapsed, cpu, wall, limits)
    status, value = outcome
    if status == "ok":
        return value
    if status == "refused":
        raise sandbox.TemplateRefused(value)
    if status == "memory":
        raise _refused(MEMORY, f"the certificate needed more than {limits.memory_mb} MB of memory")
    log.warning("A certificate could not be rendered: %s", value)
    raise _refused(CRASHED, f"the certificate could not be rendered: {value}")


def _refused(kind: str, message: str) -> sandbox.TemplateRefused:
    return sandbox.TemplateRefused([sandbox.Problem(message, kind=kind)])


def _died(exitcode, elapsed: float, cpu: int, wall: float, limits: Limits):
    if exitcode in (-signal.SIGXCPU, -signal.SIGKILL) or elapsed >= wall:
        log.warning("A certificate render was stopped after %.1f s (exit code %s)", elapsed, exitcode)
        raise _refused(TIME, f"the certificate took longer than {min(cpu, wall):g} seconds to render")
    log.warning("A certificate render died (exit code %s)", exitcode)
    raise _refused(
        CRASHED,
        f"the renderer stopped (exit code {exitcode}); it may have needed more than {limits.memory_mb} MB",
    )


# --- the child ------------------------------------------------------------------------------------


def _child(connection, memory: int, cpu: int, function, args) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    os.nice(NICENESS)
    try:
        outcome = ("ok", function(*args))
    except sandbox.TemplateRefused as exc:
        outcome = ("refused", exc.problems)
    except MemoryError:
        outcome = ("memory", None)
    except RecursionError:
        outcome = ("refused", [sandbox.Problem(f"{sandbox.NOT_ALLOWED}elements nested this deep",
                                               kind=sandbox.TOO_DEEP)])
    except Exception as exc:  # a bug or a library's refusal: said, not raised in the web worker
        outcome = ("error", f"{type(exc).__name__}: {exc}"[:500])
    try:
        connection.send(outcome)
    except MemoryError:
        connection.send(("memory", None))
    connection.close()


# --- what children do -------------------------------------------------------------------------------


def render_batch(layout: rendering.Layout, certificates: list[dict], *, limits: Limits) -> rendering.Rendered:
    """rendering.render_batch in a child within `limits`."""
    return run(rendering.render_batch, layout, certificates, limits=limits, count=len(certificates))


@dataclass
class Checked:
    """A draft rendered with the sample holder (and checked with the worst case) in one child."""

    rendered: rendering.Rendered
    first_page_text: str
    placeholders: set[str]
    worst_case: list[sandbox.Problem]  # what went wrong with the longest values, if anything
    worst_case_seconds: float


def _check_draft(layout: rendering.Layout, sample: dict, worst: dict | None, seconds_each: float) -> Checked:
    rendered = rendering.render_batch(layout, [sample])
    text = rendering.first_page_text(rendered.pdf)
    problems: list[sandbox.Problem] = []
    spent = 0.0
    if worst is not None:
        began = time.process_time()
        try:
            rendering.render_batch(layout, [worst])
        except sandbox.TemplateRefused as exc:
            problems = [p for p in exc.problems]
        spent = time.process_time() - began
        if not problems and spent > seconds_each:
            problems = [sandbox.Problem(f"one certificate took {spent:.1f} s of CPU", kind=SLOW)]
    return Checked(rendered, text, sandbox.placeholders_of(layout.html), problems, spent)


def check_draft(layout: rendering.Layout, sample: dict, worst: dict | None, *, limits: Limits) -> Checked:
    """The draft with the sample holder (its PDF and the text of its first page), and whether the
    worst case – every placeholder at its longest – renders within a job's budget for one certificate."""
    return run(_check_draft, layout, sample, worst, limits.per_certificate, limits=limits, count=2)
