"""The demo's contests: 8 over the 2020 events, judged and partly published, and the 2026 edition's pitch
contest open for judging; the demo judge's way through both; a second run adds nothing."""

from __future__ import annotations

from eventhub.accounts.models import Role, User
from eventhub.contests.models import Assignment, Contest, ContestJudge, Entry, Score, ScoreStatus
from eventhub.contests.recipients import award_recipients
from eventhub.dbtypes import utcnow
from eventhub.events.models import Event
from eventhub.i18n import format_datetime
from tests.factories import login
from tests.support.demo import PASSWORD


def test_the_demo_loads_eight_judged_contests_once(db, demo):
    count = db.session.scalar(db.select(db.func.count(Contest.id)).join(Contest.event).where(
        Event.slug.like("%-2020")))
    assert count == 8
    assert db.session.scalar(db.select(db.func.count(Entry.id))) >= 8 * 8
    judges = db.session.scalars(db.select(ContestJudge)).all()
    assert judges and all(j.user.email.endswith("@giamkhao.vn") for j in judges)
    assert db.session.scalar(db.select(db.func.count(Score.id)).where(
        Score.status == ScoreStatus.submitted)) >= 8 * 8 * 3
    published = db.session.scalars(db.select(Contest).where(Contest.published_at.is_not(None))).all()
    assert len(published) == 3
    week = db.session.scalar(db.select(Event).where(Event.slug == "startup-week-2020"))
    levels = {r.award_level for r in award_recipients(week.id)}
    assert levels == {"first", "second", "third", "consolation"}
    assert demo.added_by_second_run[Contest.__tablename__] == 0
    # No two entries of a contest share a title (the 2026 pitch once showed the same one twice).
    titles = db.session.execute(db.select(Entry.contest_id, Entry.title)).all()
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)
    assert any(c.code == "startup-pitch-2026" for c in db.session.scalars(db.select(Contest)))


def _demo_judge(db) -> User:
    """The judge `flask demo` prints: the first judge account."""
    return db.session.scalar(db.select(User).where(User.role == Role.judge).order_by(User.id).limit(1))


def _sheet_of(db, judge: User, slug: str) -> Entry:
    """One of the judge's assigned entries in a contest of the event with this slug."""
    return db.session.scalar(db.select(Entry).join(Assignment, Assignment.entry_id == Entry.id)
                             .join(Entry.contest).join(Contest.event)
                             .where(Assignment.user_id == judge.id, Event.slug == slug)
                             .order_by(Entry.id).limit(1))


def test_the_demo_judge_finds_the_open_2026_contest_and_submits_a_sheet(client, db, demo):
    contest = db.session.scalar(db.select(Contest).join(Contest.event)
                                .where(Event.slug == "startup-week-2026"))
    assert contest is not None and contest.published_at is None
    now = utcnow()
    assert contest.submission_deadline < now < contest.active_round.deadline  # judging is open
    judge = _demo_judge(db)
    assert contest.has_judge(judge)
    waiting = db.session.scalars(db.select(Assignment).join(Assignment.entry).where(
        Entry.contest_id == contest.id, Assignment.user_id == judge.id)).all()
    assert len(waiting) >= 3
    assert db.session.scalar(db.select(db.func.count(Score.id)).join(Entry, Entry.id == Score.entry_id).where(
        Entry.contest_id == contest.id)) == 0  # nobody has scored yet
    for entry in db.session.scalars(db.select(Entry).where(Entry.contest_id == contest.id)):
        assert entry.created_at < contest.submission_deadline
    entry = _sheet_of(db, judge, "startup-week-2026")
    login(client, judge, PASSWORD)
    client.get("/?lang=en")
    home = client.get("/judge").get_data(as_text=True)
    assert home.index("Startup Pitch 2026") < home.index("Startup Pitch 2020")  # the open round first
    assert f"Judging closes at {format_datetime(contest.active_round.deadline, contest.event.tz)}." in home
    url = f"/judge/entries/{entry.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="action" value="submit"' in page and "closed" not in page
    done = client.post(url, data={"c_team": "8", "c_market": "7", "c_product": "6.5", "c_pitch": "4",
                                  "comment": "Mô hình rõ ràng.", "action": "submit"})
    assert done.status_code == 302
    score = db.session.scalar(db.select(Score).where(Score.entry_id == entry.id, Score.user_id == judge.id))
    assert score.status == ScoreStatus.submitted and score.values["product"] == 6.5


def test_a_closed_sheet_of_the_demo_judge_is_read_only_with_the_reason(client, db, demo):
    judge = _demo_judge(db)
    entry = _sheet_of(db, judge, "startup-week-2020")
    before = db.session.scalar(db.select(Score).where(Score.entry_id == entry.id, Score.user_id == judge.id))
    kept = (dict(before.values), before.comment)
    login(client, judge, PASSWORD)
    page = client.get(f"/judge/entries/{entry.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Vòng chấm đã đóng lúc 18/12/2020 17:30." in html  # the reason, in words, in the event's time
    assert "<form method=\"post\" novalidate" not in html and 'value="submit"' not in html
    assert "Tôi xin không chấm bài này" not in html  # nor the recusal form: nothing on it can change
    everything_one = {"c_team": "1", "c_market": "1", "c_product": "1", "c_pitch": "1", "action": "submit"}
    refused = client.post(f"/judge/entries/{entry.id}", data=everything_one)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "Không có gì được lưu. Vòng chấm đã đóng lúc 18/12/2020 17:30." in html
    db.session.expire_all()
    after = db.session.get(Score, before.id)
    assert (after.values, after.comment) == kept
    home = client.get("/judge").get_data(as_text=True)
    assert "Vòng chấm đã đóng lúc 18/12/2020 17:30." in home
