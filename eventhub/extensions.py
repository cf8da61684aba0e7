"""Flask extensions, created unbound; `create_app` binds them to an app."""

import logging

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

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
