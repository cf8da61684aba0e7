"""Pairwise judging on the floor (issue 20): what one judge's step costs – "which was better?" answered and
the next booth asked for – at expo size: 150 entries at 150 booths, 10 judges, 400 votes already cast.

Every step replays the contest's votes (pairwise.replay, in id order) rather than keeping a model in
memory: an undo is then a vote left out, and two judges voting at once cannot leave a model half-written.
This measures what that costs. In-process timings (median of N runs) with baselines in the same run:
- service: floor_judging.next_stop (sent to the next booth) + floor_judging.vote (the pair answered),
  against a bare Flask route through the test client (one request);
- API: GET /api/v1/contests/{id}/next + POST /api/v1/contests/{id}/votes through the Flask test client,
  against two requests to the bare route (the same number of round trips);
- the replay's share: the time spent in pairwise.replay during those steps over the steps' time (and the
  same for the booth lookup, floor_spots.spot_index, the other part that grows with the floor).
Each step adds a vote (the judge walks on), so the runs see 401, 402, … votes.

    .venv/bin/python benchmarks/bench_floor_judging.py [--runs 15] [--db sqlite|postgres]
"""

from __future__ import annotations

import itertools
import math
import random
import sys
import tempfile
import time
from pathlib import Path

from harness import database, in_process_args, print_ratios, timed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ENTRIES, JUDGES, VOTES = 150, 10, 400
ZONES = [{"code": code, "name": name, "sector": sector} for code, name, sector in (
    ("AI", "Trí tuệ nhân tạo", "ai"), ("AG", "Nông nghiệp công nghệ cao", "agritech"),
    ("FI", "Tài chính số", "fintech"), ("ED", "Giáo dục", "edtech"), ("HE", "Y tế", "healthtech"),
    ("GR", "Công nghệ xanh", "greentech"))]


class Stopwatch:
    """Wraps a function of a module: adds up the time spent in it while `on`."""

    def __init__(self, module, name: str):
        self.module, self.name, self.spent, self.calls, self.on = module, name, 0.0, 0, False
        self.inner = getattr(module, name)

        def wrapper(*args, **kwargs):
            if not self.on:
                return self.inner(*args, **kwargs)
            started = time.perf_counter()
            try:
                return self.inner(*args, **kwargs)
            finally:
                self.spent += time.perf_counter() - started
                self.calls += 1
        setattr(module, name, wrapper)


