"""One seam for generated files and uploads: a local folder by default.

Several app servers and workers must see the same files, so production points FILE_STORAGE_DIR at a
shared folder (NFS) – an S3-compatible backend can take this interface's place without callers
changing: they only put and get bytes by key.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask import current_app

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,250}$")


def _root() -> Path:
    configured = current_app.config.get("FILE_STORAGE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "files"


def _path(key: str) -> Path:
    if not _KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"not a storage key: {key!r}")
    return _root() / key


def put(key: str, data: bytes) -> str:
    """Stores `data` under `key` atomically (a reader never sees half a file); returns the key."""
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)
    return key


def get(key: str) -> bytes:
    return _path(key).read_bytes()


def exists(key: str) -> bool:
    return _path(key).is_file()


def delete(key: str) -> None:
    _path(key).unlink(missing_ok=True)
