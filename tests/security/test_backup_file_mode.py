"""`flask backup` writes an archive holding password hashes and everyone's personal data: only its owner may
read it, from the first byte written (issue 13, item 11)."""

from __future__ import annotations

import os
import stat
import tarfile

import pytest

from eventhub import backup as backups
from tests.factories import make_user


@pytest.fixture
def open_umask():
    """The usual umask of a shell (022), under which a plain open() makes a world-readable 0644 file."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_cli_backup_is_readable_by_its_owner_only(app, db, tmp_path, open_umask):
    make_user(email="owner@example.vn")
    target = tmp_path / "eventhub.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert _mode(target) == 0o600
    with tarfile.open(target) as archive:  # a real archive, holding the accounts
        users = archive.extractfile("tables/users.jsonl").read().decode()
    assert "owner@example.vn" in users


def test_the_archive_is_never_readable_by_others_while_it_is_written(app, db, tmp_path, open_umask,
                                                                      monkeypatch):
    """No window: the partial file is 0600 from its creation, not chmod-ed at the end."""
    make_user()
    target = tmp_path / "eventhub.tar.gz"
    seen = []
    original = backups._add_bytes

    def watching(archive, name, data):
        seen.append(_mode(target.with_name(target.name + ".part")))
        return original(archive, name, data)

    monkeypatch.setattr(backups, "_add_bytes", watching)
    backups.backup(target)
    assert seen == [0o600]
    assert _mode(target) == 0o600


def test_a_leftover_world_readable_file_is_replaced_by_a_private_one(app, db, tmp_path, open_umask):
    target = tmp_path / "eventhub.tar.gz"
    partial = target.with_name(target.name + ".part")
    for leftover in (target, partial):
        leftover.write_bytes(b"an older archive")
        leftover.chmod(0o644)
    backups.backup(target)
    assert _mode(target) == 0o600
    assert not partial.exists()
