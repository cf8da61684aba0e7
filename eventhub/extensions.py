"""Flask extensions, created unbound; `create_app` binds them to an app."""

import logging
import time

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool

# Named constraints make Alembic migrations reproducible on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects keep what they hold after a commit: a request is short and its session is its own, so
# re-reading every row after each commit (the default) only costs round trips. Rules that race with
# other requests never trust loaded values: they use conditional UPDATEs (registration/seats.py).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Per-IP limits are deliberately generous: a whole venue shares one Wi-Fi address.
# Tighter limits are keyed on the account or e-mail at the routes that need them.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def dont_wait_for_disk() -> None:
    """This transaction's commit returns before PostgreSQL has flushed it to disk (`synchronous_commit`
    off for it alone: ~2 ms less per commit on our machines, and fewer flushes for the others to wait
    behind). A database crash may then lose it – never its consistency – so only for writes that can
    be lost: an e-mail's delivery bookkeeping (at worst the e-mail is sent again). Never a seat, a
    ticket, a check-in or anything a person was told is done. SQLite (WAL, synchronous=NORMAL) does not
    wait for the disk at commit anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def reads_only() -> None:
    """This request only reads: on PostgreSQL its statements then run without BEGIN and ROLLBACK (psycopg's
    autocommit, a flag on the client, no round trip of its own) – two round trips fewer for a page that
    reads a few rows, a third of the crowd-read event page's. Each statement sees what was committed when
    it ran, not one snapshot for the request: for pages that show what they read and write nothing. Only
    before the request's first statement (else nothing changes)."""
    each_statement_commits()


def each_statement_commits() -> None:
    """On PostgreSQL, each statement from here on is a transaction of its own (psycopg's autocommit):
    no BEGIN and no COMMIT round trips. For a request that reads without needing one snapshot and
    writes, if at all, in one statement (registration's hot path: registration/seated_write.py) –
    `statements_in_transaction()` ends it before anything writes in several statements. Only before
    the request's first statement (else nothing changes)."""
    if db.engine.dialect.name != "postgresql" or db.session().in_transaction():
        return
    db.session.info["each_statement_commits"] = db.session.connection(
        execution_options={"isolation_level": "AUTOCOMMIT"})


def statements_in_transaction() -> None:
    """Ends `each_statement_commits`: the session lets its connection go (the pool restores its
    isolation level), and the next statement begins a transaction again. Before anything is added to
    the session: the commit would flush it one statement at a time. Nothing to do once a commit or a
    rollback has let that connection go: the session is in an ordinary transaction again, its owner's
    to commit."""
    connection = db.session.info.pop("each_statement_commits", None)
    if connection is not None and not connection.closed:
        db.session.commit()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL lets readers work while one writer commits; SQLite enforces foreign keys only when asked."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# A connection taken from the pool is pinged only when it sat unused for this long: it may have died
# meanwhile (a database restart, a firewall's idle timeout). pool_pre_ping pinged at every check-out,
# a round trip per request – one in six of a gate scan's. A connection used a moment ago and broken
# since fails its request cleanly (503, errors.py), which marks the whole pool stale: the next
# check-outs reconnect.
IDLE_PING_SECONDS = 5.0


@event.listens_for(Pool, "checkin")
def _note_idle_since(_dbapi_connection, record) -> None:
    if record is not None:
        record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    """SELECT 1 on a connection unused for IDLE_PING_SECONDS; a dead one makes the pool reconnect."""
    idle_since = record.info.get("idle_since")
    if (idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS
            or type(dbapi_connection).__module__ == "sqlite3"):  # in-process: nothing to lose
        return
    try:
        _ping(dbapi_connection)
    except Exception as exc:  # psycopg's OperationalError and kin: the server went away
        # As pool_pre_ping does: the other pooled connections are as old, so all are dropped.
        raise InvalidatePoolError(f"idle connection is dead: {exc}") from exc


def _ping(dbapi_connection) -> None:
    """One round trip outside any transaction (as SQLAlchemy's own ping for psycopg)."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
    finally:
        if not dbapi_connection.closed:
            dbapi_connection.autocommit = autocommit


def release_session(_exc=None) -> None:
    """Ends the request's session even when its connection died under it (the database restarted):
    the rollback that closing does would raise, turning an answered request into a 500. Runs before
    Flask-SQLAlchemy's own teardown, which then finds nothing left to close."""
    try:
        db.session.remove()
    except Exception:
        logging.getLogger(__name__).warning("Closing a session whose connection was lost", exc_info=True)
        try:
            db.session().invalidate()  # drop the dead connection without talking to it
        finally:
            db.session.registry.clear()