def populate(db, rng: random.Random):
    """The floor (150 booths, their exhibitors placed), the contest, its entries at those booths, the
    judges and 400 votes with their visits and walks, inserted in bulk; the hidden qualities."""
    from datetime import date, datetime

    from eventhub.accounts.models import User
    from eventhub.booths import services as booths
    from eventhub.booths.layout import hall
    from eventhub.booths.models import Booth, BoothPlacement, Exhibitor, ExhibitorStatus
    from eventhub.contests import setup
    from eventhub.contests.floor_models import PairwiseVisit, PairwiseVote, PairwiseWalk, VisitOutcome
    from eventhub.contests.models import ContestJudge, Entry
    from eventhub.events import services as events
    from tests.factories import HCMC

    event = events.create_event(slug="bench-floor", name="Triển lãm", kind="other",
                                starts_at=datetime(2026, 12, 14, 8, tzinfo=HCMC),
                                ends_at=datetime(2026, 12, 14, 17, tzinfo=HCMC))
    booths.replace_floorplan(event, hall(ZONES, booths_per_zone=ENTRIES // len(ZONES), mix={"standard": 1}))
    spots = db.session.scalars(db.select(Booth).filter_by(event_id=event.id).order_by(Booth.code)).all()
    names = [f"Công ty CP Khởi nghiệp Số {i:03d}" for i in range(ENTRIES)]
    exhibitors = [Exhibitor(event_id=event.id, status=ExhibitorStatus.approved, organization=name,
                            sector="ai", size="standard", preferences=[], avoid=[], days=[],
                            contact_email=f"gianhang{i}@bench.vn", search_text=name.lower())
                  for i, name in enumerate(names)]
    db.session.add_all(exhibitors)
    db.session.flush()
    db.session.add_all([BoothPlacement(event_id=event.id, booth_id=booth.id, exhibitor_id=exhibitor.id,
                                       day=date(2026, 12, 14))
                        for booth, exhibitor in zip(spots, exhibitors, strict=True)])
    contest = setup.create_contest(event, {"code": "gian-hang", "name": "Giải gian hàng", "criteria": [],
                                           "judges_per_entry": 3, "scoring": "pairwise"})
    judges = [User(email=f"j{i}@giamkhao.vn", full_name=f"Giám khảo {i}", password_hash="x", role="judge")
              for i in range(JUDGES)]
    db.session.add_all(judges)
    db.session.flush()
    db.session.add_all([ContestJudge(contest_id=contest.id, user_id=j.id) for j in judges])
    entries = [Entry(contest_id=contest.id, title=f"Gian hàng {i}", organization=name)
               for i, name in enumerate(names)]
    db.session.add_all(entries)
    db.session.flush()
    quality = {e.id: rng.gauss(0.0, 1.0) for e in entries}
    per_judge = VOTES // JUDGES
    for judge in judges:  # each judge walked per_judge + 1 booths, voting at each after the first
        path = rng.sample([e.id for e in entries], per_judge + 1)
        db.session.add(PairwiseVisit(contest_id=contest.id, user_id=judge.id, entry_id=path[0],
                                     outcome=VisitOutcome.seen))
        for before, here in itertools.pairwise(path):
            p_here = 1 / (1 + math.exp(-2 * (quality[here] - quality[before])))
            winner, loser = (here, before) if rng.random() < p_here else (before, here)
            vote = PairwiseVote(contest_id=contest.id, user_id=judge.id, winner_id=winner, loser_id=loser)
            db.session.add(vote)
            db.session.flush()
            db.session.add(PairwiseVisit(contest_id=contest.id, user_id=judge.id, entry_id=here,
                                         outcome=VisitOutcome.seen, vote_id=vote.id))
        db.session.add(PairwiseWalk(contest_id=contest.id, user_id=judge.id, previous_entry_id=path[-1],
                                    current_entry_id=None, votes=per_judge))
    db.session.commit()
    return contest.id, [j.id for j in judges]


def _measured(step, runs: int, watches: dict[str, Stopwatch], engine) -> tuple[float, dict]:
    """The step's median time, and each watched function's share of the steps' time and calls a step
    ("SQL": the statements sent to the database, by a cursor event, a share of the time only roughly)."""
    from sqlalchemy import event

    sql = {"calls": 0, "spent": 0.0, "started": 0.0}

    def before(*_args):
        sql["started"] = time.perf_counter()

    def after(*_args):
        sql["calls"] += 1
        sql["spent"] += time.perf_counter() - sql["started"]

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    for watch in watches.values():
        watch.spent, watch.calls, watch.on = 0.0, 0, True
    started = time.perf_counter()
    median = timed(step, runs)
    total = time.perf_counter() - started
    for watch in watches.values():
        watch.on = False
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    shares = {name: (w.spent / total, w.calls / (runs + 1)) for name, w in watches.items()}
    shares["SQL"] = (sql["spent"] / total, sql["calls"] / (runs + 1))
    return median, shares


def main(argv=None) -> int:
    args = in_process_args(__doc__, argv)
    args.runs = max(3, min(args.runs, 40))  # each run walks the judge on: 150 booths, 41 seen already
    with database(args.db, migrate=False) as url:  # the schema by create_all, as the tests make it
        return _run(args, url)


def _run(args, url: str) -> int:
    from eventhub import create_app
    from eventhub.accounts import services as accounts
    from eventhub.accounts.models import User
    from eventhub.contests import floor_judging, floor_state, pairwise
    from eventhub.contests.models import Contest
    from eventhub.extensions import db

    tmp = tempfile.mkdtemp(prefix="bench-floor-")
    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "MAIL_OUTBOX_DIR": tmp, "RATELIMIT_ENABLED": False})

    @app.get("/bench-baseline")
    def _baseline():
        return "ok"

    watches = {"replay": Stopwatch(pairwise, "replay"), "booth lookup": Stopwatch(floor_state, "spot_index"),
               "choice": Stopwatch(pairwise, "choose_next")}
    replay = watches["replay"]
    client = app.test_client()
    with app.app_context():
        db.create_all()
        contest_id, judge_ids = populate(db, random.Random(20))
        engine = db.engine
        service_judge, api_judge = judge_ids[0], judge_ids[1]
        headers = {"Authorization": f"Bearer {accounts.issue_token(db.session.get(User, api_judge))[0]}"}
        pure_votes = [pairwise.Vote(v.user_id, v.winner_id, v.loser_id)
                      for v in floor_state.counted_votes(db.session.get(Contest, contest_id))]
        entry_ids = [e.id for e in floor_state.active_entries(db.session.get(Contest, contest_id))]

        def service_step():
            db.session.expire_all()  # as a new request: nothing cached from the step before
            contest, judge = db.session.get(Contest, contest_id), db.session.get(User, service_judge)
            stop = floor_judging.next_stop(contest, judge)
            floor_judging.vote(contest, judge, stop.entry.id, stop.previous.id)

        t_replay_pure = timed(lambda: replay.inner(pure_votes, entry_ids, judge_ids), args.runs)
        t_service, service_shares = _measured(service_step, args.runs, watches, engine)

    def api_step():
        answer = client.get(f"/api/v1/contests/{contest_id}/next", headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        body = answer.get_json()
        voted = client.post(f"/api/v1/contests/{contest_id}/votes", headers=headers,
                            json={"winner": body["entry_id"], "loser": body["previous_entry_id"]})
        assert voted.status_code == 201, voted.get_data(as_text=True)

    t_api, api_shares = _measured(api_step, args.runs, watches, engine)
    assert client.get("/bench-baseline").status_code == 200
    t_bare = timed(lambda: client.get("/bench-baseline"), args.runs)
    t_bare2 = timed(lambda: (client.get("/bench-baseline"), client.get("/bench-baseline")), args.runs)

    rows = [("bare Flask route via test client (baseline)", t_bare, t_bare),
            ("service: next_stop + vote", t_service, t_bare),
            ("two bare requests (baseline)", t_bare2, t_bare2),
            ("API: GET /next + POST /votes via test client", t_api, t_bare2),
            ("pairwise.replay of the 400 votes, pure", t_replay_pure, t_bare)]
    print(f"{ENTRIES} entries at {ENTRIES} booths, {JUDGES} judges, {VOTES} votes cast before, "
          f"database {args.db}, median of {args.runs} runs\n")
    print_ratios(rows)
    print("\nshare of a step (calls a step): replay = pairwise.replay, booth lookup = floor_spots.spot_index,"
          " choice = pairwise.choose_next, SQL = statements executed")
    for name in [*watches, "SQL"]:
        (service_share, service_calls), (api_share, api_calls) = service_shares[name], api_shares[name]
        print(f"  {name:<13} service {service_share:>4.0%} ({service_calls:.0f})   "
              f"API {api_share:>4.0%} ({api_calls:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
