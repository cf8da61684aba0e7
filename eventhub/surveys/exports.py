"""A survey's results as a workbook for people: a summary sheet, then one row per response (labels only)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..spreadsheets import add_sheet, append_row, new_workbook, workbook_bytes, write_table
from .labels import kind_label
from .results import SurveyResults


def _summary_rows(results: SurveyResults):
    for result in results.questions:
        question = result.question
        nps = result.nps.score if result.nps and result.nps.score is not None else None
        yield [question.label, kind_label(question.kind), result.answers,
               round(result.average, 2) if result.average is not None else None,
               round(nps, 1) if nps is not None else None, ""]
        for value, count in [*result.distribution.items(), *result.counts.items()]:
            yield ["", str(value), count, None, None, ""]


def results_xlsx(results: SurveyResults, *, tz=None) -> bytes:
    workbook, sheet = new_workbook(_("Summary"))
    append_row(sheet, [results.survey.title], bold=True)  # typed and neutralized: a title may start with "="
    append_row(sheet, [_("Invited"), results.invited, _("Answered"), results.responses])
    write_table(sheet, [_("Question"), _("Kind of question"), _("Answers"), _("Average"), _("NPS"), ""],
                _summary_rows(results))
    questions = [r.question for r in results.questions]
    responses = add_sheet(workbook, _("Responses"))
    write_table(responses, [_("Full name"), _("Registration type"), _("Answered at"),
                            *[q.label for q in questions]],
                ([row.full_name, row.type_name, row.submitted_at,
                  *[row.answers.get(str(q.id), "") for q in questions]] for row in results.rows), tz=tz)
    return workbook_bytes(workbook)
