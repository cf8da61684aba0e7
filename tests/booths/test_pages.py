"""Booth pages: organizers draw, review, allocate and confirm; startups apply; visitors find booths."""

from __future__ import annotations

import email
import email.policy
import io
import json
import re

import pytest
from PIL import Image

from eventhub.booths.models import Booth, BoothPlacement, Exhibitor, ExhibitorStatus
from eventhub.booths.services import review
from tests.booths.factories import apply, hall_event, startup
from tests.factories import login, make_user


def _mails(outbox):
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _png(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#0b5394").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def organizer(db):
    return make_user("organizer")


# --- organizers ----------------------------------------------------------------------------------

def test_organizer_draws_the_hall_with_the_csv_form(client, db, organizer):
    event = hall_event()
    login(client, organizer)
    page = client.get(f"/events/{event.slug}/floorplan/edit")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "A1" in text and "<svg" in text
    csv_text = ("kind,code,name,sector,zone,x,y,w,h,size,price_tier\n"
                "zone,FIN,Tài chính số,fintech,,,,,,,\n"
                "booth,F1,,,FIN,0,0,3,3,standard,\n"
                "booth,F2,,,FIN,3,0,3,3,standard,B\n")
    response = client.post(f"/events/{event.slug}/floorplan/edit", data={"plan_csv": csv_text})
    assert response.status_code == 302
    assert sorted(db.session.scalars(db.select(Booth.code).where(Booth.event_id == event.id))) == ["F1", "F2"]
    overlapping = csv_text.replace("3,0,3", "2,0,3")
    bad = client.post(f"/events/{event.slug}/floorplan/edit", data={"plan_csv": overlapping})
    assert bad.status_code == 200 and "booths.1" in bad.get_data(as_text=True)
    assert sorted(db.session.scalars(db.select(Booth.code).where(Booth.event_id == event.id))) == ["F1", "F2"]


def test_organizer_imports_a_json_file(client, db, organizer):
    event = hall_event()
    login(client, organizer)
    plan = json.dumps({"zones": [{"code": "AI", "name": "Trí tuệ"}], "booths": [
        {"code": "X1", "zone": "AI", "x": 0, "y": 0, "w": 2, "h": 2, "size": "small"}]}).encode()
    response = client.post(f"/events/{event.slug}/floorplan/edit", content_type="multipart/form-data",
                           data={"plan_file": (io.BytesIO(plan), "hall.json")})
    assert response.status_code == 302
    assert list(db.session.scalars(db.select(Booth.code).where(Booth.event_id == event.id))) == ["X1"]


def test_review_with_emails_at_each_step(client, db, organizer, outbox):
    event = hall_event()
    exhibitor = apply(event, organization="Công ty CP Phù Sa Farm")
    login(client, organizer)
    assert "Phù Sa Farm" in client.get(f"/events/{event.slug}/booth-applications").get_data(as_text=True)
    url = f"/events/{event.slug}/booth-applications/{exhibitor.id}"
    missing_note = client.post(url, data={"decision": "request_changes"})
    assert missing_note.status_code == 200 and db.session.get(Exhibitor, exhibitor.id).status == "submitted"
    asked = client.post(url, data={"decision": "request_changes", "note": "Thêm mô tả sản phẩm"})
    assert asked.status_code == 302
    assert client.post(url, data={"decision": "approve"}).status_code == 302
    assert db.session.get(Exhibitor, exhibitor.id).status == ExhibitorStatus.approved
    subjects = [m["Subject"] for m in _mails(outbox)]
    assert len(subjects) == 2 and all(event.name in s for s in subjects)
    assert "Thêm mô tả sản phẩm" in _body(_mails(outbox)[0])


def test_allocation_run_move_swap_confirm(client, db, organizer, outbox):
    event = hall_event()
    first = apply(event, organization="Công ty CP Rồng Việt AI", preferences=["A1"])
    second = apply(event, organization="Công ty CP Mây Trắng Data", preferences=["B1"])
    late = apply(event, size="large")
    other_large = apply(event, size="large")
    login(client, organizer)
    run = client.post(f"/events/{event.slug}/booths/allocation/run", data={"time_limit": "5"})
    assert run.status_code == 302
    page = client.get(f"/events/{event.slug}/booths/allocation?lang=en").get_data(as_text=True)
    assert "Rồng Việt AI" in page and "data-editable" in page
    unplaced = page[page.index('class="list-group mb-4 unplaced"'):].split("</ul>")[0]
    assert "Every booth of its size is taken on its days" in unplaced
    large_placed = {p.exhibitor_id for p in db.session.scalars(db.select(BoothPlacement))}
    left_out = [e for e in (late, other_large) if e.id not in large_placed]
    assert len(left_out) == 1 and left_out[0].organization in unplaced
    placed = {p.exhibitor_id: p.booth.code for p in db.session.scalars(db.select(BoothPlacement))}
    assert placed[first.id] == "A1" and placed[second.id] == "B1"
    table = page[page.index('class="table table-sm align-middle placed"'):].split("</table>")[0]
    assert table.count("<tr><td><strong>") == len(placed)  # the organizer sees every placement listed
    assert "<strong>A1</strong></td><td>" + first.organization in table
    client.post(f"/events/{event.slug}/booths/allocation/swap", data={"swap-first": first.id,
                                                                     "swap-second": second.id})
    db.session.expire_all()
    placed = {p.exhibitor_id: (p.booth.code, p.locked) for p in db.session.scalars(db.select(BoothPlacement))}
    assert placed[first.id] == ("B1", True) and placed[second.id] == ("A1", True)
    client.post(f"/events/{event.slug}/booths/allocation/place", data={
        "place-booth": "A3", "place-exhibitor": str(first.id), "place-locked": "y"})
    db.session.expire_all()
    assert db.session.scalar(db.select(BoothPlacement).filter_by(exhibitor_id=first.id)).booth.code == "A3"
    client.post(f"/events/{event.slug}/booths/allocation/run", data={"time_limit": "5"})
    db.session.expire_all()
    assert db.session.scalar(db.select(BoothPlacement).filter_by(exhibitor_id=first.id)).booth.code == "A3"
    assert client.post(f"/events/{event.slug}/booths/allocation/confirm").status_code == 302
    mails = _mails(outbox)
    to_first = [m for m in mails if m["To"] == first.contact_email]
    assert to_first and "A3" in _body(to_first[-1])
    assert len(mails) == 4  # every active exhibitor: three with a booth, one told there is none yet


@pytest.mark.parametrize("path", ["/floorplan/edit", "/booth-applications", "/booths/allocation"])
def test_organizer_pages_refuse_others(client, db, path):
    event = hall_event()
    assert client.get(f"/events/{event.slug}{path}").status_code == 302  # to the login page
    login(client, startup())
    assert client.get(f"/events/{event.slug}{path}").status_code == 403


def test_startups_cannot_post_organizer_actions(client, db):
    event = hall_event()
    exhibitor = apply(event)
    login(client, startup())
    assert client.post(f"/events/{event.slug}/booths/allocation/run").status_code == 403
    assert client.post(f"/events/{event.slug}/booth-applications/{exhibitor.id}",
                       data={"decision": "approve"}).status_code == 403
    assert db.session.get(Exhibitor, exhibitor.id).status == ExhibitorStatus.submitted


# --- startups ----------------------------------------------------------------------------------

def test_a_startup_applies_with_a_logo(client, db, outbox):
    event = hall_event(days=2)
    user = startup()
    login(client, user)
    page = client.get(f"/events/{event.slug}/booth-application?lang=en")
    assert "Apply for a booth" in page.get_data(as_text=True)
    url = f"/events/{event.slug}/booth-application"
    response = client.post(url, content_type="multipart/form-data", data={
        "organization": "Công ty CP Ánh Dương Health", "sector": "ai", "size": "standard", "stage": "seed",
        "product": "Trợ lý khám bệnh bằng giọng nói", "preferences": "A, B1", "days": ["2026-12-15"],
        "logo": (io.BytesIO(_png()), "logo.png")})
    assert response.status_code == 302, response.get_data(as_text=True)
    exhibitor = db.session.scalar(db.select(Exhibitor).filter_by(user_id=user.id))
    assert exhibitor.preferences == ["A", "B1"] and exhibitor.days == ["2026-12-15"] and exhibitor.logo_key
    assert len(_mails(outbox)) == 1
    review(exhibitor, "approve")
    logo = client.get(f"/events/{event.slug}/exhibitors/{exhibitor.id}/logo.png")
    assert logo.status_code == 200 and Image.open(io.BytesIO(logo.data)).size == (40, 20)


def test_a_logo_that_is_not_an_image_is_refused(client, db):
    event = hall_event()
    login(client, startup())
    url = f"/events/{event.slug}/booth-application?lang=en"
    response = client.post(url, content_type="multipart/form-data", data={
        "organization": "Công ty CP Gạo Ngon", "sector": "agritech", "size": "standard",
        "logo": (io.BytesIO(b"%PDF-1.4 not an image" * 10), "logo.png")})
    assert response.status_code == 200
    assert "The logo must be a PNG, JPEG, GIF or WebP image." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Exhibitor.id))) == 0


