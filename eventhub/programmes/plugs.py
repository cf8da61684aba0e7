"""What programmes add to other features' pages, through eventhub.hooks: a menu link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import Hooks


def plug_in(hooks: Hooks) -> None:
    hooks.add_menu_link(_l("Programmes"), "programmes.index", permissions.can_view_series_report, order=21)
