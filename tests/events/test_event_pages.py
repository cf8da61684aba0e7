"""Event pages: the public home and event page, and what organizers do with forms."""

from datetime import datetime

from eventhub.audit.models import AuditEntry
from eventhub.events.models import Event
from tests.factories import HCMC, login, make_event, make_user


def _form(**overrides):
    data = {"name": "Ngày hội Trí tuệ nhân tạo 2026", "slug": "ai-day-2026", "kind": "ai_day",
            "starts_at": "2026-12-05T08:30", "ends_at": "2026-12-06T17:00",
            "venue": "White Palace, Phú Nhuận", "description": "Hội thảo và cuộc thi AI.",
            "registration_open": "y"}
    data.update(overrides)
    return data


def test_home_lists_upcoming_then_past_events(client, db):
    make_event(name="Sự kiện sắp tới", starts_at=datetime(2099, 1, 1, 8, tzinfo=HCMC),
               ends_at=datetime(2099, 1, 1, 17, tzinfo=HCMC))
    make_event(name="Sự kiện đã qua", starts_at=datetime(2020, 12, 14, 8, tzinfo=HCMC),
               ends_at=datetime(2020, 12, 18, 17, tzinfo=HCMC))
    html = client.get("/").get_data(as_text=True)
    assert html.index("Sự kiện sắp tới") < html.index("Sự kiện đã qua")
    assert "14/12/2020 – 18/12/2020" in html


def test_event_page_shows_local_times_dd_mm_yyyy(client, db):
    event = make_event(starts_at=datetime(2020, 12, 14, 1, 0, tzinfo=HCMC))
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "14/12/2020 01:00" in html
    assert event.name in html


def test_unknown_event_is_a_404_page(client, db):
    assert client.get("/events/khong-ton-tai").status_code == 404


def test_organizer_creates_an_event_with_the_form(client, db):
    login(client, make_user("organizer"))
    response = client.post("/events/new", data=_form())
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event).filter_by(slug="ai-day-2026"))
    assert event.local_starts_at == datetime(2026, 12, 5, 8, 30, tzinfo=HCMC)
    assert event.registration_open is True
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="event.created", event_id=event.id))


def test_form_errors_appear_next_to_their_fields(client, db):
    login(client, make_user("organizer"))
    make_event(slug="taken")
    html = client.post("/events/new", data=_form(slug="taken")).get_data(as_text=True)
    assert 'id="slug-error"' in html
    html = client.post("/events/new", data=_form(slug="Có Dấu!")).get_data(as_text=True)
    assert 'id="slug-error"' in html
    html = client.post("/events/new", data=_form(ends_at="2026-12-01T08:00")).get_data(as_text=True)
    assert 'id="ends_at-error"' in html
    html = client.post("/events/new", data=_form(starts_at="not a date")).get_data(as_text=True)
    assert 'id="starts_at-error"' in html
    html = client.post("/events/new", data=_form(kind="party")).get_data(as_text=True)
    assert 'id="kind-error"' in html
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 1


def test_only_organizers_may_create(client, db):
    assert client.get("/events/new").status_code == 302  # to sign in
    login(client, make_user("participant"))
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data=_form()).status_code == 403


def test_edit_keeps_local_times_and_audits_the_change(client, db):
    organizer = make_user("organizer")
    event = make_event(actor=organizer)
    login(client, organizer)
    page = client.get(f"/events/{event.slug}/edit").get_data(as_text=True)
    assert 'value="2026-12-14T08:00"' in page
    response = client.post(f"/events/{event.slug}/edit", data=_form(slug=event.slug, venue="SECC, Quận 7"))
    assert response.status_code == 302
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="event.updated"))
    assert entry.changes["venue"][1] == "SECC, Quận 7"
    assert entry.actor_id == organizer.id
    audit_page = client.get(f"/events/{event.slug}/audit").get_data(as_text=True)
    assert "SECC, Quận 7" in audit_page


def test_event_organizer_role_is_limited_to_that_event(client, db):
    partner = make_user("participant")
    mine, other = make_event(), make_event()
    organizer = make_user("organizer")
    login(client, organizer)
    response = client.post(f"/events/{mine.slug}/manage", data={"email": partner.email, "role": "organizer"})
    assert response.status_code == 302
    client.post("/logout")
    login(client, partner)
    assert client.get(f"/events/{mine.slug}/edit").status_code == 200
    assert client.get(f"/events/{other.slug}/edit").status_code == 403
    assert client.get(f"/events/{other.slug}/audit").status_code == 403


def test_team_form_names_unknown_accounts(client, db):
    organizer = make_user("organizer")
    event = make_event()
    login(client, organizer)
    html = client.post(f"/events/{event.slug}/manage",
                       data={"email": "ghost@example.vn", "role": "staff"}).get_data(as_text=True)
    assert 'id="email-error"' in html


def test_revoking_a_role_removes_access(client, db):
    from eventhub.accounts.models import EventRole
    from eventhub.accounts.services import grant_event_role

    partner, organizer = make_user(), make_user("organizer")
    event = make_event()
    grant = grant_event_role(partner, event, "organizer")
    login(client, organizer)
    assert client.post(f"/events/{event.slug}/manage/roles/{grant.id}/revoke").status_code == 302
    assert db.session.scalar(db.select(EventRole)) is None
    client.post("/logout")
    login(client, partner)
    assert client.get(f"/events/{event.slug}/edit").status_code == 403


def test_event_team_is_listed_in_vietnamese_name_order(client, db):
    from eventhub.accounts.services import grant_event_role

    event = make_event()
    for name in ["Trần Văn Bình", "Đỗ Thị An", "Lê Minh Ánh"]:
        grant_event_role(make_user(full_name=name), event, "staff")
    login(client, make_user("organizer"))
    html = client.get(f"/events/{event.slug}/manage").get_data(as_text=True)
    assert html.index("Đỗ Thị An") < html.index("Lê Minh Ánh") < html.index("Trần Văn Bình")
