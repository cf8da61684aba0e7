"""HTTP benchmark harness: a throwaway database, gunicorn on loopback, load from `wrk`, a table.

Absolute figures drift by ±30 % on our noisy 2-core machines, so every goal is a ratio against a
baseline timed in the same run (shared/design/performance.md). Import it from a `bench_*.py` script:

    args = harness.parse_args(__doc__)
    with harness.database("sqlite") as url, harness.server("baseline_app:app", url) as base:
        result = harness.measure("baseline /row", "sqlite", base + "/row", args)
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
# Maintenance database used to create and drop the throwaway ones (trust auth on loopback).
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASES = ("sqlite", "postgres")


@dataclass
class Result:
    scenario: str
    database: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int  # wrk's "Non-2xx or 3xx responses"
    socket_errors: int  # connect + read + write + timeout

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


# --- command line -------------------------------------------------------------------------------

def timed(fn, runs: int, *, warm_up: bool = True) -> float:
    """Median seconds of `runs` calls of `fn` (after one warm-up call unless `warm_up` is False)."""
    if warm_up:
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def print_ratios(rows: list[tuple[str, float, float]], width: int = 48) -> None:
    """A table of (scenario, seconds, baseline seconds): milliseconds and the ratio to the baseline."""
    print(f"{'scenario':<{width}} {'ms':>9} {'× baseline':>11}")
    for name, seconds, base in rows:
        print(f"{name:<{width}} {seconds * 1000:>9.2f} {seconds / base:>11.1f}")


def parse_args(description: str | None, argv: list[str] | None = None,
               add_arguments=None) -> argparse.Namespace:
    """The options every bench shares; `add_arguments(parser)` adds a script's own."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=[*DATABASES, "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="3 s runs instead of 10 s")
    parser.add_argument("--connections", type=int, default=16)
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args(argv)
    args.databases = list(DATABASES) if args.db == "both" else [args.db]
    args.duration = 3 if args.quick else 10
    args.warmup = 1 if args.quick else 2
    return args


def in_process_args(description: str | None, argv: list[str] | None = None) -> argparse.Namespace:
    """The options of the in-process benches (timed rounds, no server): --runs and --db."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", choices=DATABASES, default="sqlite")
    return parser.parse_args(argv)


# --- databases ----------------------------------------------------------------------------------

def app_env(database_url: str, instance_path: str | Path) -> dict[str, str]:
    """The environment EventHub and the baseline run with, in gunicorn and the `flask` CLI."""
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + secrets.token_hex(16),
        "RATELIMIT_ENABLED": "false",
        "EVENTHUB_INSTANCE_PATH": str(instance_path),
        # Production settings: the development config turns on DEBUG (template reloading etc.),
        # which is not what we want to time. It also needs a non-default SECRET_KEY, set above.
        "EVENTHUB_CONFIG": "production",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), str(BENCH_DIR),
                                                     os.environ.get("PYTHONPATH")])),
    })
    return env


def _run(cmd: list[str], database_url: str, env: dict[str, str] | None = None) -> str:
    with tempfile.TemporaryDirectory(prefix="eventhub-bench-cli-") as instance:
        proc = subprocess.run(cmd, cwd=REPO, env={**app_env(database_url, instance), **(env or {})},
                              capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def flask_cli(database_url: str, *args: str) -> str:
    """Runs `flask --app wsgi ARGS` against the database (cwd = repo root); returns its output."""
    return _run([sys.executable, "-m", "flask", "--app", "wsgi", *args], database_url)


def prime(database_url: str, script: str | Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Runs a fixture script once (e.g. baseline_app.py creates its table) before gunicorn's workers
    start, so that two workers do not race to create the same table; returns what it printed."""
    return _run([sys.executable, str(BENCH_DIR / script), *args], database_url, env)


