"""The file storage seam: a folder, or S3-compatible object storage over HTTP (moto's S3 server on
loopback stands in for MinIO or a provider's object storage); callers see the same four calls."""

import socket
from urllib.request import Request, urlopen

import boto3
import pytest
from moto.server import ThreadedMotoServer

from eventhub import jobs, storage
from eventhub.jobs.models import Job
from tests.factories import make_type, make_user, open_event, register, token_headers


@pytest.fixture
def s3(app, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    for name, value in (("AWS_ACCESS_KEY_ID", "eventhub"), ("AWS_SECRET_ACCESS_KEY", "eventhub-secret"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    endpoint = f"http://127.0.0.1:{port}"
    urlopen(Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10)  # moto keeps state per process
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="eventhub-files")
    app.config.update(FILE_STORAGE_S3_BUCKET="eventhub-files", FILE_STORAGE_S3_ENDPOINT=endpoint)
    yield endpoint
    app.config.update(FILE_STORAGE_S3_BUCKET=None, FILE_STORAGE_S3_ENDPOINT=None)
    server.stop()


@pytest.mark.parametrize("backend", ["folder", "s3"])
def test_put_get_exists_delete(app, request, backend):
    if backend == "s3":
        request.getfixturevalue("s3")
    with app.app_context():
        key = storage.put("jobs/abc/badges.pdf", b"%PDF-1.7 Nguy\xe1\xbb\x85n")
        assert storage.exists(key) and storage.get(key) == b"%PDF-1.7 Nguy\xe1\xbb\x85n"
        storage.delete(key)
        assert not storage.exists(key)
        with pytest.raises(ValueError):
            storage.put("../outside", b"x")


def test_a_job_result_goes_to_object_storage_and_downloads_from_it(app, client, db, s3):
    event = open_event()
    register(event, make_type(event), full_name="Nguyễn Thị Quý Trúc")
    organizer = make_user("organizer")
    job = jobs.start("badges", actor=organizer, event=event, event_id=event.id, layout="a6")
    db.session.expire_all()
    finished = db.session.get(Job, job.id)
    client_s3 = boto3.client("s3", endpoint_url=s3, region_name="us-east-1")
    listed = client_s3.list_objects_v2(Bucket="eventhub-files")
    assert [item["Key"] for item in listed["Contents"]] == [finished.result_key]
    response = client.get(f"/api/v1/jobs/{job.id}/result", headers=token_headers(organizer))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
