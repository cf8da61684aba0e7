"""Check-in scans under load: 20 scanners against gunicorn, as a ratio of a bare Flask insert, for each
gunicorn worker setting asked for.

Each request is `POST /api/v1/events/{slug}/checkins` with a staff token and a different genuine
ticket (verify the signature, find the registration, insert the check-in under the once-a-day
unique index, answer the person's name). The baseline is benchmarks/baseline_app.py's
`POST /insert` on the same database, under the same gunicorn settings, timed before and after the
check-ins of that setting. Then three batches of 1,000 offline scans (`/checkins/batch`), each timed.
Aims (issues 4 and 17): p99 under 50 ms on PostgreSQL with 20 saturating scanners at ≥ 0.6× the bare
insert's throughput; a batch of 1,000 scans decided in < 2 s.
Exits 1 on any error or non-2xx answer (a repeated ticket would be a 409: every code is new).

    .venv/bin/python benchmarks/bench_checkin.py --db postgres --configs sync2,sync4,gthread4x4,gthread4x2
    (add --repeat 3 for a median and a range; --quick for 3 s runs)

A setting is `syncN` (N sync workers), `gthreadNxT` (N gthread workers of T threads) or
`gthreadNxT-close` (the same with `--keep-alive 0`: a new connection per request, as behind nginx). With
`--repeat`, the settings run in turn that many times (interleaved, so a change in the machine's
background load falls on all of them) and the summary gives each one's median and range.
"""

from __future__ import annotations

import http.client
import json
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import harness
from checkin_fixture import SLUG

SCANNERS = 20
BATCH, BATCHES = 1000, 3
# Codes by use, so that no ticket is scanned twice between two emptyings of the check-ins table:
# warm-up, paced run, batches, and the rest for the saturated run (> 2,500 scans/s for 10 s).
WARM, PACED = 6_000, 1_500
TICKETS = 40_000
DEFAULT_CONFIGS = "sync2,gthread4x2"  # issue 4's setting and the README's production one

# Thread t of T takes codes t, t+T, t+2T, …: no two requests share a ticket. Past the end a code is
# sent again: a 409, counted as an error, never a silent success.
CHECKIN_LUA = """
local made = 0
function setup(thread) made = made + 1; thread:set("tid", made) end
function init(args)
  codes = {}
  for line in io.lines("CODES") do codes[#codes + 1] = line end
  n = tid
end
function request()
  local code = codes[n] or codes[1]
  n = n + THREADS
  local body = '{"ticket_code":"' .. code .. '","gate":"Cổng A"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                                  ["Authorization"] = "Bearer TOKEN"}, body)
end
"""
WRK_THREADS = 2


@dataclass
class Run:
    """One gunicorn setting measured once: the bare insert (before, after), the gate, the batches."""

    config: harness.ServerConfig
    database: str
    inserts: list[harness.Result] = field(default_factory=list)
    paced: harness.Result | None = None
    saturated: harness.Result | None = None
    batch_seconds: list[float] = field(default_factory=list)
    batch_errors: int = 0

    @property
    def insert_rps(self) -> float:
        return statistics.mean(r.rps for r in self.inserts)

    @property
    def ratio(self) -> float:
        return self.saturated.rps / self.insert_rps

    @property
    def errors(self) -> int:
        return sum(r.errors for r in [*self.inserts, self.paced, self.saturated]) + self.batch_errors


def _add_arguments(parser) -> None:
    parser.add_argument("--configs", default=DEFAULT_CONFIGS, help=(
        f"gunicorn settings to compare, comma-separated: syncN, gthreadNxT (default {DEFAULT_CONFIGS})"))
    parser.add_argument("--repeat", type=int, default=1, help="run every setting this many times")
    parser.set_defaults(connections=SCANNERS)  # the bare insert under the same load as the gate


def _codes(path: Path) -> dict[str, list[str]]:
    codes = path.read_text().split()
    return {"warm": codes[:WARM], "paced": codes[WARM:WARM + PACED],
            "batch": codes[WARM + PACED:WARM + PACED + BATCH * BATCHES],
            "run": codes[WARM + PACED + BATCH * BATCHES:]}


