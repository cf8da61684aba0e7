"""The one blueprint of the contest pages (teams, judges, organizers), shared by their route modules."""

from flask import Blueprint, request

from ..dbtypes import MAX_ID
from .models import Contest

bp = Blueprint("contests", __name__)


def form_id(name: str) -> int:
    """A posted id, or 0 (names nothing) when it is missing, not a number or out of the id range."""
    value = request.form.get(name, type=int)
    return value if value is not None and 1 <= value <= MAX_ID else 0


def local_input(value, contest: Contest):
    """A naive datetime from a form, read in the event's time zone."""
    return value.replace(tzinfo=contest.event.tz) if value is not None and value.tzinfo is None else value
