"""Team invitations waiting for a proven address, listed on "my entries" with an Accept button that
follows the e-mailed link's rules (one service: invitations.accept_member)."""

from __future__ import annotations

import re

from eventhub.accounts import services as accounts
from eventhub.accounts.models import User
from eventhub.contests import entries as entry_services
from eventhub.contests.models import Conflict, ConflictStatus, EntryMember
from eventhub.extensions import db as _db
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.factories import login, make_user

MATE = "dong.doi@saoviet.vn"
TITLE = "Bản đồ rác thải nhựa"


def _entry(contest=None, team_email=MATE):
    contest = contest or make_contest()
    leader = make_user(email="truong.nhom@saoviet.vn", full_name="Lê Hoàng Trưởng Nhóm")
    return make_entry(contest, leader, team=[{"full_name": "Phạm Đồng Đội", "email": team_email}],
                      title=TITLE)


def _member(entry, email=MATE) -> EntryMember:
    return _db.session.scalar(_db.select(EntryMember).filter_by(entry_id=entry.id, email_normalized=email))


def _signup(client, address, password="mat-khau-moi-123"):
    return client.post("/signup", data={"full_name": "Phạm Đồng Đội", "email": address, "password": password,
                                        "password_confirm": password, "locale": "vi", "consent": "y"})


def test_invited_before_signing_up_the_person_accepts_from_my_entries(client, db):
    """The e-mailed link is lost while signing up: once the address is proven, "my entries" lists the
    invitation (title, contest, event, who invited) and its button accepts it."""
    entry = _entry()
    assert _signup(client, MATE).status_code == 302
    mate = accounts.find_user_by_email(MATE)
    login(client, mate, password="mat-khau-moi-123")
    accounts.verify_email(accounts.make_verify_token(mate, mate.email))  # the confirmation link
    page = client.get("/my/entries").get_data(as_text=True)
    for text in (TITLE, entry.contest.name, entry.contest.event.name, "Lê Hoàng Trưởng Nhóm"):
        assert text in page
    member = _member(entry)
    action = f"/my/invitations/{member.id}/accept"
    assert f'action="{action}"' in page
    response = client.post(action)
    assert response.status_code == 302 and response.headers["Location"] == f"/entries/{entry.id}"
    _db.session.refresh(member)
    assert member.user_id == mate.id and member.accepted_at is not None
    assert client.get(f"/entries/{entry.id}").status_code == 200
    mine = client.get("/my/entries").get_data(as_text=True)
    assert f'action="{action}"' not in mine and TITLE in mine  # now an entry of theirs, not an invitation
    assert client.post(action).status_code == 302  # twice: harmless, still on the team


def test_an_unproven_account_sees_no_invitation_and_cannot_accept_one(client, db):
    entry = _entry()
    _signup(client, MATE)  # whoever signed up with the address has not proven it
    impostor = accounts.find_user_by_email(MATE)
    login(client, impostor, password="mat-khau-moi-123")
    page = client.get("/my/entries").get_data(as_text=True)
    assert TITLE not in page and "/my/invitations/" not in page
    assert "Hãy xác nhận địa chỉ e-mail của bạn để xem các lời mời tham gia đội" in page
    member = _member(entry)
    assert client.post(f"/my/invitations/{member.id}/accept").status_code == 404
    _db.session.refresh(member)
    assert member.user_id is None and member.accepted_at is None
    assert client.get(f"/entries/{entry.id}").status_code == 403


def test_a_proven_account_sees_only_invitations_to_its_own_address(client, db):
    entry = _entry()
    stranger = make_user(email="nguoi.la@example.vn")
    login(client, stranger)
    page = client.get("/my/entries").get_data(as_text=True)
    assert TITLE not in page and "Hãy xác nhận địa chỉ" not in page
    member = _member(entry)
    assert client.post(f"/my/invitations/{member.id}/accept").status_code == 404
    assert client.post("/my/invitations/2147483647/accept").status_code == 404
    _db.session.refresh(member)
    assert member.user_id is None and member.accepted_at is None


def test_an_invitation_accepted_by_the_address_former_account_stays_theirs(app, client, db):
    """Account A accepted, then moved to another address; B signs up with the old address and proves
    it. The invitation is not listed for B, and B's button (a forged POST) is refused as the e-mailed
    link refuses it: one rule for both."""
    entry = _entry()
    first = make_user(email=MATE)
    member = _member(entry)
    from eventhub.contests import invitations

    invitations.accept_member(member, first)
    accounts.verify_email(accounts.make_verify_token(first, "moi.cua.a@example.vn"))  # A moves away
    second = make_user(email=MATE)  # proven
    login(client, second)
    page = client.get("/my/entries").get_data(as_text=True)
    assert TITLE not in page
    refused = client.post(f"/my/invitations/{member.id}/accept", follow_redirects=True)
    assert "Lời mời này đã được chấp nhận." in refused.get_data(as_text=True)
    _db.session.refresh(member)
    assert member.user_id == first.id
    assert client.get(f"/entries/{entry.id}").status_code == 403


def test_a_judge_accepting_from_the_list_is_conflicted_at_once(client, db):
    """The list's button keeps what accepting does: a judge of the contest who joins a team gets a
    confirmed conflict with that entry (conflicts.judge_joined_team)."""
    contest = make_contest()
    (judge,) = make_judges(contest, 1)
    entry = _entry(contest, team_email=judge.email)
    login(client, judge)
    member = _member(entry, judge.email)
    assert client.post(f"/my/invitations/{member.id}/accept").status_code == 302
    conflict = _db.session.scalar(_db.select(Conflict).filter_by(entry_id=entry.id, user_id=judge.id))
    assert conflict is not None and conflict.status == ConflictStatus.confirmed


def test_invitations_of_withdrawn_entries_are_not_listed(client, db):
    entry = _entry()
    entry_services.withdraw(entry, user=_db.session.get(User, entry.created_by_id))
    mate = make_user(email=MATE)
    login(client, mate)
    assert TITLE not in client.get("/my/entries").get_data(as_text=True)


def test_the_accept_button_needs_the_csrf_token(app, client, db):
    entry = _entry()
    mate = make_user(email=MATE)
    login(client, mate)
    page = client.get("/my/entries").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    member = _member(entry)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/my/invitations/{member.id}/accept").status_code == 400
        _db.session.refresh(member)
        assert member.accepted_at is None
        assert client.post(f"/my/invitations/{member.id}/accept",
                           data={"csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    _db.session.refresh(member)
    assert member.user_id == mate.id


def test_the_check_your_email_page_gives_the_steps_in_order(client, db):
    """Open the link, sign in (the link asks for it), then confirm – as the verification page works."""
    page = client.get("/signup/sent").get_data(as_text=True)
    opened, signed_in, confirmed = (page.find(s) for s in (
        "mở liên kết trong thư", "đăng nhập bằng tài khoản này", "bấm “Xác nhận địa chỉ của tôi”"))
    assert -1 < opened < signed_in < confirmed
