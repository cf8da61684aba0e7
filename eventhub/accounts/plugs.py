"""What accounts adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from ..audit import privacy as audit_privacy
from ..hooks import Hooks
from . import privacy
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
    # The outbox first, while the address is still the account's; the account itself last, since every
    # other feature finds the person's things by the account's address (accounts.privacy.proven_address).
    hooks.add_personal_data("emails", privacy.export_emails, privacy.forget_emails, order=10)
    # The audit log's entries that stored the address or name: scrubbed while the account still has them.
    hooks.add_personal_data("audit_log", audit_privacy.export, audit_privacy.forget, order=900)
    hooks.add_personal_data("consent", privacy.export_consent, order=1000)
    hooks.add_personal_data("event_roles", privacy.export_event_roles, order=1000)
    hooks.add_personal_data("api_tokens", privacy.export_api_tokens, order=1000)
    hooks.add_personal_data("account", privacy.export_account, privacy.forget_account, order=1000)
