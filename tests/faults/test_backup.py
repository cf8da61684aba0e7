"""`flask backup` / `flask restore`: a round trip keeps every row and every stored file, on SQLite and on
PostgreSQL, and across the two (the archive's format is the same for both)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from eventhub import backup as backups
from eventhub import create_app, jobs, storage
from eventhub.checkin import services as checkin
from eventhub.extensions import db as _db
from eventhub.registration.models import SEAT_HOLDING
from tests.factories import make_type, make_user, open_event, register
from tests.support.database import postgres_url


def _dump(engine) -> dict[str, list]:
    """Every table's rows, values encoded as the archive encodes them, in primary-key order."""
    rows = {}
    with engine.connect() as conn:
        for table in backups._tables(engine):
            if table.name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            rows[table.name] = [[backups._encode(v) for v in row]
                                for row in conn.execute(select(table).order_by(*order))]
    return rows


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def files_dir(app, tmp_path):
    previous = app.config.get("FILE_STORAGE_DIR")
    app.config["FILE_STORAGE_DIR"] = str(tmp_path / "files")
    yield tmp_path / "files"
    app.config["FILE_STORAGE_DIR"] = previous


@pytest.fixture
def filled(db, files_dir):
    """An event with people, a check-in, e-mails, an audit trail and a badge PDF in the file storage."""
    organizer = make_user("organizer", full_name="Lê Thị Tổ Chức")
    event = open_event(name="Ngày hội Khởi nghiệp – Đổi mới sáng tạo")
    visitor = make_type(event, code="visitor", name="Khách tham quan", capacity=50)
    people = [register(event, visitor, full_name=name, email=f"p{i}@example.vn",
                       organization="Công ty Đổi Mới")[0]
              for i, name in enumerate(["Nguyễn Thị Quý Trúc", "Trần Văn Đức", "<script>alert(1)</script>",
                                        "Robert'); DROP TABLE users;--"])]
    checkin.check_in_registration(event, people[0], staff=organizer)
    job = jobs.start("badges", actor=organizer, event=event, event_id=event.id, layout="a6", type=None,
                     status="confirmed")
    storage.put("uploads/logo.txt", "Đổi mới sáng tạo".encode())
    _db.session.expire_all()
    return {"event": event, "job": job}


def _restore_into(url: str, archive: Path, files: Path, *, force: bool = False):
    """A second app on another database and file folder, as on a new server; restores the archive."""
    other = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url,
                        "FILE_STORAGE_DIR": str(files)})
    with other.app_context():
        if make_url(url).get_backend_name() == "postgresql":
            _db.drop_all()
        summary = backups.restore(archive, force=force)
        return other, summary


def _postgres_target(name: str) -> str:
    return postgres_url(name)


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_round_trip_keeps_every_row_and_file(app, db, filled, files_dir, tmp_path, target):
    archive = tmp_path / "eventhub.tar.gz"
    manifest = backups.backup(archive)
    assert manifest["dialect"] == db.engine.dialect.name
    assert manifest["files"] >= 2  # the badge PDF and the upload
    before, files_before = _dump(db.engine), _files(files_dir)
    assert before["registrations"] and before["checkins"] and before["audit_entries"] and before["jobs"]

    url = f"sqlite:///{tmp_path / 'restored.db'}" if target == "sqlite" else _postgres_target("restore")
    other, summary = _restore_into(url, archive, tmp_path / "restored-files")
    assert summary["rows"] == sum(len(rows) for rows in before.values())
    with other.app_context():
        assert _dump(_db.engine) == before
        # the sequences go on after the restored ids: a new row does not collide
        new = make_user("participant")
        assert new.id > max(row[0] for row in before["users"])
        _db.session.remove()
        _db.engine.dispose()
    assert _files(tmp_path / "restored-files") == files_before


