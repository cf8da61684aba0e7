"""Decree 13: a person's data download is assembled from every feature's section (eventhub.hooks), and
it shows everything the erasure removes – for a person with data in every feature, each feature's part
of the erasure changes only values the download listed, in a section of its own that is not empty; and
once erased, the download names nothing of the person."""

from __future__ import annotations

import json

from eventhub.accounts import services as accounts
from eventhub.accounts.models import EventRoleKind, User
from eventhub.audit.services import record
from eventhub.certificates.models import Certificate, CertificateKind
from eventhub.checkin import services as checkin
from eventhub.contests.models import Conflict, ConflictSource, ContestJudge
from eventhub.extensions import db as _db
from eventhub.followups.models import OutcomeFollowUp, Side, Subject
from eventhub.hooks import registry
from eventhub.matchmaking import outcomes, scheduling
from eventhub.matchmaking.models import Meeting
from eventhub.messaging import services as messaging
from eventhub.surveys import services as surveys
from tests.booths.factories import apply, hall_event
from tests.contests.factories import make_contest, make_entry
from tests.factories import PASSWORD, make_session, make_type, make_user, register
from tests.matchmaking.factories import accepted, investor, make_slots, startup

NAME, EMAIL, PHONE = "Nguyễn Thị Xoá Được", "xoa.duoc@example.vn", "0912 345 678"
TRACES = ("Xoá Được", "xoa.duoc", "912345678")
# The sections the download had before sections were plugged in per feature: their keys and shapes stay.
EARLIER = {"account", "consent", "event_roles", "api_tokens", "booth_applications", "matchmaking_profiles"}
# Columns erasure changes that are no data of the person's: secrets (never exported), derived keys of a
# value that is exported, the e-mails' contents (links in them sign in) and what the erasure itself sets.
TECHNICAL = {"users.password_hash", "api_tokens.token_hash", "certificates.holder_key",
             "certificates.file_key", "certificates.status", "certificates.revoke_reason",
             "contest_entry_members.email_normalized",
             "outbound_emails.payload", "outbound_emails.status", "outbound_emails.last_error"}


def _someone_everywhere() -> User:
    """One person with data in every feature: account, role, token, e-mails, a registration of the
    account and its check-ins (at the gate, at a workshop's door), a team seat, a judging panel and a
    conflict, a booth application, a matchmaking profile with a request and a meeting note, and a
    certificate."""
    event = hall_event(registration_open=True)
    person = make_user("participant", email=EMAIL, full_name=NAME, phone=PHONE, organization="Xoá Được Lab")
    accounts.grant_event_role(person, event, EventRoleKind.staff)
    # an audit entry as the code before stored it: with the address (today's entries name the number)
    record("event_role.granted", person, event=event, changes={"email": EMAIL, "role": "staff"})
    accounts.issue_token(person)
    accounts.request_password_reset(EMAIL, lambda token: f"https://eventhub.example/reset/{token}")
    reg, _token = register(event, make_type(event), full_name=NAME, email=EMAIL, phone=PHONE)
    reg.user_id = person.id  # nothing links them on its own yet: the account holds it by id
    _db.session.commit()
    checkin.check_in_registration(event, reg, staff=make_user("staff"))
    checkin.check_in_session(event, make_session(event), reg.ticket_code)  # a walk-in at a workshop's door
    contest = make_contest(event)
    entry = make_entry(contest, person, team=[{"full_name": NAME, "email": EMAIL}])
    other = make_entry(contest)
    _db.session.add_all([
        ContestJudge(contest_id=contest.id, user_id=person.id),
        Conflict(contest_id=contest.id, entry_id=other.id, user_id=person.id, source=ConflictSource.declared,
                 reason="Tôi từng cố vấn cho đội này"),
        Certificate(event_id=event.id, kind=CertificateKind.participation, serial="SECT-0000-0001",
                    holder_key=EMAIL, holder_name=NAME, holder_email=EMAIL, user_id=person.id)])
    exhibitor = apply(event, person, organization="Công ty CP Hoa Sen", contact_email=EMAIL)
    exhibitor.review_note = "Gọi chị Xoá Được trước thứ Sáu"
    _db.session.commit()
    mine = startup(event, user=person, seeking="Gọi vốn – liên hệ Xoá Được", traction="Xoá Được sáng lập",
                   deck_url="https://example.vn/xoa-duoc-deck.pdf")
    make_slots(event, count=1, tables=1)
    accepted(mine, investor(event), message="Chào quỹ, tôi là Xoá Được")
    scheduling.run_scheduler(event, time_limit=2)
    meeting = _db.session.scalar(_db.select(Meeting))
    outcomes.record_outcome(meeting, mine, held=True, note="Xoá Được hẹn gặp lại")
    # what came of the meeting and of the team's entry, as the person answered when asked (follow-ups)
    seat = next(member for member in entry.members if member.email == EMAIL)
    _db.session.add_all([
        OutcomeFollowUp(event_id=event.id, subject=Subject.meeting, meeting_id=meeting.id, side=Side.startup,
                        days=30, answered_at=meeting.ends_at, pilot=True, investment=True, amount=5 * 10**9),
        OutcomeFollowUp(event_id=event.id, subject=Subject.award, entry_id=entry.id, member_id=seat.id,
                        side=Side.team, days=30, answered_at=meeting.ends_at, pilot=True)])
    _db.session.commit()
    # a survey after the event, sent to those who came, answered with words that name the person
    survey = surveys.create_survey(event, title="Cảm nhận sau sự kiện", questions=[
        {"kind": "rating", "label": "Chất lượng"}, {"kind": "text", "label": "Góp ý"}])
    surveys.send_survey(survey)
    rating, text = (str(question.id) for question in survey.questions)
    surveys.submit_answers(survey, reg, {rating: 5, text: "Xoá Được rất hài lòng"})
    # an organizers' message to the registrants (the person among them), and the person's unsubscribe
    messaging.create_message(event, audience={"kind": "registrants"}, subject="Thư mời {{ name }}",
                             body="Kính gửi {{ name }}")
    messaging.unsubscribe(EMAIL)
    return _db.session.get(User, person.id)


