"""The report's figures from the data, and the e-mails each side gets (in Vietnamese, with diacritics)."""

from __future__ import annotations

from email import message_from_bytes, policy

from eventhub.matchmaking import figures, outcomes, requesting, scheduling
from eventhub.matchmaking.models import Meeting
from tests.factories import make_event
from tests.matchmaking.factories import accepted, investor, make_slots, startup


def _mails(outbox, seen: set | None = None):
    """The e-mails written since `seen` (a set of paths, updated), as (to, subject, body)."""
    found = []
    for path in sorted(outbox.glob("*.eml")):
        if seen is not None:
            if path in seen:
                continue
            seen.add(path)
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        found.append((message["To"], str(message["Subject"]), message.get_body(("plain",)).get_content()))
    return found


def test_figures_count_held_meetings_once_and_startups_once(db, match):
    event, fund, ai, farm = match["event"], match["fund"], match["ai"], match["farm"]
    other_fund = investor(event, organization="Quỹ Đồng Nai", sectors=["ai", "agritech"],
                          stages=["idea", "seed"], ticket_min=100_000_000)
    third = startup(event, organization="Công ty Không Gặp")
    for sender, recipient in ((ai, fund), (ai, other_fund), (farm, other_fund), (third, fund)):
        accepted(sender, recipient)
    make_slots(event, 4, 2)
    scheduling.run_scheduler(event, time_limit=1)
    by_pair = {(m.investor_profile_id,
                m.startup_profile_id): m for m in db.session.scalars(db.select(Meeting))}
    outcomes.record_outcome(by_pair[fund.id, ai.id], fund, held=True, stage="follow_up")
    outcomes.record_outcome(by_pair[fund.id, ai.id], ai, held=True)
    outcomes.record_outcome(by_pair[other_fund.id, ai.id], ai, held=True)
    outcomes.record_outcome(by_pair[other_fund.id, farm.id], other_fund, held=False)
    outcomes.record_outcome(by_pair[fund.id, third.id], third, held=True, stage="invested")
    scheduling.cancel_meeting(by_pair[fund.id, third.id])  # cancelled: no longer counts
    assert figures.investor_count(event.id) == 2
    assert figures.meetings_held(event.id) == 2
    assert figures.projects_connected(event.id) == 1  # only ai: farm's was not held, third's cancelled
    counts = figures.outcome_counts(event.id)
    assert counts["follow_up"] == 1 and counts["none"] == 1 and counts["invested"] == 0
    summary = outcomes.summary(event)
    assert summary["held"] == 2 and summary["not_held"] == 1 and summary["cancelled"] == 1
    other = make_event(slug="ai-day")
    assert figures.investor_count(other.id) == figures.meetings_held(other.id) == 0


def test_either_side_saying_held_is_enough_and_a_no_clears_nothing_of_the_other(db, match):
    event, fund, ai = match["event"], match["fund"], match["ai"]
    accepted(ai, fund)
    make_slots(event, 1, 1)
    scheduling.run_scheduler(event, time_limit=1)
    meeting = db.session.scalar(db.select(Meeting))
    outcomes.record_outcome(meeting, ai, held=True, stage="due_diligence")
    outcomes.record_outcome(meeting, fund, held=False)
    assert meeting.held is True and meeting.stage.value == "due_diligence"
    assert figures.meetings_held(event.id) == 1
    outcomes.record_outcome(meeting, ai, held=False)
    assert meeting.held is False and meeting.stage is None
    assert figures.meetings_held(event.id) == 0


def test_each_side_hears_of_requests_answers_and_meetings(db, match, outbox):
    event, fund, ai = match["event"], match["fund"], match["ai"]
    seen: set = set()
    request = requesting.send_request(ai, fund, "Chúng tôi muốn giới thiệu trợ lý ảo tiếng Việt.")
    mails = _mails(outbox, seen)
    assert [to for to, _s, _b in mails] == [fund.user.email]
    _to, subject, body = mails[0]
    squeezed = "".join(subject.split())  # long encoded subjects are folded; compare without spaces
    assert "CôngtyCPTríTuệSàiGòn" in squeezed and "TuầnlễKhởinghiệp–Đổimớisángtạo" in squeezed
    assert "Chúng tôi muốn giới thiệu trợ lý ảo tiếng Việt." in body and "/matchmaking/inbox" in body
    requesting.accept(request, fund)
    answered = _mails(outbox, seen)
    assert [to for to, _s, _b in answered] == [ai.user.email]
    assert "QuỹĐầutưMekongViệt" in "".join(answered[0][1].split())
    make_slots(event, 2, 1)
    scheduling.run_scheduler(event, time_limit=1)
    scheduled = _mails(outbox, seen)
    assert sorted(to for to, _s, _b in scheduled) == sorted([ai.user.email, fund.user.email])
    assert all("14/12/2026 09:00" in body for _to, _s, body in scheduled)
    meeting = db.session.scalar(db.select(Meeting))
    scheduling.cancel_meeting(meeting)
    cancelled = _mails(outbox, seen)
    assert sorted(to for to, _s, _b in cancelled) == sorted([ai.user.email, fund.user.email])


def test_no_mail_when_asked_not_to(db, match, outbox):
    request = requesting.send_request(match["ai"], match["fund"], notify=False)
    requesting.accept(request, match["fund"], notify=False)
    assert _mails(outbox) == []
