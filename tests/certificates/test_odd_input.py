"""Whatever a client sends to the certificate endpoints, the answer is never a 500."""

from __future__ import annotations

import pytest

from eventhub.certificates import services
from eventhub.certificates.holders import holders_for
from tests.factories import token_headers

ODD_SERIALS = [
    "%00",
    "..",
    "%2e%2e",
    "a" * 5000,
    "ZZZZ-ZZZZ-ZZZZ",
    "zzzzzzzzzzzz",
    "%F0%9F%98%80",
    "%C3%A9",
    "%FF",
    "1%0A2",
    "%E2%80%8B",
    "-",
    "%20",
    "null",
    "0x10",
    "..%2f..%2fetc%2fpasswd",
    "ZZZZ-ZZZZ-ZZZZ.json",
    "%25",
    "ＺＺＺＺ-ＺＺＺＺ-ＺＺＺＺ",
]
PATHS = [
    "/api/v1/certificates/{s}",
    "/api/v1/certificates/{s}.pdf",
    "/verify/{s}",
    "/ob/assertions/{s}.json",
    "/certificates/{s}/download?t=x",
    "/r/abc/certificates/{s}.pdf",
]


@pytest.mark.parametrize("serial", ODD_SERIALS)
def test_odd_serials_never_give_a_500(client, day, organizer, serial):
    headers = token_headers(organizer)
    for path in PATHS:
        for extra in ({}, headers, {"X-Manage-Token": serial[:200]}):
            response = client.get(path.format(s=serial), headers=extra)
            assert response.status_code in (400, 401, 403, 404, 410), (path, serial, response.status_code)
    response = client.post(f"/api/v1/certificates/{serial}/revoke", json={"reason": "x"}, headers=headers)
    assert response.status_code in (400, 404, 405), response.status_code


@pytest.mark.parametrize(
    "body",
    [
        {"reason": None},
        {"reason": 5},
        {"reason": ["a"]},
        {"reason": {"a": 1}},
        {"reason": "x" * 100_000},
        {"reason": "a\x00b"},
        {"reason": "   "},
        {},
        [],
        "reason",
        10**40,
        {"reason": "a\x07b"},
    ],
)
def test_odd_revoke_bodies_are_refused_cleanly(client, db, day, organizer, body):
    event = day["event"]
    (cert, *_rest) = services.ensure_certificates(event, "participation", holders_for(event, "participation"))
    response = client.post(
        f"/api/v1/certificates/{cert.serial}/revoke", json=body, headers=token_headers(organizer)
    )
    assert response.status_code in (400, 422), (body, response.status_code, response.get_json())
    assert client.get(f"/api/v1/certificates/{cert.serial}").get_json()["status"] == "valid"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "participation", "registration_ids": None},
        {"kind": "participation", "registration_ids": [True]},
        {"kind": "participation", "registration_ids": [1.5]},
        {"kind": "participation", "registration_ids": [[1]]},
        {"kind": "participation", "registration_ids": [2**31]},
        {"kind": "participation", "registration_ids": [-(10**40)]},
        {"kind": "participation", "registration_ids": list(range(1, 10_002))},
        {"kind": "participation", "registration_ids": list(range(1, 10_001))},
        {"kind": "award", "registration_ids": list(range(1, 10_001))},
        {"kind": ["participation"]},
        {"kind": None},
        {"kind": "PARTICIPATION"},
        {"kind": "x" * 100_000},
        [],
        "participation",
        None,
    ],
)
def test_odd_issue_bodies_never_give_a_500(client, day, organizer, body):
    response = client.post(
        "/api/v1/events/startup-day/certificates", json=body, headers=token_headers(organizer)
    )
    assert response.status_code in (202, 400, 422), (response.status_code, response.get_json())


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999",
        "page=-1",
        "per_page=abc",
        "per_page=100000",
        "kind=x",
        "status=%00",
        "kind=participation&status=valid&page=2",
    ],
)
def test_odd_list_queries_never_give_a_500(client, day, organizer, query):
    response = client.get(
        f"/api/v1/events/startup-day/certificates?{query}", headers=token_headers(organizer)
    )
    assert response.status_code in (200, 400, 422), (query, response.status_code)
