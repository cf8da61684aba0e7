"""What events adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from ..hooks import Hooks
from . import cockpit
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_cockpit(cockpit.load, order=95)


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
