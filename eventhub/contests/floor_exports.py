"""XLSX of a pairwise contest's floor judging: the ranking, every comparison (undone ones too, marked), and
the judges with their reliability.

Written with `eventhub.spreadsheets` as the rubric export (exports.py): titles and names are people's text,
never read as formulas; numbers are numbers, times are dates in the event's time zone, states are words.
"""

from __future__ import annotations

from flask_babel import gettext as _

from .. import spreadsheets
from ..accounts.models import User
from ..extensions import db
from ..i18n import zone_name
from . import floor_view
from .floor_models import PairwiseVote
from .floor_results import pairwise_report
from .models import Contest, Entry
from .recipients import award_label


def pairwise_xlsx(contest: Contest) -> bytes:
    report = pairwise_report(contest)
    tz = contest.event.tz
    workbook, ranking = spreadsheets.new_workbook(_("Ranking"))
    spreadsheets.write_table(
        ranking, [_("Rank"), _("Entry"), _("Title"), _("Organization"), _("Booth"), _("Score"),
                  _("Uncertainty (±)"), _("Comparisons"), _("Comparisons won"), _("Award")],
        ([r.rank, r.entry_id, r.title, r.organization, r.booth or "", r.score if r.votes else None,
          r.sigma, r.votes, r.wins, award_label(r.award_level) if r.award_level else ""]
         for r in report.rows))
    _comparisons(spreadsheets.add_sheet(workbook, _("Comparison votes")), contest, tz)
    verdicts = floor_view.judge_verdicts(report.judges)
    spreadsheets.write_table(
        spreadsheets.add_sheet(workbook, _("Judges")),
        [_("Judge"), _("E-mail"), _("Comparisons"), _("Booths not found"), _("Reliability (%)"),
         _("Assessment")],
        ([j.full_name, j.email, j.votes, j.skips, round(100 * j.reliability, 1),
          floor_view.verdict_words(verdicts[j.user_id])] for j in report.judges))
    return spreadsheets.workbook_bytes(workbook)


def _comparisons(sheet, contest: Contest, tz) -> None:
    titles = dict(db.session.execute(
        db.select(Entry.id, Entry.title).where(Entry.contest_id == contest.id)).tuples().all())
    votes = db.session.execute(
        db.select(PairwiseVote, User.full_name).join(User, User.id == PairwiseVote.user_id)
        .where(PairwiseVote.contest_id == contest.id).order_by(PairwiseVote.id)).tuples()
    spreadsheets.write_table(
        sheet, [_("Time (%(zone)s)", zone=zone_name(tz)), _("Judge"), _("Better entry"), _("Other entry"),
                _("Undone by the judge")],
        ([vote.created_at, name, titles.get(vote.winner_id, ""), titles.get(vote.loser_id, ""),
          vote.undone_at is not None] for vote, name in votes), tz=tz)
