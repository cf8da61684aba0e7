"""The committed migrations build the schema on a fresh database and agree with the models."""

import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from eventhub import create_app
from eventhub.extensions import db

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


def _fresh_database_url(database_url: str, tmp_path) -> tuple[str, callable]:
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'migrations.db'}", lambda: None
    parsed = make_url(database_url)
    name = f"eventhub_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return parsed.set(database=name).render_as_string(hide_password=False), drop


def test_migrations_match_the_models(database_url, tmp_path):
    url, drop = _fresh_database_url(database_url, tmp_path)
    try:
        app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            upgrade(directory=MIGRATIONS)  # idempotent: a second run changes nothing
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            db.engine.dispose()
        assert differences == []
    finally:
        drop()