def bench(kind: str, args, scripts: Path) -> list[Run]:
    env = {"TICKET_KEY": secrets.token_hex(32)}
    runs = []
    with harness.database(kind) as url:
        harness.prime(url, "baseline_app.py")
        codes_path, token_path = scripts / f"codes-{kind}.txt", scripts / f"token-{kind}.txt"
        harness.prime(url, "checkin_fixture.py", str(TICKETS), str(codes_path), str(token_path), env=env)
        codes, token = _codes(codes_path), token_path.read_text().strip()
        for name, part in codes.items():
            (scripts / f"{name}-{kind}.txt").write_text("\n".join(part) + "\n")
        for _round in range(args.repeat):
            for config in args.server_configs:
                _forget_checkins(url)  # every setting scans the same tickets, on an empty table
                runs.append(_measure_config(Run(config, kind), url, args, scripts, codes, token, env))
    return runs


def _measure_config(run: Run, url: str, args, scripts: Path, codes, token: str, env) -> Run:
    kind, name = run.database, run.config.name
    insert = harness.post_script(scripts / "insert.lua", '{"name": "Nguyễn Thị Quý Trúc"}')
    print(f"-- {kind}, gunicorn {' '.join(run.config.gunicorn_args())}", flush=True)
    with (harness.server("baseline_app:app", url, ready_path="/hello", config=run.config) as base,
          harness.server("wsgi:app", url, ready_path="/healthz", env=env, config=run.config) as app):
        def bare_insert() -> harness.Result:
            return harness.measure(f"{name} baseline POST /insert", kind, base + "/insert", args, insert)

        run.inserts.append(bare_insert())
        # The gate's pace first, on a server at rest; then the saturated run; then the batches.
        run.paced = _paced_checkin(kind, name, app, args, codes["paced"], token)
        run.saturated = _saturated_checkin(kind, name, app, args, scripts, token)
        run.inserts.append(bare_insert())
        _batches(run, app, codes["batch"], token)
    return run


