"""Organizers' registration pages: lists, approval queue, manual registration, exports, set-up."""

from flask import Blueprint

bp = Blueprint("registration_admin", __name__)
