"""Registration POSTs under load, as a ratio of a bare Flask insert on the same database.

On SQLite, then PostgreSQL (--db), 16 connections from wrk against gunicorn (the README's production
settings, 4 workers × 2 threads; --server sync2 for the figures before issue 21):
the baseline's `POST /insert` (one row, one commit: benchmarks/baseline_app.py), then EventHub's
`POST /api/v1/events/{slug}/registrations` – validation, the seat's conditional UPDATE, the
insert, the audit entry, the ticket and the confirmation e-mail queued in the outbox – each request
with a new e-mail address. As in production (MAIL_DELIVERY=worker), a mail worker process
(`flask mail deliver --loop`) renders and sends the e-mails beside the server, on the same two
cores, so its cost is in the figures. Aim (issue 21): registration at ≥ 70 % of the baseline's
throughput with p99 under 100 ms. Exits 1 on any error or non-2xx answer.

    .venv/bin/python benchmarks/bench_registration.py [--quick] [--db sqlite|postgres|both] \
        [--server gthread4x2]
"""

from __future__ import annotations

import sys
from pathlib import Path

import harness
from registration_fixture import SLUG, TYPE

# Every request a new person: the thread number and a per-run stamp keep e-mails unique across the
# warm-up and the measured run, so none is refused as already registered.
REGISTRATION_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local made = 0
function setup(thread)
  made = made + 1
  thread:set("tid", string.format("%d-%d-%d", os.time(), math.random(1, 1000000), made))
end
local n = 0
function request()
  n = n + 1
  local body = string.format(
    '{"type":"TYPE","full_name":"Nguyễn Thị Quý Trúc","email":"khach-%s-%d@example.vn",'
    .. '"phone":"0912 345 678","organization":"Sở KH&CN","consent":true}', tid, n)
  return wrk.format(nil, nil, nil, body)
end
""".replace("TYPE", TYPE)


# The README's production command: 4 workers × 2 threads (a request waiting on the database leaves
# the core to another); the baseline runs under the same settings.
PRODUCTION = "gthread4x2"


def _options(parser) -> None:
    parser.add_argument("--server", type=harness.ServerConfig.parse, default=PRODUCTION,
                        help=f"gunicorn's workers for both apps: syncN or gthreadNxT (default {PRODUCTION})")


def bench(kind: str, args, scripts: Path) -> list[harness.Result]:
    insert = harness.post_script(scripts / "insert.lua", '{"name": "Nguyễn Thị Quý Trúc"}')
    register = scripts / "register.lua"
    register.write_text(REGISTRATION_LUA)
    results = []
    with harness.database(kind) as url:
        harness.prime(url, "baseline_app.py")
        harness.prime(url, "registration_fixture.py")
        worker_env = {"MAIL_DELIVERY": "worker"}
        url_path = f"/api/v1/events/{SLUG}/registrations"
        with (harness.server("baseline_app:app", url, ready_path="/hello", config=args.server) as base,
              harness.server("wsgi:app", url, ready_path="/healthz", env=worker_env,
                             config=args.server) as app):
            results.append(harness.measure("baseline POST /insert", kind, base + "/insert", args, insert))
            # The request path alone: e-mails wait in the outbox (a burst at 8 a.m.) …
            results.append(harness.measure("registration, mail queued", kind, app + url_path, args,
                                           register))
            # … and with the mail worker rendering and sending them on the same two cores.
            with harness.background(["mail", "deliver", "--loop", "--interval", "1"], url, worker_env):
                results.append(harness.measure("registration + mail worker", kind, app + url_path,
                                               args, register))
            results.append(harness.measure("baseline POST /insert", kind, base + "/insert", args, insert))
    return results


if __name__ == "__main__":
    sys.exit(harness.main(__doc__, bench, baseline="baseline POST /insert", scripts=True,
                          add_arguments=_options))