def _forget_checkins(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM checkins"))
    engine.dispose()


def _paced_checkin(kind, name, app, args, codes: list[str], token: str) -> harness.Result:
    """20 scanners at a brisk gate's pace: each scans one ticket every half second (40 scans/s in
    all, several times a real gate)."""
    bodies = [f'{{"ticket_code":"{code}","gate":"Cổng B"}}'.encode() for code in codes]
    url = f"{app}/api/v1/events/{SLUG}/checkins"
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    scenario = f"{name} check-in, paced ({SCANNERS}×2/s)"
    split = SCANNERS * 2 * args.warmup + 100
    harness.paced(url, bodies[:split], headers, clients=SCANNERS, interval=0.5, duration=args.warmup,
                  scenario=scenario, database=kind)  # warm-up: workers' first requests, pools
    result = harness.paced(url, bodies[split:], headers, clients=SCANNERS, interval=0.5,
                           duration=args.duration, scenario=scenario, database=kind)
    harness.show(result)
    return result


def _saturated_checkin(kind, name, app, args, scripts: Path, token: str) -> harness.Result:
    url = f"{app}/api/v1/events/{SLUG}/checkins"
    # A script per code list: wrk restarts each thread at its first code, and a ticket scanned in
    # the warm-up would be refused in the measured run.
    lua = CHECKIN_LUA.replace("THREADS", str(WRK_THREADS)).replace("TOKEN", token)
    warm, measured = scripts / f"checkin-warm-{kind}.lua", scripts / f"checkin-run-{kind}.lua"
    warm.write_text(lua.replace("CODES", str(scripts / f"warm-{kind}.txt")))
    measured.write_text(lua.replace("CODES", str(scripts / f"run-{kind}.txt")))
    harness.run_wrk(url, args.warmup, SCANNERS, threads=WRK_THREADS, script=warm)
    result = harness.parse_wrk(harness.run_wrk(url, args.duration, SCANNERS, threads=WRK_THREADS,
                                               script=measured),
                               f"{name} check-in ({SCANNERS} scanners)", kind)
    harness.show(result)
    return result


def _batches(run: Run, app: str, codes: list[str], token: str) -> None:
    """BATCHES batches of BATCH new tickets, one after another, each timed from send to answer."""
    parts = urlsplit(app)
    for i in range(BATCHES):
        now = datetime.now(UTC).isoformat(timespec="seconds")
        scans = [{"ticket_code": code, "gate": "Cổng C", "scanned_at": now}
                 for code in codes[i * BATCH:(i + 1) * BATCH]]
        body = json.dumps({"device": "bench", "scans": scans})
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        started = time.perf_counter()
        try:
            conn.request("POST", f"/api/v1/events/{SLUG}/checkins/batch", body=body, headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            answer = response.read()
        finally:
            conn.close()
        run.batch_seconds.append(time.perf_counter() - started)
        results = json.loads(answer).get("results", []) if response.status == 200 else []
        if response.status != 200 or [r["result"] for r in results] != ["ok"] * BATCH:
            run.batch_errors += 1
            print(f"  ! batch {i + 1}: {response.status} {answer[:300]!r}", file=sys.stderr)
    print(f"  {run.database:8} {run.config.name + ' batch of 1,000 scans':28} "
          f"{', '.join(f'{s:.2f}' for s in run.batch_seconds)} s", flush=True)


def print_runs(runs: list[Run]) -> None:
    print("\n| database | gunicorn | insert req/s | check-in req/s | × insert | p50 ms | p99 ms "
          "| paced p99 ms | batch of 1,000 s (max) | errors |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in runs:
        s = r.saturated
        print(f"| {r.database} | {r.config.name} | {r.insert_rps:,.0f} | {s.rps:,.0f} | {r.ratio:.2f} "
              f"| {s.p50_ms:.1f} | {s.p99_ms:.1f} | {r.paced.p99_ms:.1f} | {max(r.batch_seconds):.2f} "
              f"| {r.errors} |")
    for r in runs:
        low, high = (min(x.rps for x in r.inserts), max(x.rps for x in r.inserts))
        if high > 1.3 * low:
            print(f"\nWarning: {r.config.name} on {r.database}: the bare insert ran at {low:,.0f} and "
                  f"{high:,.0f} req/s before and after: the machine's load changed; treat its ratio "
                  "with care.")


def print_summary(runs: list[Run]) -> None:
    """Each setting's median and range over its runs, and whether it meets the aims."""
    groups: dict[tuple[str, str], list[Run]] = {}
    for r in runs:
        groups.setdefault((r.database, r.config.name), []).append(r)
    print("\n| database | gunicorn | runs | × insert, median (range) | p99 ms, median (range) "
          "| batch s, max | aims met |")
    print("|---|---|--:|--:|--:|--:|---|")
    for (database, name), group in groups.items():
        ratios = [r.ratio for r in group]
        p99s = [r.saturated.p99_ms for r in group]
        batch = max(max(r.batch_seconds) for r in group)
        met = statistics.median(p99s) < 50 and statistics.median(ratios) >= 0.6 and batch < 2
        print(f"| {database} | {name} | {len(group)} | {statistics.median(ratios):.2f} "
              f"({min(ratios):.2f}–{max(ratios):.2f}) | {statistics.median(p99s):.1f} "
              f"({min(p99s):.1f}–{max(p99s):.1f}) | {batch:.2f} | {'yes' if met else 'no'} |")


def main() -> int:
    args = harness.parse_args(__doc__, add_arguments=_add_arguments)
    try:
        args.server_configs = [harness.ServerConfig.parse(c) for c in args.configs.split(",") if c.strip()]
    except Exception as exc:  # argparse.ArgumentTypeError: say which setting, then stop
        sys.exit(f"--configs: {exc}")
    if args.repeat < 1:
        sys.exit("--repeat: at least 1")
    harness.ensure_wrk()
    started = time.monotonic()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="eventhub-bench-lua-") as tmp:
        for kind in args.databases:
            print(f"== {kind}", flush=True)
            runs += bench(kind, args, Path(tmp))
    print_runs(runs)
    print_summary(runs)
    print(f"\n{args.duration} s runs, {SCANNERS} scanners (wrk -t{WRK_THREADS}); the bare insert's "
          f"{args.connections} connections (wrk -t2); took {time.monotonic() - started:.0f} s")
    failed = [f"{r.config.name} on {r.database}" for r in runs if r.errors]
    if failed:
        print("Errors or non-2xx answers in: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
