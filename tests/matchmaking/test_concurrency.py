"""Races: simultaneous requests of one pair, two organizers moving into one place, answers and
schedulers at once. Threads each with their own app context (their own connection), as workers
would have; ids are read before the threads start."""

from __future__ import annotations

from collections import Counter

from eventhub.extensions import db as _db
from eventhub.matchmaking import requesting, scheduling
from eventhub.matchmaking.models import Meeting, MeetingRequest, MeetingSlot, MeetingStatus, Profile
from tests.matchmaking.factories import accepted, investor, make_slots, startup
from tests.support.racing import race, race_requests


def _send_job(from_id, to_id):
    def job():
        sender, recipient = _db.session.get(Profile, from_id), _db.session.get(Profile, to_id)
        return f"ok {requesting.send_request(sender, recipient, 'Đồng thời').id}"
    return job


def test_the_same_pair_asking_at_once_in_both_directions_gives_one_request(app, db, match):
    fund_id, ai_id = match["fund"].id, match["ai"].id
    for _round in range(3):
        jobs = [_send_job(fund_id, ai_id), _send_job(ai_id, fund_id)] * 3
        outcomes = race(app, jobs)
        counted = Counter(o.split()[0] for o in outcomes)
        assert counted == {"ok": 1, "already_requested": 5}, outcomes
        assert db.session.scalar(db.select(db.func.count(MeetingRequest.id))) == 1
        db.session.execute(db.delete(MeetingRequest))
        db.session.commit()


def test_the_pending_cap_holds_when_requests_race(app, db, match):
    app.config["MATCH_PENDING_CAP"] = 2
    try:
        funds = [investor(match["event"]).id for _ in range(6)]
        ai_id = match["ai"].id
        outcomes = race(app, [_send_job(ai_id, fund_id) for fund_id in funds])
        counted = Counter(o.split()[0] for o in outcomes)
        assert counted == {"ok": 2, "too_many_pending_requests": 4}, outcomes
    finally:
        app.config.pop("MATCH_PENDING_CAP")


def test_accept_and_decline_at_once_give_one_answer(app, db, match):
    request_id = requesting.send_request(match["ai"], match["fund"]).id
    fund_id = match["fund"].id

    def answer(kind):
        def job():
            request, fund = _db.session.get(MeetingRequest, request_id), _db.session.get(Profile, fund_id)
            return (requesting.accept if kind == "accept" else requesting.decline)(request, fund).status.value
        return job

    outcomes = race(app, [answer("accept"), answer("decline")] * 3)
    counted = Counter(outcomes)
    assert counted["request_not_pending"] == 5 and counted["accepted"] + counted["declined"] == 1, outcomes


def test_two_organizers_moving_meetings_into_one_place_one_wins(app, db, match):
    event = match["event"]
    second = startup(event, organization="Thanh Toán Nhanh", sector="fintech")
    other_fund = investor(event, organization="Quỹ Cửu Long")
    accepted(match["ai"], match["fund"])
    accepted(second, other_fund)
    make_slots(event, 3, 2)
    scheduling.run_scheduler(event, time_limit=1)
    meetings = list(db.session.scalars(db.select(Meeting).order_by(Meeting.id)))
    target = db.session.scalars(db.select(MeetingSlot).order_by(MeetingSlot.starts_at.desc())).first()
    target_id = target.id
    for table in (1, 2):
        db.session.expire_all()
        ids = [m.id for m in meetings]

        def move_job(meeting_id, table=table):
            def job():
                meeting = _db.session.get(Meeting, meeting_id)
                moved = scheduling.move_meeting(meeting, _db.session.get(MeetingSlot, target_id), table)
                return f"ok {moved.id}"
            return job

        outcomes = race(app, [move_job(ids[0]), move_job(ids[1])] * 2)
        counted = Counter(o.split()[0] for o in outcomes)
        assert counted["ok"] >= 1 and set(counted) <= {"ok", "slot_busy"}, outcomes
        db.session.expire_all()
        there = list(db.session.scalars(db.select(Meeting).where(
            Meeting.slot_id == target_id, Meeting.table_number == table,
            Meeting.status == MeetingStatus.scheduled)))
        assert len(there) == 1, outcomes
        winner = there[0].id
        assert {o for o in outcomes if o.startswith("ok")} == {f"ok {winner}"}, outcomes
        # move them back out for the next round
        for meeting in db.session.scalars(db.select(Meeting)):
            free = next(s for s in db.session.scalars(db.select(MeetingSlot).order_by(MeetingSlot.starts_at))
                        if not db.session.scalar(db.select(Meeting.id).where(Meeting.slot_id == s.id)))
            scheduling.move_meeting(meeting, free, 1)


def test_two_scheduler_runs_at_once_place_each_request_once(app, db, match):
    event = match["event"]
    for n in range(4):
        accepted(startup(event, organization=f"Khởi Nghiệp Song Song {n}"), match["fund"])
    make_slots(event, 6, 2)
    event_id = event.id

    def run_job():
        from eventhub.events.models import Event

        result = scheduling.run_scheduler(_db.session.get(Event, event_id), time_limit=1)
        return f"ok {len(result.added)}"

    outcomes = race(app, [run_job, run_job, run_job])
    assert all(o.startswith("ok") for o in outcomes), outcomes
    assert sum(int(o.split()[1]) for o in outcomes) == 4, outcomes
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 4


def test_over_http_a_pair_asking_both_ways_at_once_gets_one_201(app, db, match, server):
    from tests.factories import token_headers

    fund, ai = match["fund"], match["ai"]
    fund_headers, ai_headers = token_headers(fund.user), token_headers(ai.user)
    path = "/api/v1/events/startup-week/meeting-requests"
    results = race_requests(server, [("POST", path, {"to_profile_id": ai.id}, fund_headers),
                                  ("POST", path, {"to_profile_id": fund.id}, ai_headers)] * 3)
    statuses = Counter((status, data["error"]["code"] if status != 201 else "created")
                       for status, data in results)
    assert statuses == {(201, "created"): 1, (409, "already_requested"): 5}, results


def test_over_http_two_saves_of_one_profile_at_once_make_one_profile(app, db, match, server):
    from tests.factories import make_user, token_headers

    headers = token_headers(make_user("participant"))
    body = {"kind": "startup", "organization": "Công ty CP Song Song", "sector": "ai", "stage": "seed",
            "amount": 1_000_000_000}
    results = race_requests(server, [("PUT", "/api/v1/events/startup-week/profiles/me", body, headers)] * 4)
    assert [status for status, _data in results] == [200] * 4, results
    assert len({data["id"] for _status, data in results}) == 1
