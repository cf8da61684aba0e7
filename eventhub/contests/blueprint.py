"""The one blueprint of the contest pages (teams, judges, organizers), shared by their route modules."""

from flask import Blueprint, abort, request

from ..dbtypes import MAX_ID
from ..extensions import db
from .models import Contest, Entry

bp = Blueprint("contests", __name__)


def form_id(name: str) -> int:
    """A posted id, or 0 (names nothing) when it is missing, not a number or out of the id range."""
    value = request.form.get(name, type=int)
    return value if value is not None and 1 <= value <= MAX_ID else 0


def load_contest(contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        abort(404)
    return contest


def load_entry(entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None:
        abort(404)
    return entry


def local_input(value, contest: Contest):
    """A naive datetime from a form, read in the event's time zone."""
    return value.replace(tzinfo=contest.event.tz) if value is not None and value.tzinfo is None else value
