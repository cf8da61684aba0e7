"""Object-level rules the role matrix cannot see: a judge reaches only the entries assigned to them and
not conflicted, and a manage link opens its own registration only."""

from __future__ import annotations

import pytest

from tests.factories import token_headers
from tests.support.world import build_world, sign_in


@pytest.fixture
def world(db):
    built = build_world()
    assert "entry" in built.extra, "contests landed: the world has a contest with a judge"
    return built


def test_a_judge_sees_and_scores_only_assigned_unconflicted_entries(app, world):
    judge = world.users["judge"]
    client = app.test_client()
    headers = token_headers(judge)
    mine, other, conflicted = (world.extra[k] for k in ("entry", "unassigned_entry", "conflicted_entry"))
    listed = client.get("/api/v1/judge/assignments", headers=headers).get_json()
    assert [item["id"] for item in listed["items"]] == [mine.id]
    assert client.get(f"/api/v1/entries/{mine.id}", headers=headers).status_code == 200
    scores = {"scores": {"team": 7}, "submit": True}
    for entry in (other, conflicted):
        assert client.get(f"/api/v1/entries/{entry.id}", headers=headers).status_code in (403, 404)
        scored = client.put(f"/api/v1/entries/{entry.id}/scores", json=scores, headers=headers)
        assert scored.status_code == 403
    sign_in(client, judge)
    assert client.get(f"/judge/entries/{mine.id}").status_code == 200
    for entry in (other, conflicted):
        page = client.get(f"/judge/entries/{entry.id}")
        assert page.status_code in (403, 404)
        assert entry.title not in page.get_data(as_text=True)
    home = client.get("/judge").get_data(as_text=True)
    assert mine.title in home and other.title not in home and conflicted.title not in home


def test_another_contests_judge_sees_nothing_of_this_one(app, world):
    outsider = world.users["investor"]
    client = app.test_client()
    headers = token_headers(outsider)
    assert client.get("/api/v1/judge/assignments", headers=headers).get_json()["items"] == []
    entry = world.extra["entry"]
    assert client.get(f"/api/v1/entries/{entry.id}", headers=headers).status_code == 403
    assert client.put(f"/api/v1/entries/{entry.id}/scores", json={"scores": {"team": 1}},
                      headers=headers).status_code == 403


def test_a_manage_link_opens_its_own_registration_only(app, world):
    client = app.test_client()
    for token, reg, other in ((world.manage_token, world.registration, world.other_registration),
                              (world.other_token, world.other_registration, world.registration)):
        data = client.get(f"/r/{token}/data.json").get_json()
        text = str(data)
        assert reg.email in text and other.email not in text
        page = client.get(f"/r/{token}").get_data(as_text=True)
        assert reg.full_name in page and other.full_name not in page
    # a token of this event's registration does not open an admin page, nor the API
    assert client.get(f"/api/v1/registrations/{world.registration.id}",
                      headers={"Authorization": f"Bearer {world.manage_token}"}).status_code == 401
