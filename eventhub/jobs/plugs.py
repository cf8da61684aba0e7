"""What jobs adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from ..hooks import Hooks
from . import cockpit


def plug_in(hooks: Hooks) -> None:
    _pages(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_cockpit(cockpit.load, order=90)
