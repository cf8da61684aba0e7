"""`flask --app wsgi registrations expire-holds`: for cron, beside the sweep of the mail thread."""

from __future__ import annotations

import click
from flask.cli import AppGroup

registrations_group = AppGroup("registrations", help="Registrations.")


@registrations_group.command("expire-holds")
def expire_holds_command() -> None:
    """Release the seats of holds (confirm_email) whose e-mailed link was not opened in time."""
    from .services import expire_holds

    total = 0
    while True:  # in rounds, so one huge backlog never holds a long transaction
        released = expire_holds()
        total += released
        if released == 0:
            break
    click.echo(f"Released {total} expired holds.")
