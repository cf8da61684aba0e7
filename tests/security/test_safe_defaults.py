"""Safe defaults (issue 13, items 10 and 4): a start without EVENTHUB_CONFIG – which is how
`gunicorn wsgi:app` starts – is production: no debug, no public or empty key; and production refuses rate
limits kept in each worker's memory when several workers serve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gunicorn.app.base import BaseApplication

from eventhub import create_app
from eventhub.config import DEFAULT_SECRET_KEY
from eventhub.deployment import UnsafeSettings
from eventhub.extensions import db as _db
from eventhub.extensions import limiter
from tests.support.live import free_port

ROOT = Path(__file__).resolve().parents[2]
A_REAL_KEY = "0f6c1d2e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"
DEPLOYMENT_VARIABLES = ("EVENTHUB_CONFIG", "SECRET_KEY", "TICKET_KEY", "REDIS_URL", "RATELIMIT_STORAGE_URI",
                        "RATELIMIT_ENABLED", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "DATABASE_URL")


@pytest.fixture(autouse=True)
def clean_environment(app, monkeypatch):
    """No deployment setting from the machine running the tests; the Limiter object (one per process)
    goes back to the session's app after a test has built apps of its own."""
    for name in DEPLOYMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield
    limiter.init_app(app)


def build(**settings):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
    with app.app_context():
        _db.engine.dispose()
    return app


# --- item 10: no EVENTHUB_CONFIG is production ---------------------------------------------------------

def test_a_start_without_config_refuses_the_public_default_key():
    """With it anyone could sign a calendar-feed token for another person's meetings (and sessions)."""
    with pytest.raises(UnsafeSettings, match="SECRET_KEY is the default"):
        build(SECRET_KEY=DEFAULT_SECRET_KEY)


def test_a_start_without_config_is_production_without_debug():
    app = build(SECRET_KEY=A_REAL_KEY)
    assert app.debug is False and app.config["DEBUG"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is True  # the production configuration


@pytest.mark.parametrize("key, reason", [
    ("", "empty"), ("   ", "empty"), (None, "empty"),
    (DEFAULT_SECRET_KEY, "default"), ("testing-secret-key", "default"),  # both printed in the source
    ("hunter2", "7 characters"),
])
def test_production_refuses_empty_public_and_short_keys(key, reason):
    for config in (None, "production"):
        settings = {"SECRET_KEY": key} | ({"ENV_CONFIG": config} if config else {})
        with pytest.raises(UnsafeSettings, match=reason):
            build(**settings)


def test_a_public_ticket_key_is_refused_too():
    with pytest.raises(UnsafeSettings, match="TICKET_KEY is the default"):
        build(SECRET_KEY=A_REAL_KEY, TICKET_KEY=DEFAULT_SECRET_KEY)
    build(SECRET_KEY=A_REAL_KEY, TICKET_KEY="")  # unset: derived from SECRET_KEY


def test_only_an_explicit_development_config_runs_with_debug_and_the_built_in_key(monkeypatch):
    monkeypatch.setenv("EVENTHUB_CONFIG", "development")
    app = build()
    assert app.debug is True and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY


def test_an_unknown_config_name_is_refused_with_the_known_ones(monkeypatch):
    monkeypatch.setenv("EVENTHUB_CONFIG", "prod")
    with pytest.raises(UnsafeSettings, match="development, testing, production"):
        build(SECRET_KEY=A_REAL_KEY)


def _environment(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DEPLOYMENT_VARIABLES}
    # wsgi.py loads the repository's .env, where the README tells developers to put
    # EVENTHUB_CONFIG=development: on such a machine these starts would run relaxed and the tests fail.
    env.update({"EVENTHUB_INSTANCE_PATH": str(tmp_path / "instance"), "PYTHON_DOTENV_DISABLED": "1",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'eventhub.db'}", **extra})
    return env


def test_wsgi_module_as_gunicorn_loads_it_refuses_to_start_without_a_key(tmp_path):
    loaded = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=_environment(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert loaded.returncode != 0
    assert "refuses to start: SECRET_KEY" in loaded.stderr


# --- item 4: several workers need a shared store for the limits ------------------------------------------

class Gunicorn(BaseApplication):
    """gunicorn's own application object, loading EventHub as `gunicorn wsgi:app` does in each worker."""

    def __init__(self, options, settings):
        self.options, self.settings = options, settings
        super().__init__()

    def load_config(self):
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": A_REAL_KEY, **self.settings})


def test_several_gunicorn_workers_with_limits_in_memory_are_refused():
    with pytest.raises(UnsafeSettings, match=r"3 web worker processes .* REDIS_URL"):
        Gunicorn({"workers": 3}, {}).wsgi()


def test_one_worker_or_a_shared_store_or_no_limits_start():
    assert Gunicorn({"workers": 1}, {}).wsgi()
    assert Gunicorn({"workers": 3}, {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}).wsgi()
    assert Gunicorn({"workers": 3}, {"RATELIMIT_ENABLED": False}).wsgi()  # benchmark rigs
    assert Gunicorn({"workers": 3}, {"ENV_CONFIG": "development"}).wsgi()


def test_web_concurrency_says_several_workers_too(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with pytest.raises(UnsafeSettings, match=r"4 web worker processes \(WEB_CONCURRENCY\)"):
        build(SECRET_KEY=A_REAL_KEY)


def test_gunicorn_with_two_workers_and_no_redis_stops_with_the_reason(tmp_path):
    """The real command of the README, without REDIS_URL: gunicorn halts ("Worker failed to boot")."""
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{free_port()}",
               "wsgi:app"]
    served = subprocess.run(command, cwd=ROOT, env=_environment(tmp_path, SECRET_KEY=A_REAL_KEY),
                            capture_output=True, text=True, timeout=120)
    assert served.returncode != 0
    assert "2 web worker processes (gunicorn's workers setting)" in served.stdout + served.stderr
