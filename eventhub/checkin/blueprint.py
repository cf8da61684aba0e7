"""The checkin blueprint itself, apart from its pages: the desk's (routes.py) and the doors' (door_routes.py)
both register on it without importing each other."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checkin", __name__)
