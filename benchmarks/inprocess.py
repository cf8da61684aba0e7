"""One request of EventHub's beside the bare insert's, in this process (profile_checkin.py,
profile_registration.py): its SQL statements, rounds alternating with the baseline, CPU, a profile."""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time
from collections import Counter
from collections.abc import Callable


def count_statements(engine_class) -> Counter:
    """Every statement sent to any database from now on, by its first words (all engines)."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    seen: Counter = Counter()

    @event.listens_for(engine_class, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        seen[" ".join(statement.split()[:4])[:70]] += 1

    # Round trips that are no statement of ours: BEGIN and COMMIT, and a pool check-out (a ping
    # with pool_pre_ping, or EventHub's own when the connection sat idle).
    for name, what in (("begin", "(BEGIN)"), ("commit", "(COMMIT)")):
        event.listen(engine_class, name, lambda conn, what=what: seen.update([what]))
    event.listen(Pool, "checkout", lambda dbapi_conn, record, proxy: seen.update(["(pool check-out)"]))
    return seen


def compare(label: str, call: Callable[[], None], app, baseline_app, *, n: int, rounds: int, database: str,
            profile: str | None = None) -> None:
    """Prints `call`'s statements and its cost per request beside the bare insert's (baseline_app.py's,
    through its test client), round by round (the machine is shared: a round another process slowed
    shows as spread, not as a wrong median); with `profile`, a cProfile of one round of `call` in CPU
    time, also saved to that file. Closes both apps' connections at the end."""
    from sqlalchemy.engine import Engine

    base = baseline_app.app.test_client()

    def insert():
        answer = base.post("/insert", json={"name": "Nguyễn Thị Quý Trúc"})
        assert answer.status_code == 201, answer.get_data(as_text=True)

    try:
        _compare(label, call, insert, Engine, n=n, rounds=rounds, database=database, profile=profile)
    finally:
        for flask_app, sqlalchemy in ((app, None), (baseline_app.app, baseline_app.db)):
            with flask_app.app_context():
                (sqlalchemy or flask_app.extensions["sqlalchemy"]).engine.dispose()


def _compare(label, call, insert, engine_class, *, n, rounds, database, profile) -> None:
    cpu: dict[str, list[float]] = {"call": [], "insert": []}

    def timed(which: str, function: Callable[[], None]) -> float:
        """Wall-clock ms per request; this process's CPU ms per request goes to `cpu` (the database's
        own work and the waits excluded, so less disturbed by a busy machine)."""
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            function()
        cpu[which].append((time.process_time() - started_cpu) / n * 1000)
        return (time.perf_counter() - started) / n * 1000

    timed("call", call), timed("insert", insert)  # warm-up: imports, pools, compiled statements
    statements = count_statements(engine_class)
    for name, function in ((f"{label} ({database})", call), ("bare insert", insert)):
        statements.clear()
        function()
        print(f"SQL statements per {name}: {sum(statements.values())}")
        for text, count in statements.most_common():
            print(f"  {count} × {text}")

    cpu["call"].clear(), cpu["insert"].clear()
    mine, inserts = [], []
    for _ in range(rounds):
        mine.append(timed("call", call))
        inserts.append(timed("insert", insert))
    ratios = [a / b for a, b in zip(mine, inserts, strict=True)]
    width = max(len(label), len("bare insert"))
    print(f"\n{rounds} rounds of {n} on {database}, one request at a time:")
    print(f"  {label:<{width}} {statistics.median(mine):6.2f} ms/request  "
          f"(rounds {min(mine):.2f}–{max(mine):.2f})")
    print(f"  {'bare insert':<{width}} {statistics.median(inserts):6.2f} ms/request  "
          f"(rounds {min(inserts):.2f}–{max(inserts):.2f})")
    print(f"  {label} / bare insert, round by round: median {statistics.median(ratios):.2f}× the time "
          f"({min(ratios):.2f}–{max(ratios):.2f})")
    cpu_mine, cpu_insert = statistics.median(cpu["call"]), statistics.median(cpu["insert"])
    print(f"  this process's CPU: {label} {cpu_mine:.2f} ms, bare insert {cpu_insert:.2f} ms per request "
          f"({cpu_mine / cpu_insert:.2f}×)")
    if profile:
        profiler = cProfile.Profile(time.process_time)  # CPU: what a busy machine disturbs least
        profiler.runcall(timed, "call", call)
        profiler.dump_stats(profile)
        for order, lines in (("cumulative", 60), ("tottime", 30)):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(lines)
            print(out.getvalue())
