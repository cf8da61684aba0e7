"""What the report tests share: the figures the `world` fixture's events must show."""

from __future__ import annotations

# What the `world` fixture (conftest.py) holds, figure by figure (api.md "Summary report").
WEEK_FIGURES = {"registrations": 4, "checked_in": 2, "visitor_attendances": 3, "exhibitors": 2,
                "contests": 2, "entries": 3, "sessions": 2, "session_attendance": 4, "session_checkins": 0,
                "investors": 2,
                "meetings_held": 3, "projects_connected": 2, "certificates": 3}
AI_FIGURES = {"registrations": 2, "checked_in": 1, "visitor_attendances": 1, "exhibitors": 0,
              "contests": 1, "entries": 1, "sessions": 0, "session_attendance": 0, "session_checkins": 0,
              "investors": 1,
              "meetings_held": 0, "projects_connected": 0, "certificates": 0}
# The 2026 series' distinct counts: nobody is at both events, so each is the sum of the events' figures.
SERIES_DISTINCT = {"exhibitors": 2, "investors": 3, "projects_connected": 2, "people_checked_in": 3}
# The figures the follow-ups add to the report (hooks.add_report_figures): none answered in these worlds.
ADDED = {"investment_reported": 0, "startups_with_pilot_or_investment": 0}
