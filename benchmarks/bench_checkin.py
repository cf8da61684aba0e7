"""Check-in scans under load: 20 scanners against gunicorn, as a ratio of a bare Flask insert.

Each request is `POST /api/v1/events/{slug}/checkins` with a staff token and a different genuine
ticket (verify the signature, find the registration, insert the check-in under the once-a-day
unique index, answer the person's name). The baseline is benchmarks/baseline_app.py's
`POST /insert` on the same database in the same run. Aim (issue 4): p99 under 50 ms on PostgreSQL.
Exits 1 on any error or non-2xx answer (a repeated ticket would be a 409: every code is new).

    .venv/bin/python benchmarks/bench_checkin.py [--quick] [--db sqlite|postgres|both]
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import harness
from checkin_fixture import SLUG

SCANNERS = 20
TICKETS = 40_000  # more than the warm-up and the measured run can scan at ~1,000/s

# Thread t of T takes codes t, t+T, t+2T, …: no two requests share a ticket.
CHECKIN_LUA = """
local made = 0
function setup(thread) made = made + 1; thread:set("tid", made) end
function init(args)
  codes = {}
  for line in io.lines("CODES") do codes[#codes + 1] = line end
  n = tid
end
function request()
  local code = codes[n]
  n = n + THREADS
  local body = '{"ticket_code":"' .. code .. '","gate":"Cổng A"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                                  ["Authorization"] = "Bearer TOKEN"}, body)
end
"""


def bench(kind: str, args, scripts: Path) -> list[harness.Result]:
    env = {"TICKET_KEY": secrets.token_hex(32)}
    insert = harness.post_script(scripts / "insert.lua", '{"name": "Nguyễn Thị Quý Trúc"}')
    results = []
    with harness.database(kind) as url:
        harness.prime(url, "baseline_app.py")
        codes, token = scripts / f"codes-{kind}.txt", scripts / f"token-{kind}.txt"
        harness.prime(url, "checkin_fixture.py", str(TICKETS), str(codes), str(token), env=env)
        threads = 2
        checkin = scripts / f"checkin-{kind}.lua"
        checkin.write_text(CHECKIN_LUA.replace("CODES", str(codes)).replace("THREADS", str(threads))
                           .replace("TOKEN", token.read_text().strip()))
        with (harness.server("baseline_app:app", url, ready_path="/hello") as base,
              harness.server("wsgi:app", url, ready_path="/healthz", env=env) as app):
            results.append(harness.measure("baseline POST /insert", kind, base + "/insert", args, insert))
            # A fresh script per run: wrk restarts each thread at its first code, and a ticket
            # scanned in the warm-up would be refused in the measured run.
            # The gate's pace first, on a server at rest; then the saturated run.
            results.append(_paced_checkin(kind, app, args, codes, token.read_text().strip()))
            results.append(_measure_checkin(kind, app, args, checkin, codes))
            results.append(harness.measure("baseline POST /insert", kind, base + "/insert", args, insert))
    return results


def _paced_checkin(kind, app, args, codes: Path, token: str) -> harness.Result:
    """20 scanners at a brisk gate's pace: each scans one ticket every half second (40 scans/s in
    all, several times a real gate), on tickets the saturated run did not use."""
    unused = codes.read_text().split()[-(SCANNERS * 2 * (args.duration + args.warmup) + 200):]
    bodies = [f'{{"ticket_code":"{code}","gate":"Cổng B"}}'.encode() for code in unused]
    url = f"{app}/api/v1/events/{SLUG}/checkins"
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    scenario = f"check-in, paced ({SCANNERS}×2/s)"
    split = SCANNERS * 2 * args.warmup + 100
    harness.paced(url, bodies[:split], headers, clients=SCANNERS, interval=0.5, duration=args.warmup,
                  scenario=scenario, database=kind)  # warm-up: workers' first requests, pools
    result = harness.paced(url, bodies[split:], headers, clients=SCANNERS, interval=0.5,
                           duration=args.duration, scenario=scenario, database=kind)
    harness.show(result)
    return result


def _measure_checkin(kind, app, args, script: Path, codes: Path) -> harness.Result:
    all_codes = codes.read_text().split()
    half = len(all_codes) // 2
    warm, measured = codes.with_suffix(".warm"), codes.with_suffix(".run")
    warm.write_text("\n".join(all_codes[:half]) + "\n")
    measured.write_text("\n".join(all_codes[half:]) + "\n")
    url = f"{app}/api/v1/events/{SLUG}/checkins"
    lua = script.read_text()
    script.write_text(lua.replace(str(codes), str(warm)))
    harness.run_wrk(url, args.warmup, SCANNERS, script=script)
    script.write_text(lua.replace(str(codes), str(measured)))
    result = harness.parse_wrk(harness.run_wrk(url, args.duration, SCANNERS, script=script),
                               f"check-in ({SCANNERS} scanners)", kind)
    harness.show(result)
    return result


if __name__ == "__main__":
    sys.exit(harness.main(__doc__, bench, baseline="baseline POST /insert", scripts=True))