def _rows() -> dict[tuple[str, tuple], dict]:
    """Every row of every table as the session sees it now (flushed, not committed)."""
    _db.session.flush()
    found = {}
    for table in _db.metadata.sorted_tables:
        keys = [column.name for column in table.primary_key.columns]
        for row in _db.session.execute(_db.select(table)).mappings():
            found[(table.name, tuple(row[k] for k in keys))] = dict(row)
    return found


def _removed_values(before: dict, after: dict) -> list[tuple[str, str]]:
    """(table.column, old text) of every text value that was changed or deleted."""
    removed = []
    for (table, key), row in before.items():
        now = after.get((table, key), {})
        for column, value in row.items():
            if isinstance(value, str) and value and now.get(column) != value:
                removed.append((f"{table}.{column}", value))
    return removed


def test_the_download_lists_everything_each_feature_s_erasure_removes(db):
    person = _someone_everywhere()
    exported = accounts.export_user_data(person)
    assert exported.keys() >= EARLIER
    everything = json.dumps(exported, ensure_ascii=False)
    forgetting = [part for part in registry().personal_data if part.forget is not None]
    assert {part.key for part in forgetting} >= {
        "emails", "registrations", "contest_memberships", "booth_applications", "matchmaking_profiles",
        "certificates", "account", "audit_log", "followups"}

    unlisted, untouched = [], []
    for part in forgetting:  # as hooks.forget_personal_data runs them, one at a time
        before = _rows()
        part.forget(person)
        after = _rows()
        if before == after:
            untouched.append(part.key)
            continue
        assert exported[part.key], f"{part.key}: the erasure changes it, the download shows nothing"
        unlisted += [(part.key, column, value) for column, value in _removed_values(before, after)
                     if column not in TECHNICAL and value not in everything]
    assert untouched == []  # the person has data in every feature that erases some
    assert unlisted == []


def test_after_erasure_the_download_names_nothing_of_the_person(db):
    person = _someone_everywhere()
    before = accounts.export_user_data(person)
    flat = json.dumps(before, ensure_ascii=False)
    assert all(trace in flat for trace in TRACES)
    assert all(before[key] for key in before), [key for key in before if not before[key]]

    accounts.erase_user(person, PASSWORD)

    _db.session.expire_all()
    after = accounts.export_user_data(_db.session.get(User, person.id))
    flat = json.dumps(after, ensure_ascii=False)
    assert [trace for trace in TRACES if trace in flat] == []
    assert after["account"]["full_name"] == "—" and after["registrations"] == []
    assert [m["full_name"] for m in after["contest_memberships"]] == ["—"]
    assert [c["status"] for c in after["certificates"]] == ["revoked"]
    # the registration is let go of, its survey answers with it (erased through its manage link); the
    # follow-up answers are deleted (followups.privacy)
    assert after["survey_answers"] == [] and after["followups"] == []
