"""What registration adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from ..hooks import Hooks


def plug_in(hooks: Hooks) -> None:
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