@contextmanager
def database(kind: str, migrate: bool = True) -> Iterator[str]:
    """Yields the SQLAlchemy URL of a fresh database with EventHub's schema; removes it afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="eventhub-bench-db-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"  # WAL mode is set by the apps on connect
            if migrate:
                flask_cli(url, "db", "upgrade")
            yield url
        return
    if kind != "postgres":
        raise ValueError(f"unknown database kind: {kind}")

    import psycopg

    name = f"eventhub_bench_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        sys.exit(f"Cannot reach PostgreSQL at {POSTGRES_ADMIN_URL} (set BENCH_POSTGRES_URL): {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            base = POSTGRES_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0]
            url = f"postgresql+psycopg://{base}/{name}"
            if migrate:
                flask_cli(url, "db", "upgrade")
            yield url
        finally:
            # FORCE (PostgreSQL ≥ 13) closes connections a crashed server may have left behind.
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- gunicorn -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int, path: str) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", path)
        conn.getresponse().read()
        return True  # any status will do: the server is up
    except OSError:
        return False
    finally:
        conn.close()


@dataclass(frozen=True)
class ServerConfig:
    """gunicorn's worker settings: `sync2` (2 sync workers), `gthread4x4` (4 workers × 4 threads),
    `gthread4x4-close` (the same, answering each request on a new connection: `--keep-alive 0`, as
    behind nginx, which by default opens a new connection to its upstream for every request)."""

    workers: int = 2
    threads: int = 1  # > 1: the gthread worker class
    keepalive: bool = True  # sync workers never keep a connection open

    @classmethod
    def parse(cls, text: str) -> ServerConfig:
        match = re.fullmatch(r"sync(\d+)|gthread(\d+)x(\d+)(-close)?", text.strip())
        if not match:
            raise argparse.ArgumentTypeError(
                f"{text!r}: a server config is syncN, gthreadNxT or gthreadNxT-close")
        sync, workers, threads, close = match.groups()
        config = cls(int(sync), 1) if sync else cls(int(workers), int(threads), not close)
        if not (1 <= config.workers <= 16 and 1 <= config.threads <= 64):
            raise argparse.ArgumentTypeError(f"{text!r}: 1–16 workers, 1–64 threads")
        return config

    @property
    def name(self) -> str:
        if self.threads == 1:
            return f"sync{self.workers}"
        return f"gthread{self.workers}x{self.threads}" + ("" if self.keepalive else "-close")

    def gunicorn_args(self) -> list[str]:
        args = ["--workers", str(self.workers)]
        if self.threads > 1:
            args += ["--worker-class", "gthread", "--threads", str(self.threads)]
            if not self.keepalive:
                args += ["--keep-alive", "0"]
        return args


@contextmanager
def server(app: str, database_url: str, workers: int = 2, ready_path: str = "/",
           timeout: float = 60, env: dict[str, str] | None = None,
           config: ServerConfig | None = None) -> Iterator[str]:
    """Runs `gunicorn MODULE:APP` on a free loopback port (`workers` sync workers, or `config`);
    yields its base URL, then stops it."""
    config = config or ServerConfig(workers)
    with tempfile.TemporaryDirectory(prefix="eventhub-bench-srv-") as tmp:
        port = free_port()
        log_path = Path(tmp) / "gunicorn.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", *config.gunicorn_args(),
                 "--bind", f"127.0.0.1:{port}", app],
                cwd=REPO, env={**app_env(database_url, Path(tmp) / "instance"), **(env or {})},
                stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while not _answers(port, ready_path):
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"gunicorn {app} did not start:\n{tail}")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # graceful: workers finish their request
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            _report_tracebacks(app, log_path.read_text(errors="replace"))


@contextmanager
def background(args: list[str], database_url: str, env: dict[str, str] | None = None) -> Iterator[None]:
    """Runs `flask --app wsgi ARGS` (a worker) beside the server while the block runs."""
    with tempfile.TemporaryDirectory(prefix="eventhub-bench-worker-") as tmp:
        log_path = Path(tmp) / "worker.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=REPO,
                env={**app_env(database_url, Path(tmp) / "instance"), **(env or {})},
                stdout=log, stderr=subprocess.STDOUT)
        try:
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            _report_tracebacks(" ".join(args), log_path.read_text(errors="replace"))


def _report_tracebacks(app: str, log: str) -> None:
    """The log goes with the temp dir: show the first server-side traceback (a 500's cause)."""
    start = log.find("Traceback (most recent call last)")
    if start >= 0:
        count = log.count("Traceback (most recent call last)")
        head = log.rfind("\n", 0, max(start - 1, 0)) + 1  # keep the logged line above it
        print(f"  ! gunicorn {app} logged {count} traceback(s); the first:\n"
              + log[head:start + 4000], file=sys.stderr)


# --- wrk ----------------------------------------------------------------------------------------

def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() != 0:
        sys.exit("The benchmarks need `wrk`: install it with `sudo apt-get install -y wrk`.")
    print("Installing wrk (apt-get install -y wrk) ...", flush=True)
    if subprocess.run(["apt-get", "install", "-y", "wrk"]).returncode != 0:
        subprocess.run(["apt-get", "update"], check=False)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False)
    return shutil.which("wrk") or sys.exit("Could not install wrk; install it by hand.")


def post_script(path: Path, body: str, content_type: str = "application/json") -> Path:
    """Writes a wrk Lua script that POSTs `body` on every request; returns its path."""
    lua_string = body.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    path.write_text(f'wrk.method = "POST"\nwrk.body = "{lua_string}"\n'
                    f'wrk.headers["Content-Type"] = "{content_type}"\n')
    return path


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(value) * _UNITS_MS[unit]


