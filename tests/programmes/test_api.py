"""/api/v1/programmes: api.md's contract, who may use it, and bad input."""

from __future__ import annotations

import copy

import pytest

from tests.factories import token_headers
from tests.support.api import assert_error, assert_field_errors

from .conftest import BODY


def _post(client, headers, **changes):
    body = copy.deepcopy(BODY)
    body.update(changes)
    return client.post("/api/v1/programmes", json=body, headers=headers)


def test_create_then_read_the_report(client, world, people):
    headers = token_headers(people["organizer"])
    created = _post(client, headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["code"] == BODY["code"]
    assert len(created.get_json()["targets"]) == 4
    listed = client.get("/api/v1/programmes", headers=headers).get_json()["items"]
    assert [item["code"] for item in listed] == [BODY["code"]]
    one = client.get(f"/api/v1/programmes/{BODY['code']}", headers=headers)
    assert one.get_json()["start_year"] == 2024
    report = client.get(f"/api/v1/programmes/{BODY['code']}/report", headers=headers)
    assert report.status_code == 200
    body = report.get_json()
    assert set(body) == {"code", "name", "years"}
    assert [y["year"] for y in body["years"]] == [2024, 2025, 2026]
    assert body["years"][2]["indicators"] == {
        "registrations": {"target": 5.0, "actual": 6}, "exhibitors": {"target": 3.0, "actual": 2},
        "distinct.people_checked_in": {"target": 2.5, "actual": 3}}
    assert body["years"][0]["indicators"]["registrations"] == {"target": 100.0, "actual": None}
    assert body["years"][1]["indicators"]["exhibitors"] == {"target": None, "actual": None}


def test_unknown_indicator_is_named(client, world, people):
    response = _post(client, token_headers(people["organizer"]),
                     targets=[{"indicator": "khach_tham_quan", "year": 2025, "target": 3}])
    assert "khach_tham_quan" in assert_field_errors(response, "targets")["targets"][0]


@pytest.mark.parametrize("targets", [
    [{"indicator": "contests", "year": 2023, "target": 3}],
    [{"indicator": "contests", "year": 2025, "target": 3},
     {"indicator": "contests", "year": 2025, "target": 4}],
    [{"indicator": "contests", "year": 2025, "target": -3}],
    [{"indicator": "contests", "year": 2025, "target": "nhiều"}],
    "contests",
])
def test_bad_targets_are_422(client, world, people, targets):
    fields = assert_error(_post(client, token_headers(people["organizer"]), targets=targets), 422)["fields"]
    assert all(name.startswith("targets") for name in fields)  # e.g. "targets.0.target" for a type error


@pytest.mark.parametrize("changes, field", [
    ({"start_year": "2024"}, "start_year"), ({"end_year": 2023}, "end_year"), ({"code": ""}, "code"),
    ({"code": "x" * 41}, "code"), ({"name": None}, "name"), ({"start_year": 1800}, "start_year"),
])
def test_bad_fields_are_422(client, world, people, changes, field):
    assert_field_errors(_post(client, token_headers(people["organizer"]), **changes), field)


def test_a_code_twice_is_409(client, world, people):
    headers = token_headers(people["organizer"])
    assert _post(client, headers).status_code == 201
    assert_error(_post(client, headers, name="Một đề án khác"), 409, "duplicate_code")


def test_unknown_code_is_404(client, world, people):
    headers = token_headers(people["organizer"])
    for path in ("NOPE", "NOPE/report"):
        assert_error(client.get(f"/api/v1/programmes/{path}", headers=headers), 404, "not_found")


@pytest.mark.parametrize("who", ["event_organizer", "participant", "staff"])
def test_only_the_departments_organizers(client, world, people, who):
    headers = token_headers(people[who])
    assert_error(_post(client, headers), 403, "forbidden")
    assert_error(client.get("/api/v1/programmes", headers=headers), 403, "forbidden")
    assert_error(client.get("/api/v1/programmes/X/report", headers=headers), 403, "forbidden")


def test_without_a_token_401(client, world):
    assert_error(_post(client, {}), 401)
    assert_error(client.get("/api/v1/programmes"), 401)
