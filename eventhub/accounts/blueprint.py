"""The one blueprint of the account pages, shared by their route modules (sign-in and profile, addresses)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
