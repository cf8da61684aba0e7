"""Backups and a person's data with the check-ins' `device` (issue 17): the column travels in the archive,
an archive made before it existed still restores (its check-ins name no device), and the account's
download lists its check-ins as before."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import datetime

from sqlalchemy import create_engine, text

from eventhub import backup as backups
from eventhub import create_app
from eventhub.checkin import offline, services
from eventhub.extensions import db as _db
from eventhub.hooks import export_personal_data
from tests.factories import HCMC, make_user

NOW = datetime(2026, 12, 14, 18, 0, tzinfo=HCMC)


def _checked_in(gate) -> None:
    scan = {"ticket_code": gate["truc"].ticket_code, "gate": "Cổng B",
            "scanned_at": "2026-12-14T08:50:00+07:00"}
    results = offline.check_in_batch(gate["event"], [scan], device="Điện thoại Lan", now=NOW)
    assert results[0]["result"] == "ok"
    services.check_in(gate["event"], gate["dung"].ticket_code, gate="Cổng A", now=NOW)


def _without_device(archive, older) -> None:
    """The archive as a version before the column wrote it: no `device` among the check-ins' columns."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(older, "w:gz") as target:
        manifest = json.load(source.extractfile("manifest.json"))
        entry = next(e for e in manifest["tables"] if e["name"] == "checkins")
        at = entry["columns"].index("device")
        del entry["columns"][at]
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name == "tables/checkins.jsonl":
                rows = [json.loads(line) for line in data.splitlines()]
                data = b"".join(json.dumps(r[:at] + r[at + 1:], ensure_ascii=False).encode() + b"\n"
                                for r in rows)
            elif member.name == "manifest.json":
                data = json.dumps(manifest).encode()
            if data is not None:
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))


def _restored_devices(url: str, archive, files) -> list[tuple[str, str]]:
    other = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url,
                        "FILE_STORAGE_DIR": str(files)})
    with other.app_context():
        backups.restore(archive)
        _db.session.remove()
        _db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT gate, device FROM checkins ORDER BY gate")).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_the_device_travels_in_a_backup_and_older_archives_restore(app, gate, tmp_path):
    _checked_in(gate)
    previous = app.config.get("FILE_STORAGE_DIR")
    app.config["FILE_STORAGE_DIR"] = str(tmp_path / "files")
    try:
        archive = tmp_path / "eventhub.tar.gz"
        backups.backup(archive)
    finally:
        app.config["FILE_STORAGE_DIR"] = previous
    assert _restored_devices(f"sqlite:///{tmp_path / 'new.db'}", archive, tmp_path / "f1") == [
        ("Cổng A", ""), ("Cổng B", "Điện thoại Lan")]
    older = tmp_path / "older.tar.gz"
    _without_device(archive, older)
    assert _restored_devices(f"sqlite:///{tmp_path / 'old.db'}", older, tmp_path / "f2") == [
        ("Cổng A", ""), ("Cổng B", "")]


def test_the_account_download_lists_its_check_ins_with_the_new_column(gate):
    user = make_user("participant", email="truc.account@example.vn")
    gate["truc"].user_id = user.id
    _db.session.commit()
    _checked_in(gate)
    assert export_personal_data(user)["checkins"] == [
        {"registration": gate["truc"].id, "day": "2026-12-14", "gate": "Cổng B",
         "checked_in_at": "2026-12-14T01:50:00+00:00", "undone": False}]
