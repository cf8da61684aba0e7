"""`flask backup PATH` / `flask restore PATH`: the whole database and the file storage in one archive.

One portable format for both databases, so a backup taken on SQLite restores on PostgreSQL and the
other way round: a gzipped tar holding `manifest.json`, one `tables/<name>.jsonl` per table (a JSON
array of column values per line, in the order of the manifest's column list) and `files/<key>` for
every stored file.

Consistency while the app keeps serving:
- SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database, WAL
  included, into a snapshot file; the dump is read from that snapshot.
- PostgreSQL: every table is read in one REPEATABLE READ, READ ONLY transaction: one snapshot, as
  pg_dump does.

Restore writes tables parent-first (foreign-key order from the models), resets PostgreSQL's
sequences, and refuses a database that already holds rows unless `force=True` (then empties it).
"""

from __future__ import annotations

import base64
import contextlib
import enum
import importlib
import io
import json
import os
import pkgutil
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    inspect,
    select,
    text,
)

from . import storage
from .extensions import db

FORMAT = "eventhub-backup"
FORMAT_VERSION = 1
BATCH = 500


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


# --- values <-> JSON ----------------------------------------------------------------------------------

def _encode(value):
    if isinstance(value, enum.Enum):  # SQLAlchemy's Enum stores the member's name
        return value.name
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dtime):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    raise BackupError(f"cannot store a {type(value).__name__} value")


_DECODERS = {"$dt": datetime.fromisoformat, "$date": date.fromisoformat, "$time": dtime.fromisoformat,
             "$dec": Decimal, "$b64": base64.b64decode, "$uuid": UUID}


def _decode(value, is_json: bool):
    if is_json or not isinstance(value, dict) or len(value) != 1:
        return value
    (tag, raw), = value.items()
    decoder = _DECODERS.get(tag)
    return decoder(raw) if decoder else value


def _is_json(column) -> bool:
    kind = column.type
    kind = getattr(kind, "impl", kind)
    return isinstance(kind, JSON) or isinstance(column.type, JSON)


# --- which tables ---------------------------------------------------------------------------------------

def _load_models() -> None:
    """Every feature's models, also those a route only imports when it runs (a report's figures), so
    each table is written and read with its model's column types."""
    for module in pkgutil.walk_packages([str(Path(__file__).resolve().parent)], "eventhub."):
        if module.name.endswith(".models"):
            importlib.import_module(module.name)


def _tables(engine: Engine) -> list[Table]:
    """The models' tables present in the database, parents first, then any other table (e.g.
    alembic_version), reflected."""
    present = set(inspect(engine).get_table_names())
    ordered = [t for t in db.metadata.sorted_tables if t.name in present]
    known = {t.name for t in ordered}
    extra = sorted(present - known)
    if extra:
        reflected = MetaData()
        reflected.reflect(bind=engine, only=extra)
        ordered += [t for t in reflected.sorted_tables]
    return ordered


# --- backup ---------------------------------------------------------------------------------------------

@contextlib.contextmanager
def _snapshot() -> Iterator:
    """A connection that sees one consistent state of the database for as long as it is open."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        source = engine.url.database
        with tempfile.TemporaryDirectory(prefix="eventhub-backup-") as folder:
            copy = Path(folder) / "snapshot.db"
            live = sqlite3.connect(source, timeout=30)
            target = sqlite3.connect(copy)
            try:
                live.backup(target)  # the online backup API: consistent, WAL included
            finally:
                target.close()
                live.close()
            snap = create_engine(f"sqlite:///{copy}")
            try:
                with snap.connect() as conn:
                    yield conn
            finally:
                snap.dispose()
    else:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(data))


def _storage_root() -> Path | None:
    backend = storage.backend()
    return getattr(backend, "root", None)


@contextlib.contextmanager
def _private_file(path: Path) -> Iterator:
    """A new file only its owner can read: the archive holds password hashes and everyone's personal
    data. Created 0600 by open(2) itself (a umask can only take bits away), so it is never readable by
    others, not even while it is written; O_EXCL follows no symlink planted at that name. A leftover file
    of that name (an earlier run that died) is removed first."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as raw:
        yield raw


