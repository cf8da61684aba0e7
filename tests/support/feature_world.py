"""The world's objects for the features that landed after registration and check-in: contests (the
judge role is a judge of a contest: one entry assigned, one not, one conflicted), booths, certificates,
matchmaking (the investor role has a profile and a meeting). Each hook puts its objects in world.extra.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from eventhub.extensions import db
from tests.factories import HCMC, make_user
from tests.support.pdf import png_bytes

XSS = "<script>alert('xss')</script>\"><img src=x onerror=alert(1)>{{ 7*7 }}"

BEFORE_DEADLINE = datetime(2026, 12, 1, 9, 0, tzinfo=HCMC)


def contests_world(world) -> None:
    from eventhub.contests import assigning, conflicts, entries, setup

    contest = setup.create_contest(world.event, {
        "code": "pitch", "name": "Cuộc thi Khởi nghiệp Sáng tạo", "judges_per_entry": 1, "blind": False,
        "scoring": "zscore", "submission_deadline": datetime(2026, 12, 10, 17, 0, tzinfo=HCMC),
        "criteria": [{"key": "team", "name": "Đội ngũ", "weight": 1, "max_score": 10}]})
    judge = world.users["judge"]
    setup.add_judges(contest, [judge.email])
    team = [make_user("participant", email=f"team{i}@saoviet.vn", full_name=f"Lê Hoàng Đội {i}")
            for i in range(3)]
    made = [entries.submit_entry(contest, {"title": f"Ứng dụng Nông nghiệp Thông minh {i}",
                                           "summary": f"IoT cho nông dân. {XSS}",
                                           "organization": f"Sao Việt {XSS}",
                                           "team": [], "links": []}, user=team[i], now=BEFORE_DEADLINE)
            for i in range(3)]
    assigned, unassigned, conflicted = made
    assigning.add_assignment(contest, assigned, judge)
    conflict = conflicts.declare(contest, conflicted.id, judge, reason="Người quen")
    # The participant is invited to a team and has not accepted yet (the invitation page: they alone).
    from eventhub.contests.models import EntryMember

    address = "participant@example.vn"
    invitation = EntryMember(entry_id=unassigned.id, full_name="Người Được Mời", email=address,
                             email_normalized=address, invited_at=BEFORE_DEADLINE)
    db.session.add(invitation)
    db.session.commit()
    world.extra.update(contest=contest, entry=assigned, unassigned_entry=unassigned,
                       conflicted_entry=conflicted, conflict=conflict, team=team, invitation=invitation)


BOOTH_PLAN = {
    "zones": [{"code": "A", "name": "Trí tuệ nhân tạo", "sector": "ai"}],
    "booths": [{"code": "A1", "zone": "A", "x": 0, "y": 0, "w": 3, "h": 3, "size": "standard"},
               {"code": "A2", "zone": "A", "x": 3, "y": 0, "w": 3, "h": 3, "size": "standard"}],
}


def booths_world(world) -> None:
    from eventhub.booths import services
    from eventhub.booths.models import Booth

    services.replace_floorplan(world.event, BOOTH_PLAN)
    founder = make_user("participant", email="founder@saoviet.vn", full_name="Trần Sáng Lập")
    exhibitor = services.apply(world.event, founder, organization=f"Công ty CP Sao Việt {XSS}"[:200],
                               sector="ai", size="standard", preferences=[], product=XSS, notify=False)
    booth = db.session.scalar(db.select(Booth).where(Booth.code == "A1"))
    world.extra.update(exhibitor=exhibitor, booth=booth, founder=founder)


def certificates_world(world) -> None:
    from eventhub.certificates import holders, services, templates

    # Named by registration: the world's check-in is at today's real time, which may fall before the
    # event's days (a test scan, which earns no certificate by itself).
    participants = holders.holders_for(world.event, "participation",
                                       registration_ids=[world.checkin.registration_id])
    made = services.ensure_certificates(world.event, "participation", participants)
    world.extra["certificate"] = made[0]
    world.extra["asset"] = templates.upload_asset(world.event, png_bytes(), "logo.png", "image")


def matchmaking_world(world) -> None:
    from eventhub.matchmaking import profiles, requesting, scheduling, slots

    day = datetime(2026, 12, 14, 9, 0, tzinfo=HCMC)
    fund = profiles.save_profile(world.event, world.users["investor"], {
        "kind": "investor", "organization": "Quỹ Đầu tư Mekong Việt", "sectors": ["ai"], "stages": ["seed"],
        "ticket_min": 1_000_000_000, "ticket_max": 10_000_000_000, "currency": "VND", "contactable": True,
        "countries": ["VN"]})
    founders = [make_user("participant", email=f"sang{i}@startup.vn", full_name=f"Lê Thị Sáng {i}")
                for i in range(2)]
    startups = [profiles.save_profile(world.event, user, {
        "kind": "startup", "organization": f"Công ty CP Đổi Mới {i}", "sector": "ai", "stage": "seed",
        "seeking": f"Vốn hạt giống {XSS}", "amount": 5_000_000_000, "currency": "VND", "contactable": True})
        for i, user in enumerate(founders)]
    slots.set_slots(world.event, [{"starts_at": day + timedelta(minutes=20 * i),
                                   "ends_at": day + timedelta(minutes=20 * (i + 1))} for i in range(3)], 2)
    meeting_request = requesting.send_request(fund, startups[0], "Xin chào", notify=False)
    requesting.accept(meeting_request, startups[0], notify=False)
    scheduling.run_scheduler(world.event, time_limit=2, notify=False)
    meeting = scheduling.meetings_of(fund)[0]
    pending = requesting.send_request(startups[1], fund, "Hẹn gặp", notify=False)  # waits for the investor
    world.extra.update(profile=startups[0], investor_profile=fund, meeting=meeting, meeting_request=pending,
                       startup_users=founders)


def messaging_world(world) -> None:
    """A scheduled message of the event (so it can still be cancelled)."""
    from eventhub.messaging.models import Message, MessageState

    message = Message(event_id=world.event.id, subject="Thư mời {{ name }}", body="Xin chào {{ name }}",
                      audience={"kind": "registrants", "statuses": ["confirmed"]},
                      state=MessageState.scheduled, send_at=datetime(2030, 1, 1, 9, 0, tzinfo=HCMC),
                      recipients=1)
    db.session.add(message)
    db.session.commit()
    world.extra["message"] = message


def programmes_world(world) -> None:
    """A programme of the department (issue 19), with a target in the world's event's year."""
    from eventhub.programmes import services

    world.extra["programme"] = services.save({
        "code": "DEAN-2026", "name": "Đề án khởi nghiệp 2026", "start_year": 2026, "end_year": 2026,
        "targets": [{"indicator": "registrations", "year": 2026, "target": 10}]})


def organizations_world(world) -> None:
    """Two organizations across the series (issue 19): the one the pages and the API are asked about, and
    another to merge it into."""
    from eventhub.organizations import services

    world.extra["organization"] = services.resolve(f"Hợp tác xã Đồng Xanh {XSS}", kind="startup")
    world.extra["other_organization"] = services.resolve("Quỹ Đầu tư Đồng Xanh", kind="investor")
    db.session.commit()


def followups_world(world) -> None:
    """A follow-up of the world's meeting, asked of its investor 30 days on (issue 19): its link's token."""
    from eventhub.followups.models import OutcomeFollowUp, Side, Subject
    from eventhub.followups.tokens import make_token

    meeting = world.extra["meeting"]
    followup = OutcomeFollowUp(event_id=world.event.id, subject=Subject.meeting, meeting_id=meeting.id,
                               side=Side.investor, days=30)
    db.session.add(followup)
    db.session.commit()
    world.extra["followup_token"] = make_token(followup.id)


def surveys_world(world) -> None:
    """A survey of the event, sent to the checked-in holder (issue 19): its id and their answer link. Its one
    question is required, so an empty answer is refused (422) and changes nothing."""
    from eventhub.surveys import services
    from eventhub.surveys.models import SurveyInvitation

    survey = services.create_survey(world.event, title=f"Khảo sát {XSS}", questions=[
        {"kind": "rating", "label": f"Chất lượng {XSS}", "required": True}])
    # The world's check-in is today, which need not be one of the event's days: the holder is invited here.
    db.session.add(SurveyInvitation(survey_id=survey.id, registration_id=world.other_registration.id))
    db.session.commit()
    services.send_survey(survey)
    world.extra["survey"] = survey
    world.extra["survey_token"] = services.make_answer_token(survey.id, world.other_registration.id)


def install(hooks: list) -> None:
    """Adds the hook of every feature whose package is there (features land one by one)."""
    import importlib.util

    for package, hook in (("eventhub.contests.setup", contests_world),
                          ("eventhub.booths.services", booths_world),
                          ("eventhub.certificates.services", certificates_world),
                          ("eventhub.matchmaking.scheduling", matchmaking_world),
                          ("eventhub.messaging.models", messaging_world),
                          ("eventhub.programmes.services", programmes_world),
                          ("eventhub.organizations.services", organizations_world),
                          ("eventhub.followups.models", followups_world),
                          ("eventhub.surveys.services", surveys_world)):
        if importlib.util.find_spec(package) is not None and hook not in hooks:
            hooks.append(hook)
