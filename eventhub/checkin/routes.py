"""The check-in desk and live numbers, for gate staff and organizers."""

from flask import Blueprint

from . import models  # noqa: F401  (the check-in tables)

bp = Blueprint("checkin", __name__)
