"""The messaging blueprint itself, apart from its pages (created by msgpages for msgcore too): the organizers'
pages (routes.py) and msgcore's own routes (unsubscribe, …) can both attach to `bp` without importing each
other, as checkin's desk and door routes do. create_app imports the route modules, then registers `bp`."""

from __future__ import annotations

from flask import Blueprint

from .subject_labels import placeholder_chips, placeholder_words

bp = Blueprint("messaging", __name__)

# A subject's placeholders shown as labels on the organizers' pages: filters for every template.
bp.add_app_template_filter(placeholder_chips, "placeholder_chips")
bp.add_app_template_filter(placeholder_words, "placeholder_words")
