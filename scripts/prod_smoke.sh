#!/usr/bin/env bash
# The production install, tried for real (CI runs it after the two suites; `make smoke-production`).
#
# The suite always runs with the `dev` extra, so a run-time import of a test-only package (pdfplumber
# was one) passes every test and answers 500 in production. This step installs what the README's
# "Production" section installs – '.[postgres,workers,production]', nothing else – into a fresh venv
# in a temporary folder, imports every module of `eventhub` with it, then serves the demo with
# gunicorn from that venv (EVENTHUB_CONFIG=production, SQLite in the temporary folder, a free loopback
# port) and drives it over HTTP with scripts/prod_smoke.py (stdlib only: the venv has no test tools).
# Nothing is written outside the temporary folder except what the README's set-up writes anyway
# (static/vendor, the compiled catalogs, the package's build metadata).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}
started=$(date +%s)
step() { echo "-- [$(( $(date +%s) - started ))s] $*"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/eventhub-prod-smoke.XXXXXX")
SERVER_PID=""
cleanup() {
  status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$WORK/gunicorn.log" ]; then
    echo "== gunicorn's log (last 80 lines)" >&2
    tail -n 80 "$WORK/gunicorn.log" >&2 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

step "fresh venv with the production extras only, in $WORK"
"$PYTHON" -m venv "$WORK/venv"
VENV="$WORK/venv/bin"
"$VENV/python" -m pip install --quiet --disable-pip-version-check --no-compile '.[postgres,workers,production]' \
  >"$WORK/pip.log" 2>&1 || { cat "$WORK/pip.log" >&2; exit 1; }

# Whatever a test-only package brings must not be there: else the check below proves nothing.
for dev_only in pdfplumber pytest hypothesis moto playwright aiosmtpd schemathesis boto3; do
  if "$VENV/python" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$dev_only') is None)"; then
    echo "the production venv has $dev_only: it is not a production-only install" >&2
    exit 1
  fi
done

step "set-up as the README says: front-end files and catalogs"
export EVENTHUB_CONFIG=production
SECRET_KEY=$("$VENV/python" -c 'import secrets; print(secrets.token_hex(32))')
export SECRET_KEY
export DATABASE_URL="sqlite:///$WORK/eventhub.db"
export EVENTHUB_INSTANCE_PATH="$WORK/instance"
export FILE_STORAGE_DIR="$WORK/files"
export MAIL_OUTBOX_DIR="$WORK/outbox"
unset REDIS_URL MAIL_SERVER TEST_DATABASE_URL FILE_STORAGE_S3_BUCKET || true
PORT=$("$VENV/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export BASE_URL="http://127.0.0.1:$PORT"
"$VENV/python" -m eventhub.assets >"$WORK/assets.log" 2>&1 || { cat "$WORK/assets.log" >&2; exit 1; }
"$VENV/pybabel" compile -d translations >"$WORK/babel.log" 2>&1 || { cat "$WORK/babel.log" >&2; exit 1; }

step "import every module of eventhub"
# From the working tree, as gunicorn below (and the README's production commands) import it.
"$VENV/python" - <<'EOF'
import importlib
import pkgutil
import traceback

import eventhub

failed = []
names = [m.name for m in pkgutil.walk_packages(eventhub.__path__, "eventhub.")]
for name in names:
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name)
        traceback.print_exc()
if failed:
    raise SystemExit(f"{len(failed)} of {len(names)} modules do not import: {', '.join(failed)}")
print(f"{len(names)} modules import")
EOF

step "schema and demo data (--visitors 0.01)"
"$VENV/flask" --app wsgi db upgrade >"$WORK/upgrade.log" 2>&1 || { cat "$WORK/upgrade.log" >&2; exit 1; }
"$VENV/flask" --app wsgi demo --visitors 0.01 >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }

step "gunicorn on 127.0.0.1:$PORT"
# One worker: without REDIS_URL the rate limits live in each process's memory, and production refuses
# several workers counting apart (eventhub/deployment.py).
"$VENV/gunicorn" --workers 1 --threads 4 --bind "127.0.0.1:$PORT" --timeout 120 wsgi:app >"$WORK/gunicorn.log" 2>&1 &
SERVER_PID=$!

step "HTTP smoke test"
"$VENV/python" scripts/prod_smoke.py "$BASE_URL"

step "stopping gunicorn"
kill -TERM "$SERVER_PID"
for _ in $(seq 1 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
SERVER_PID=""
# A worker that dies by a signal while stopping is no failure of the smoke test, but worth seeing.
grep -E "was sent SIG|Traceback|\[ERROR\]" "$WORK/gunicorn.log" >&2 && echo "(gunicorn's log above)" >&2 || true
step "production install: all well"