def backup(path: str | Path) -> dict:
    """Writes the archive to `path`; returns the manifest (row counts per table, file count)."""
    path = Path(path)
    _load_models()
    manifest = {"format": FORMAT, "version": FORMAT_VERSION, "dialect": db.engine.dialect.name,
                "created_at": datetime.now().astimezone().isoformat(), "tables": [], "files": 0}
    partial = path.with_name(path.name + ".part")
    with _private_file(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        with _snapshot() as conn:
            for table in _tables(conn.engine):
                columns = [c.name for c in table.columns]
                order = list(table.primary_key.columns) or list(table.columns)
                # A row pointing to another of its own table (a merged organization to the one it was
                # merged into, which may have a higher id) comes after the rows pointing nowhere: the
                # restore then inserts the row referred to first.
                pointing = [fk.parent.is_not(None) for fk in table.foreign_keys if fk.column.table is table]
                order = pointing + order
                with tempfile.TemporaryFile() as spool:
                    count = 0
                    for row in conn.execute(select(table).order_by(*order)):
                        spool.write(json.dumps([_encode(v) for v in row], ensure_ascii=False)
                                    .encode() + b"\n")
                        count += 1
                    info = tarfile.TarInfo(f"tables/{table.name}.jsonl")
                    info.size = spool.tell()
                    info.mtime = int(time.time())
                    spool.seek(0)
                    archive.addfile(info, spool)
                manifest["tables"].append({"name": table.name, "columns": columns, "rows": count})
        root = _storage_root()
        if root is not None and root.is_dir():
            for file in sorted(root.rglob("*")):
                if file.is_file() and not file.name.endswith(".part"):
                    archive.add(file, arcname="files/" + file.relative_to(root).as_posix(), recursive=False)
                    manifest["files"] += 1
        elif root is None:
            manifest["files_note"] = "object storage (S3) is not copied: use the bucket's versioning"
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    partial.replace(path)
    return manifest


# --- restore --------------------------------------------------------------------------------------------

def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError("not an EventHub backup (no manifest.json)") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("not an EventHub backup of a version this program reads")
    return manifest


def database_rows(engine: Engine | None = None) -> int:
    """Rows in the models' tables (alembic_version, which `flask db upgrade` fills, does not count)."""
    engine = engine or db.engine
    with engine.connect() as conn:
        return sum(conn.scalar(select(func.count()).select_from(t)) or 0 for t in _tables(engine)
                   if t.name in db.metadata.tables)


def _alembic_version(engine: Engine) -> Table:
    """Alembic's one-row table, made when a fresh database gets the backup of a migrated one, so a later
    `flask db upgrade` starts from the backup's revision."""
    table = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))
    table.create(engine, checkfirst=True)
    return table


def _empty(conn, tables: list[Table]) -> None:
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        if names:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            conn.execute(table.delete())


def _reset_sequences(conn, tables: list[Table]) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                   {"t": table.name, "c": column.name})
            if sequence:
                conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") FROM '
                                  f'"{table.name}"), 0) + 1, false)'), {"s": sequence})


def restore(path: str | Path, *, force: bool = False) -> dict:
    """Loads the archive at `path` into the configured database and file storage."""
    engine = db.engine
    db.session.remove()
    _load_models()
    with tarfile.open(path, "r:gz") as archive:
        manifest = _read_manifest(archive)
        db.metadata.create_all(engine)  # a fresh database: the models' tables
        if database_rows(engine) and not force:
            raise BackupError("the database is not empty; use --force to replace what it holds")
        if any(e["name"] == "alembic_version" for e in manifest["tables"]):
            _alembic_version(engine)
        tables = {t.name: t for t in _tables(engine)}
        skipped = []
        in_backup = {e["name"] for e in manifest["tables"]}
        with engine.begin() as conn:
            # the models' tables, and another table only when the backup brings its rows (a database
            # migrated here keeps its alembic_version if the backup has none)
            _empty(conn, [t for t in tables.values() if t.name in db.metadata.tables or t.name in in_backup])
            for entry in manifest["tables"]:
                table = tables.get(entry["name"])
                if table is None:  # a table outside the models (another tool's): reported, not restored
                    skipped.append(entry["name"])
                    continue
                names = entry["columns"]
                missing = [n for n in names if n not in table.columns]
                if missing:
                    raise BackupError(f"columns {missing} of {table.name} are not in this database")
                json_columns = {n for n in names if _is_json(table.columns[n])}
                stream = archive.extractfile(f"tables/{entry['name']}.jsonl")
                batch = []
                for line in stream:
                    values = json.loads(line)
                    batch.append({n: _decode(v, n in json_columns)
                                  for n, v in zip(names, values, strict=True)})
                    if len(batch) >= BATCH:
                        conn.execute(table.insert(), batch)
                        batch = []
                if batch:
                    conn.execute(table.insert(), batch)
            _reset_sequences(conn, list(tables.values()))
        files = 0
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("files/"):
                storage.put(member.name.removeprefix("files/"), archive.extractfile(member).read())
                files += 1
    return {"tables": len(manifest["tables"]) - len(skipped),
            "rows": sum(t["rows"] for t in manifest["tables"] if t["name"] not in skipped),
            "files": files, "from": manifest["dialect"], "skipped": skipped}