def test_restore_refuses_a_database_with_rows_unless_forced(app, db, filled, files_dir, tmp_path):
    archive = tmp_path / "eventhub.tar.gz"
    backups.backup(archive)
    before = _dump(db.engine)
    make_user("participant", email="added-after-backup@example.vn")
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(archive)
    assert _dump(db.engine) != before  # untouched
    backups.restore(archive, force=True)
    db.session.expire_all()
    assert _dump(db.engine) == before


def test_backup_is_consistent_while_writes_go_on(app, db, filled, files_dir, tmp_path):
    """A writer committing during the backup: the archive holds a state where every registration's
    seat count matches its rows (one snapshot), never half of a transaction."""
    import threading

    event = filled["event"]
    rtype_id = db.session.scalar(text("SELECT id FROM registration_types WHERE code = 'visitor'"))
    stop = threading.Event()

    def write():
        n = 0
        with app.app_context():
            from eventhub.events.models import Event
            from eventhub.registration.models import RegistrationType

            ev = _db.session.get(Event, event.id)
            rtype = _db.session.get(RegistrationType, rtype_id)
            while not stop.is_set() and n < 40:
                register(ev, rtype, email=f"late{n}@example.vn", notify=False)
                n += 1
            _db.session.remove()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        archive = tmp_path / "during.tar.gz"
        backups.backup(archive)
    finally:
        stop.set()
        writer.join()
    target = tmp_path / "consistent.db"
    _other, _summary = _restore_into(f"sqlite:///{target}", archive, tmp_path / "f2")
    holding = ", ".join(f"'{s.name}'" for s in SEAT_HOLDING)
    engine = create_engine(f"sqlite:///{target}")
    with engine.connect() as conn:
        seated = conn.scalar(text(f"SELECT COUNT(*) FROM registrations WHERE status IN ({holding}) "
                                  "AND registration_type_id = :t"), {"t": rtype_id})
        taken = conn.scalar(text("SELECT taken FROM registration_types WHERE id = :t"), {"t": rtype_id})
    engine.dispose()
    assert seated >= 4
    assert taken == seated  # the counter and the rows come from one moment


def test_cli_backup_and_restore(app, db, filled, files_dir, tmp_path):
    runner = app.test_cli_runner()
    archive = tmp_path / "cli.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output and archive.is_file()
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0 and "not empty" in refused.output
    forced = runner.invoke(args=["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    assert "Restored" in forced.output


def test_restore_rejects_a_file_that_is_not_a_backup(app, db, tmp_path):
    import tarfile

    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        (tmp_path / "x.txt").write_text("x")
        archive.add(tmp_path / "x.txt", arcname="x.txt")
    with pytest.raises(backups.BackupError, match="not an EventHub backup"):
        backups.restore(bogus)


def test_a_migrated_database_restores_onto_a_fresh_or_just_upgraded_one(app, db, filled, files_dir, tmp_path):
    """alembic_version travels with the data; a target that only has it (after `flask db upgrade`) counts
    as empty, so no --force is needed, and its revision becomes the backup's."""
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('fb84bc6e95ef')"))
    try:
        archive = tmp_path / "migrated.tar.gz"
        backups.backup(archive)
        fresh = tmp_path / "fresh.db"
        _restore_into(f"sqlite:///{fresh}", archive, tmp_path / "f1")
        upgraded = tmp_path / "upgraded.db"
        engine = create_engine(f"sqlite:///{upgraded}")
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
            conn.execute(text("INSERT INTO alembic_version VALUES ('044412e4ff3e')"))
        engine.dispose()
        _other, summary = _restore_into(f"sqlite:///{upgraded}", archive, tmp_path / "f2")
        assert summary["skipped"] == []
        for target in (fresh, upgraded):
            engine = create_engine(f"sqlite:///{target}")
            with engine.connect() as conn:
                assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "fb84bc6e95ef"
                assert conn.scalar(text("SELECT count(*) FROM registrations")) == 4
            engine.dispose()
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