def parse_wrk(output: str, scenario: str, database: str) -> Result:
    def find(pattern: str, default: str | None = None) -> str:
        match = re.search(pattern, output)
        if match:
            return match.group(1)
        if default is None:
            raise ValueError(f"unexpected wrk output (no {pattern!r}):\n{output}")
        return default

    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Result(
        scenario=scenario, database=database,
        rps=float(find(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=_ms(find(r"\n\s+50%\s+(\S+)")),
        p99_ms=_ms(find(r"\n\s+99%\s+(\S+)")),
        requests=int(find(r"(\d+) requests in")),
        non_2xx=int(find(r"Non-2xx or 3xx responses: (\d+)", "0")),
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def run_wrk(url: str, duration: int, connections: int = 16, threads: int = 2,
            script: Path | None = None) -> str:
    if urlsplit(url).hostname != "127.0.0.1":  # never load anything but this machine
        raise ValueError(f"benchmarks only target 127.0.0.1, not {url}")
    cmd = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    proc = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=duration + 60)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed: {proc.stderr or proc.stdout}")
    return proc.stdout


def check_2xx(url: str) -> int:
    """One GET before the load: wrk counts redirects as successes, we want a real 2xx page."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def measure(scenario: str, database: str, url: str, args: argparse.Namespace,
            script: Path | None = None) -> Result:
    """Warm-up run (fills pools, caches, compiled templates), then the measured run."""
    status = None if script else check_2xx(url)
    run_wrk(url, args.warmup, args.connections, script=script)
    result = parse_wrk(run_wrk(url, args.duration, args.connections, script=script), scenario, database)
    if status is not None and not 200 <= status < 300:
        result.non_2xx = max(result.non_2xx, 1)  # a redirect or error page is not the page we time
        print(f"  ! {scenario}: GET {url} answered {status}", file=sys.stderr)
    show(result)
    return result


def show(result: Result) -> None:
    print(f"  {result.database:8} {result.scenario:28} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
          f"p99 {result.p99_ms:6.1f} ms  errors {result.errors}", flush=True)


def main(description: str | None, bench, baseline: str, *, scripts: bool = False, add_arguments=None) -> int:
    """Runs `bench(kind, args[, scripts_dir])` on each database, prints the table of ratios to the
    `baseline` scenario; exits 1 when any run had errors or non-2xx answers. `add_arguments(parser)`:
    the script's own options."""
    args = parse_args(description, add_arguments=add_arguments)
    ensure_wrk()
    started = time.monotonic()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="eventhub-bench-lua-") as tmp:
        for kind in args.databases:
            print(f"== {kind}", flush=True)
            results += bench(kind, args, Path(tmp)) if scripts else bench(kind, args)
    print_table(results, baseline=baseline)
    took = time.monotonic() - started
    print(f"\n{args.duration} s runs, {args.connections} connections; took {took:.0f} s")
    failed = [r.scenario + " on " + r.database for r in results if r.errors]
    if failed:
        print("Errors or non-2xx answers in: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


# --- paced load -----------------------------------------------------------------------------------

def paced(url: str, bodies: list[bytes], headers: dict[str, str], *, clients: int, interval: float,
          duration: float, scenario: str, database: str) -> Result:
    """`clients` threads, each POSTing the next body every `interval` seconds over its own keep-alive
    connection, for `duration` seconds: the latency a gate sees at a realistic pace, where wrk
    measures the saturated server. Bounded in time and count, loopback only."""
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1":
        raise ValueError(f"benchmarks only target 127.0.0.1, not {url}")
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    feed = iter(bodies)

    started_all = time.monotonic()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        deadline = started_all + duration
        # Staggered: scanners at a gate do not fire in step (in step they would be a burst of 20).
        next_at = started_all + index * interval / clients
        time.sleep(max(0.0, next_at - time.monotonic()))
        while time.monotonic() < deadline:
            with lock:
                body = next(feed, None)
            if body is None:
                return
            started = time.perf_counter()
            try:
                conn.request("POST", parts.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 300
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                failures[0] += not ok
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 30)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return Result(scenario=scenario, database=database, rps=len(latencies) / duration, p50_ms=pct(0.50),
                  p99_ms=pct(0.99), requests=len(latencies), non_2xx=failures[0], socket_errors=0)


# --- report -------------------------------------------------------------------------------------

def print_table(results: list[Result], baseline: str) -> None:
    """Markdown table; the ratio is req/s over the `baseline` scenario's on the same database (the
    mean when it ran more than once; runs more than 30 % apart are flagged: the load shifted)."""
    runs: dict[str, list[float]] = {}
    for r in results:
        if r.scenario == baseline:
            runs.setdefault(r.database, []).append(r.rps)
    base = {db: sum(rps) / len(rps) for db, rps in runs.items()}
    print(f"\n| scenario | database | req/s | p50 ms | p99 ms | errors | × {baseline} |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for r in results:
        ratio = f"{r.rps / base[r.database]:.2f}" if base.get(r.database) else "–"
        print(f"| {r.scenario} | {r.database} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
              f"{r.errors} | {ratio} |")
    for db, rps in runs.items():
        if len(rps) > 1 and max(rps) > 1.3 * min(rps):
            print(f"\nWarning: {baseline} on {db} ran at {min(rps):,.0f} and {max(rps):,.0f} req/s: "
                  "the machine's background load changed during the run; treat its ratios with care.")
