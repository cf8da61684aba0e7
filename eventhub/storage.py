"""One seam for generated files and uploads: put and get bytes by key.

Two backends, chosen by the configuration: a folder (FILE_STORAGE_DIR, default instance/files: a
shared folder when several app servers and workers run), or S3-compatible object storage
(FILE_STORAGE_S3_BUCKET, with FILE_STORAGE_S3_ENDPOINT for MinIO, Ceph, Viettel or FPT object
storage, and the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). Callers never know which.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask import current_app

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,250}$")


def _check(key: str) -> str:
    if not _KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class FolderStorage:
    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _check(key)

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + f".{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(path)  # atomic: a reader never sees half a file

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    def __init__(self, bucket: str, endpoint: str | None, region: str | None):
        import boto3  # only where S3 is configured

        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=endpoint or None, region_name=region or None)

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=_check(key), Body=data)

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=_check(key))["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=_check(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=_check(key))


def backend():
    """The configured backend, made once per app (a boto3 client is costly to make)."""
    app = current_app._get_current_object()
    config = app.config
    wanted = (config.get("FILE_STORAGE_S3_BUCKET"), config.get("FILE_STORAGE_S3_ENDPOINT"),
              config.get("FILE_STORAGE_DIR"))
    cached = app.extensions.get("eventhub_storage")
    if cached is None or cached[0] != wanted:
        if wanted[0]:
            made = S3Storage(wanted[0], wanted[1], config.get("FILE_STORAGE_S3_REGION"))
        else:
            made = FolderStorage(Path(wanted[2]) if wanted[2] else Path(app.instance_path) / "files")
        cached = app.extensions["eventhub_storage"] = (wanted, made)
    return cached[1]


def put(key: str, data: bytes) -> str:
    """Stores `data` under `key`; returns the key."""
    backend().put(key, data)
    return key


def get(key: str) -> bytes:
    return backend().get(key)


def exists(key: str) -> bool:
    return backend().exists(key)


def delete(key: str) -> None:
    backend().delete(key)