def test_a_startup_updates_after_changes_are_requested_and_can_withdraw(client, db, outbox):
    event = hall_event()
    user = startup()
    exhibitor = apply(event, user)
    review(exhibitor, "request_changes", note="Chọn gian lớn hơn")
    login(client, user)
    page = client.get(f"/events/{event.slug}/booth-application").get_data(as_text=True)
    assert "Chọn gian lớn hơn" in page
    client.post(f"/events/{event.slug}/booth-application", data={
        "organization": exhibitor.organization, "sector": "ai", "size": "large"})
    db.session.expire_all()
    assert db.session.get(Exhibitor, exhibitor.id).status == ExhibitorStatus.submitted
    assert db.session.get(Exhibitor, exhibitor.id).size == "large"
    client.post(f"/events/{event.slug}/booth-application/withdraw")
    db.session.expire_all()
    assert db.session.get(Exhibitor, exhibitor.id).status == ExhibitorStatus.withdrawn


def test_organizers_cannot_apply(client, db, organizer):
    event = hall_event()
    login(client, organizer)
    assert client.get(f"/events/{event.slug}/booth-application").status_code == 403


# --- visitors ----------------------------------------------------------------------------------

def test_visitors_find_booths_on_the_map_and_in_the_directory(client, db):
    event = hall_event()
    shown = apply(event, organization="Công ty CP Hải Đăng Nông Nghiệp", sector="agritech")
    hidden = apply(event, organization="Công ty CP Chưa Duyệt")
    review(shown, "approve")
    from eventhub.booths.allocation import assign_booths
    assign_booths(event)
    page = client.get(f"/events/{event.slug}/floor-map").get_data(as_text=True)
    assert "<svg" in page and "floormap.js" in page and "Hải Đăng Nông Nghiệp" in page
    assert not re.search(r"<script>[^<]", page) and " style=" not in page
    found = client.get(f"/events/{event.slug}/exhibitors?q=hai dang nong").get_data(as_text=True)
    assert "Hải Đăng Nông Nghiệp" in found and "Chưa Duyệt" not in found
    assert "Hải Đăng" not in client.get(f"/events/{event.slug}/exhibitors?sector=ai").get_data(as_text=True)
    assert "Hải Đăng" in client.get(f"/events/{event.slug}/exhibitors?sector=agritech").get_data(as_text=True)
    booth = db.session.scalar(db.select(BoothPlacement).filter_by(exhibitor_id=shown.id)).booth.code
    detail = client.get(f"/events/{event.slug}/exhibitors/{shown.id}").get_data(as_text=True)
    assert f'booth-code">{booth}<' in detail and "booth-highlight" in detail
    assert client.get(f"/events/{event.slug}/exhibitors/{hidden.id}").status_code == 404
    assert client.get(f"/events/{event.slug}/exhibitors/99999").status_code == 404


