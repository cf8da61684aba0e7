"""POST/GET /api/v1/events/{slug}/messages as api.md states them: 202 with the count and the job, the
list envelope, 422 per field, 413 for a body over 50 KB, 403 for others, 404, 409 when not cancellable."""

from __future__ import annotations

from datetime import timedelta

from eventhub.dbtypes import utcnow
from tests.factories import make_event, make_user, token_headers

from .helpers import registrants_world

SUBJECT = "Thư mời {{ name }}"
BODY = "Kính gửi {{ name }},\n\nVé của bạn: {{ ticket }}"


def _post(client, world, headers, **body):
    payload = {"audience": {"kind": "registrants"}, "subject": SUBJECT, "body": BODY, **body}
    return client.post(f"/api/v1/events/{world.event.slug}/messages", json=payload, headers=headers)


def test_send_now_schedule_list_show_and_cancel(db, client):
    world = registrants_world()
    headers = token_headers(world.organizer)
    sent = _post(client, world, headers)
    assert sent.status_code == 202, sent.get_json()
    answer = sent.get_json()
    assert answer["recipients"] == 3 and isinstance(answer["job_id"], str) and isinstance(answer["id"], int)

    later = (utcnow() + timedelta(days=3)).isoformat()
    scheduled = _post(client, world, headers, send_at=later,
                      audience={"kind": "registrants", "types": ["press"]})
    assert scheduled.status_code == 202 and scheduled.get_json()["recipients"] == 1
    assert "job_id" not in scheduled.get_json()
    scheduled_id = scheduled.get_json()["id"]

    listed = client.get(f"/api/v1/events/{world.event.slug}/messages", headers=headers).get_json()
    assert listed["total"] == 2 and listed["page"] == 1 and listed["per_page"] == 50
    first, second = listed["items"]
    assert {k: first[k] for k in ("id", "recipients", "state")} == {"id": scheduled_id, "recipients": 1,
                                                                     "state": "scheduled"}
    assert first["audience"] == {"kind": "registrants", "types": ["press"], "statuses": ["confirmed"]}
    assert second["sent"] == 3 and second["failed"] == 0 and second["state"] == "sent"
    assert second["subject"] == SUBJECT and second["send_at"] is None
    for key in ("id", "subject", "audience", "recipients", "sent", "failed", "send_at", "state"):
        assert key in first

    base = f"/api/v1/events/{world.event.slug}/messages"
    assert client.get(f"{base}/{scheduled_id}", headers=headers).get_json()["state"] == "scheduled"
    cancelled = client.post(f"{base}/{scheduled_id}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["state"] == "cancelled"
    again = client.post(f"{base}/{scheduled_id}/cancel", headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_cancellable"
    sent_one = client.post(f"{base}/{answer['id']}/cancel", headers=headers)
    assert sent_one.status_code == 409


def test_bad_input_is_422_per_field_and_413_for_a_huge_body(db, client):
    world = registrants_world()
    headers = token_headers(world.organizer)
    nobody = _post(client, world, headers, audience={"kind": "registrants", "statuses": ["waitlisted"]})
    assert nobody.status_code == 422
    assert list(nobody.get_json()["error"]["fields"]) == ["audience"]
    unknown = _post(client, world, headers, body="Chào {{ ho_ten }}")
    assert unknown.status_code == 422 and "ho_ten" in unknown.get_json()["error"]["fields"]["body"][0]
    past = _post(client, world, headers, send_at=(utcnow() - timedelta(hours=1)).isoformat())
    assert past.status_code == 422 and list(past.get_json()["error"]["fields"]) == ["send_at"]
    garbled = _post(client, world, headers, send_at="ngày mai", subject=12, audience={"kind": 3})
    assert garbled.status_code == 422
    assert set(garbled.get_json()["error"]["fields"]) == {"send_at", "subject", "audience"}
    odd = _post(client, world, headers, send_at="0001-01-01T00:00:00+14:00", subject="Chào\nbạn")
    assert odd.status_code == 422 and set(odd.get_json()["error"]["fields"]) == {"send_at", "subject"}
    huge = _post(client, world, headers, body="ư" * 26_000)
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "too_large"
    loops = "{% for i in range(1000) %}{% for j in range(1000) %}{{ name }}{% endfor %}{% endfor %}"
    hostile = _post(client, world, headers, body=loops)
    assert hostile.status_code == 422 and hostile.get_json()["error"]["fields"]["body"]
    missing = client.post(f"/api/v1/events/{world.event.slug}/messages", json={}, headers=headers)
    assert missing.status_code == 422
    listed = client.get(f"/api/v1/events/{world.event.slug}/messages", headers=headers).get_json()
    assert listed["total"] == 0


def test_only_the_events_organizers_and_unknown_things_are_404(db, client):
    world = registrants_world()
    stranger = make_user("organizer", email="khac@sokhcn.vn")  # organizes other events, not this one
    other_event = make_event(actor=stranger)
    participant = make_user("participant")
    for user in (participant,):
        refused = _post(client, world, token_headers(user))
        assert refused.status_code == 403
        assert client.get(f"/api/v1/events/{world.event.slug}/messages",
                          headers=token_headers(user)).status_code == 403
    assert _post(client, world, {}).status_code == 401
    headers = token_headers(world.organizer)
    assert client.get("/api/v1/events/no-such-event/messages", headers=headers).status_code == 404
    assert client.get(f"/api/v1/events/{world.event.slug}/messages/99999", headers=headers).status_code == 404
    message_id = _post(client, world, headers).get_json()["id"]
    # A message of this event read through another event's address: not found there.
    other = client.get(f"/api/v1/events/{other_event.slug}/messages/{message_id}",
                       headers=token_headers(stranger))
    assert other.status_code == 404
