"""The blueprint of the contests API, shared by its modules (contests, contest_rounds)."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("api_contests", __name__, description="Contests and judging")