def test_logos_over_the_size_limit_and_changes_after_approval_are_refused(db):
    from eventhub.booths import logos, services
    from eventhub.errors import Conflict, ValidationError

    event = hall_event()
    with pytest.raises(ValidationError) as caught:
        apply(event, logo=b"\x89PNG" + b"0" * (logos.MAX_LOGO_BYTES + 1))
    assert "logo" in caught.value.fields
    exhibitor = apply(event, logo=_png((2000, 1000)))
    assert Image.open(io.BytesIO(logos.load(exhibitor.logo_key))).size == (512, 256)  # made small
    review(exhibitor, "approve")
    with pytest.raises(Conflict):
        services.update_application(exhibitor, organization="X", sector="ai", size="standard")
    from eventhub.booths.allocation import place

    place(event, db.session.scalar(db.select(Booth).filter_by(event_id=event.id, code="A1")), exhibitor)
    assert db.session.scalar(db.select(db.func.count(BoothPlacement.id))) == 1
    review(exhibitor, "reject", note="Hết chỗ")
    assert db.session.get(Exhibitor, exhibitor.id).status == ExhibitorStatus.rejected
    assert db.session.scalar(db.select(db.func.count(BoothPlacement.id))) == 0  # the booth is free again
    with pytest.raises(Conflict):
        review(exhibitor, "approve")
