"""Issue 20: a contest judged pairwise on the floor gives award certificates as a rubric contest does – the
organizer sets the levels from the pairwise ranking, publishes, and the award job reads Entry.award_level."""

from __future__ import annotations

from flask_babel import force_locale

from eventhub.certificates import services
from eventhub.contests import floor_judging as fj
from eventhub.contests import publishing
from eventhub.contests.floor_results import pairwise_report
from eventhub.contests.recipients import award_label
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.contests.floor_world import later
from tests.support.pdf import pdf_text

from .helpers import TRUC, certificates, run_job


def _judge_prefers(contest, judge, best_id: int, steps: int) -> None:
    """The judge walks the floor and always prefers `best_id`, else the booth seen before."""
    for step in range(steps):
        stop = fj.next_stop(contest, judge, now=later(minutes=step))
        if stop is None:
            return
        if stop.previous is not None:
            pair = {stop.previous.id, stop.entry.id}
            winner = best_id if best_id in pair else stop.previous.id
            fj.vote(contest, judge, winner, (pair - {winner}).pop(), now=later(minutes=step))


def test_the_winner_of_a_pairwise_contest_gets_the_award_certificate(db, day, organizer):
    event = day["event"]
    contest = make_contest(event, scoring="pairwise", criteria=[], submission_deadline=None,
                           name="Giải Sáng tạo trên sàn triển lãm")
    truc = make_entry(contest, title="Máy sấy nông sản năng lượng mặt trời", organization="HTX Nắng Mới",
                      team=[{"full_name": TRUC, "email": "truc@example.vn"}])
    for n in range(3):
        make_entry(contest, title=f"Dự án so sánh {n}", organization=f"Công ty Số {n}")
    for judge in make_judges(contest, 2):
        _judge_prefers(contest, judge, truc.id, 4)
    top = pairwise_report(contest).rows[0]
    assert (top.rank, top.entry_id) == (1, truc.id)
    publishing.set_awards(contest, {top.entry_id: "first"}, actor=organizer)  # as the floor page posts it
    publishing.publish(contest, actor=organizer)

    run_job(db, event, organizer, "award")
    issued = [c for c in certificates(db, event, "award") if c.holder_name == TRUC]
    assert len(issued) == 1
    with force_locale("vi"):
        prize = award_label("first")
    assert issued[0].title == f"{prize} – Giải Sáng tạo trên sàn triển lãm"
    assert issued[0].registration_id == day["truc"].id
    (text,) = pdf_text(services.certificate_pdf(issued[0]))
    assert prize in text and "Máy sấy nông sản năng lượng mặt trời" in text
