"""Contest results and judge assignment at the size of issue 5: 300 entries, 40 judges, 5 per entry.

In-process timings (median of N runs) with baselines timed in the same run:
- results, pure: eventhub.contests.scoring.results over 1,500 submitted sheets,
  against a plain Python loop that sums the same 1,500 sheets' scores (the least any results can cost);
- results, service: contest_results() reading the sheets from the database, and the organizer's
  results page (every judge's raw and normalized scores, spread, progress, alpha) through the
  Flask test client, against a bare Flask route answering "ok" through the same client;
- assignment: eventhub.contests.assignment.assign (min-cost flow + checks), against the same plain loop.
Aims (issue 5): results under 50 ms, assignment under 1 s on this machine.

    .venv/bin/python benchmarks/bench_contests.py [--runs 15] [--db sqlite|postgres]
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from harness import in_process_args, print_ratios, timed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ENTRIES, JUDGES, PER_ENTRY = 300, 40, 5
CRITERIA = [{"key": "team", "name": "Đội ngũ", "weight": 3, "max_score": 10},
            {"key": "market", "name": "Thị trường", "weight": 3, "max_score": 10},
            {"key": "product", "name": "Sản phẩm", "weight": 2, "max_score": 10},
            {"key": "pitch", "name": "Thuyết trình", "weight": 1, "max_score": 5}]


def populate(db, rng):
    """Contest, judges, entries, assignment and submitted sheets, inserted in bulk."""
    from datetime import datetime

    from eventhub.accounts.models import User
    from eventhub.contests import setup
    from eventhub.contests.assignment import assign
    from eventhub.contests.models import Assignment, ContestJudge, Entry, Score, ScoreStatus
    from eventhub.events import services as events
    from eventhub.events.models import Event
    from tests.factories import HCMC

    event = events.create_event(slug="bench", name="Benchmark", kind="other",
                                starts_at=datetime(2026, 12, 14, 8, tzinfo=HCMC),
                                ends_at=datetime(2026, 12, 14, 17, tzinfo=HCMC))
    organizer = User(email="org@bench.vn", full_name="Ban Tổ Chức", password_hash="x", role="organizer")
    db.session.add(organizer)
    db.session.commit()
    event = db.session.get(Event, event.id)
    contest = setup.create_contest(event, {"code": "pitch", "name": "Bench", "criteria": CRITERIA,
                                           "judges_per_entry": PER_ENTRY, "scoring": "zscore"})
    judges = [User(email=f"j{i}@giamkhao.vn", full_name=f"Giám khảo {i}", password_hash="x", role="judge")
              for i in range(JUDGES)]
    db.session.add_all(judges)
    db.session.flush()
    db.session.add_all([ContestJudge(contest_id=contest.id, user_id=j.id) for j in judges])
    entries = [Entry(contest_id=contest.id, title=f"Dự án {i}", organization=f"Công ty {i}")
               for i in range(ENTRIES)]
    db.session.add_all(entries)
    db.session.flush()
    round_id = contest.first_round.id
    pairs = assign([e.id for e in entries], [j.id for j in judges], PER_ENTRY, seed=1)
    db.session.add_all([Assignment(round_id=round_id, entry_id=e, user_id=j) for e, j in pairs])
    db.session.add_all([Score(round_id=round_id, entry_id=e, user_id=j, criteria_version=1,
                              status=ScoreStatus.submitted,
                              values={c["key"]: round(rng.uniform(0, c["max_score"]), 1) for c in CRITERIA})
                        for e, j in pairs])
    db.session.commit()
    return contest.id, organizer.id, [e.id for e in entries], [j.id for j in judges]


def main(argv=None) -> int:
    args = in_process_args(__doc__, argv)

    from flask_login import login_user

    from eventhub import create_app
    from eventhub.contests import scoring
    from eventhub.contests.assignment import assign
    from eventhub.contests.models import Contest, Score
    from eventhub.contests.results import contest_results
    from eventhub.extensions import db

    tmp = tempfile.mkdtemp(prefix="bench-contests-")
    if args.db == "postgres":
        from sqlalchemy import create_engine, text

        admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "eventhub_bench_contests"'))
            conn.execute(text('CREATE DATABASE "eventhub_bench_contests"'))
        url = "postgresql+psycopg://postgres@127.0.0.1:5432/eventhub_bench_contests"
    else:
        url = f"sqlite:///{tmp}/bench.db"
    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "MAIL_OUTBOX_DIR": tmp, "RATELIMIT_ENABLED": False})

    @app.get("/bench-baseline")
    def _baseline():
        return "ok"

    rng = random.Random(5)
    with app.app_context():
        db.create_all()
        contest_id, organizer_id, entry_ids, judge_ids = populate(db, rng)
        contest = db.session.get(Contest, contest_id)
        criteria = [scoring.Criterion(c.key, c.weight, c.max_score) for c in contest.first_round.criteria]
        sheets = [scoring.Sheet(e, j, v) for e, j, v in db.session.execute(
            db.select(Score.entry_id, Score.user_id, Score.values)).tuples()]
        keys = [c.key for c in criteria]

        def plain_loop():
            total = 0.0
            for sheet in sheets:
                for key in keys:
                    total += sheet.scores[key]
            return total

        t_loop = timed(plain_loop, args.runs)
        t_pure = timed(lambda: scoring.results(entry_ids, criteria, sheets, "zscore"), args.runs)
        t_api = timed(lambda: (db.session.expire_all(), contest_results(
            db.session.get(Contest, contest_id))), args.runs)
        t_service = timed(lambda: (db.session.expire_all(), contest_results(
            db.session.get(Contest, contest_id), detail=True)), args.runs)
        t_assign = timed(lambda: assign(entry_ids, judge_ids, PER_ENTRY, seed=7), max(3, args.runs // 3))

    client = app.test_client()
    with app.test_request_context():
        pass

    @app.get("/bench-login")
    def _login():
        from eventhub.accounts.models import User

        login_user(db.session.get(User, organizer_id))
        return "ok"

    assert client.get("/bench-login").status_code == 200
    page_url = f"/contests/{contest_id}/results/manage"
    assert client.get(page_url).status_code == 200, client.get(page_url).status_code
    assert client.get("/bench-baseline").status_code == 200
    t_bare = timed(lambda: client.get("/bench-baseline"), args.runs)
    t_page = timed(lambda: client.get(page_url), args.runs)

    rows = [("plain loop over 1,500 sheets (baseline)", t_loop, t_loop),
            ("results, pure scoring.results", t_pure, t_loop),
            ("results, service with the DB (API answer)", t_api, t_loop),
            ("results, service with the DB (page detail)", t_service, t_loop),
            ("assignment, min-cost flow + checks", t_assign, t_loop),
            ("bare Flask route via test client (baseline)", t_bare, t_bare),
            ("organizer results page via test client", t_page, t_bare)]
    print(f"{ENTRIES} entries × {JUDGES} judges × {PER_ENTRY} judges per entry "
          f"({ENTRIES * PER_ENTRY} sheets), database {args.db}, median of {args.runs} runs\n")
    print_ratios(rows, 46)
    print(f"\naims: results < 50 ms (pure {t_pure * 1000:.1f} ms, service {t_api * 1000:.1f} ms, "
          f"page {t_page * 1000:.1f} ms); assignment < 1 s ({t_assign * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
