"""Command-line groups: `flask --app wsgi users …` and `flask --app wsgi demo`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .accounts import services as accounts
from .accounts.models import EventRoleKind, Role
from .errors import EventHubError

users = AppGroup("users", help="Create accounts and give roles.")


def _fail(error: EventHubError) -> None:
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in (error.fields or {}).items())
    raise click.ClickException(details or error.describe())


@users.command("create")
@click.argument("email")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.participant.value,
              show_default=True)
@click.option("--name", default=None, help="Full name; defaults to the e-mail's local part.")
@click.option("--locale", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def create_user(email: str, password: str, role: str, name: str | None, locale: str) -> None:
    """Create an account with a global role."""
    try:
        user = accounts.create_user(email, password, name or email.split("@", 1)[0],
                                    role=role, locale=locale, email_verified=True)  # the operator vouches
    except EventHubError as exc:
        _fail(exc)
    click.echo(f"Created {user.email} ({user.role.value}).")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role(email: str, role: str) -> None:
    """Change an account's global role."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account {email}.")
    accounts.set_role(user, role)
    click.echo(f"{user.email} is now {role}.")


@users.command("grant")
@click.argument("email")
@click.option("--event", "slug", required=True, help="The event's slug.")
@click.option("--role", type=click.Choice([r.value for r in EventRoleKind]), required=True)
def grant(email: str, slug: str, role: str) -> None:
    """Make an account organizer or check-in staff of one event."""
    from .events.services import get_event

    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account {email}.")
    try:
        event = get_event(slug)
    except EventHubError as exc:
        _fail(exc)
    accounts.grant_event_role(user, event, role)
    click.echo(f"{user.email} is {role} of {event.slug}.")


@click.command("demo")
@click.option("--password", default="demo1234", show_default=True,
              help="Password of every demo account.")
@click.option("--visitors", default=1.0, show_default=True, type=click.FloatRange(0, 10),
              help="Scale of the 5,000 visitor registrations (0.01 for a quick demo).")
def demo(password: str, visitors: float) -> None:
    """Load the 2020 event series with its people (safe to run again)."""
    from .demo import load_demo

    summary = load_demo(password=password, visitors=visitors)
    for line in summary:
        click.echo(line)


mail_group = AppGroup("mail", help="The e-mail outbox.")


@mail_group.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering (a mail worker, for MAIL_DELIVERY=worker).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between rounds with --loop.")
def deliver_mail(loop: bool, interval: float) -> None:
    """Send the e-mails that are due (new ones, and retries after a failure)."""
    import time

    from .mail import deliver_due
    from .mail.outbox import release_stuck, run_periodic

    while True:
        released = release_stuck()
        # Expired seat holds, reminders, scheduled messages – also where MAIL_DELIVERY=worker, and before
        # delivering, so that what they queue goes out in the same round (a cron job without --loop too).
        run_periodic()
        sent, failed = deliver_due()
        if not loop or sent or failed or released:
            click.echo(f"Sent {sent}, failed {failed}" + (f", released {released}" if released else "") + ".")
        if not loop:
            return
        time.sleep(interval)


jobs_group = AppGroup("jobs", help="Background jobs.")


@jobs_group.command("reap")
@click.option("--minutes", default=5, show_default=True, help="Silence after which a job is abandoned.")
def reap_jobs(minutes: int) -> None:
    """Mark jobs whose worker died as failed (they never stay 'running')."""
    from datetime import timedelta

    from .jobs.runner import fail_abandoned

    click.echo(f"Marked {fail_abandoned(older_than=timedelta(minutes=minutes))} abandoned jobs failed.")


organizations_group = AppGroup("organizations", help="Organizations across the series.")


@organizations_group.command("link")
def link_organizations() -> None:
    """Link every exhibitor, entry, profile and registration not linked yet to its organization."""
    from .organizations.services import link_all

    click.echo(f"Linked {link_all()} rows to their organizations.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path: str) -> None:
    """Write the database and the stored files to one archive (consistent while the app runs)."""
    from .backup import backup

    manifest = backup(path)
    rows = sum(t["rows"] for t in manifest["tables"])
    click.echo(f"Backed up {rows} rows in {len(manifest['tables'])} tables and {manifest['files']} files "
               f"to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace what a non-empty database holds.")
def restore_command(path: str, force: bool) -> None:
    """Load an archive made by `backup` (from SQLite or PostgreSQL) into this database."""
    from .backup import BackupError, restore

    try:
        summary = restore(path, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {summary['rows']} rows in {summary['tables']} tables and {summary['files']} files "
               f"(backup made on {summary['from']}).")
    if summary["skipped"]:
        click.echo(f"Not restored (not EventHub's tables): {', '.join(summary['skipped'])}.")


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(mail_group)
    app.cli.add_command(jobs_group)
    app.cli.add_command(organizations_group)
    from .registration.cli import registrations_group

    app.cli.add_command(registrations_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
