"""BASELINE for the HTTP benchmarks: a bare Flask app on EventHub's stack, nothing else.

Flask + Flask-SQLAlchemy with one table and one Jinja template, served by the same gunicorn. EventHub's
routes are timed as a ratio of these in the same run. A benchmark fixture, not the product: it
creates its table (and a few rows) at start-up when missing. Routes:

    GET  /hello   plain text
    GET  /row     one row by primary key (?id=, default 1), rendered by a tiny Jinja page
    POST /insert  inserts one row and commits; 201 JSON
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, render_template, request
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import DateTime, String, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

SEED_ROWS = 100
ROW_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Row {{ row.id }}</title></head>
<body><h1>{{ row.name }}</h1><p>Created {{ row.created_at.strftime('%d/%m/%Y %H:%M') }}</p></body></html>
"""


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or "sqlite://"  # unset: in memory, nothing to set up
    if url.startswith(("postgres://", "postgresql://")):  # same normalisation as EventHub's config
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Same pragmas as eventhub/extensions.py, so SQLite figures compare like with like."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


db = SQLAlchemy()


class Item(db.Model):
    __tablename__ = "bench_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(UTC))


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = _database_url()
# A dict loader, not render_template_string: Flask caches compiled templates by name, as in EventHub.
app.jinja_env.loader = DictLoader({"row.html": ROW_TEMPLATE})
db.init_app(app)


@app.get("/hello")
def hello():
    return "Hello, World!", 200, {"Content-Type": "text/plain; charset=utf-8"}


@app.get("/row")
def row():
    item = db.get_or_404(Item, request.args.get("id", 1, type=int))
    return render_template("row.html", row=item)


@app.post("/insert")
def insert():
    item = Item(name=(request.get_json(silent=True) or {}).get("name", "inserted"))
    db.session.add(item)
    db.session.commit()
    return {"id": item.id}, 201


def _setup() -> None:
    """Creates the table and seed rows when missing. Two workers may race here on a fresh
    database; the harness primes it first (`python baseline_app.py`), and a loser just rolls back."""
    with app.app_context():
        try:
            db.create_all()
            if db.session.scalar(db.select(db.func.count(Item.id))) == 0:
                # No explicit ids: PostgreSQL's sequence must stay in step for /insert.
                db.session.add_all(Item(name=f"Row {i}") for i in range(1, SEED_ROWS + 1))
                db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
        finally:
            db.session.remove()
        db.engine.dispose()  # no connection opened here should outlive the set-up


if os.environ.get("DATABASE_URL"):
    _setup()

if __name__ == "__main__":  # the harness primes a fresh database this way, before gunicorn starts
    print("baseline tables ready" if os.environ.get("DATABASE_URL")
          else "baseline_app is a fixture of the bench_*.py scripts; set DATABASE_URL to prime a database")
