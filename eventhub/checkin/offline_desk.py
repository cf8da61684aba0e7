"""What the desk needs to keep working when the venue's network fails (issue 17): its web app manifest,
the words its script shows offline, and the batch it sends back, read from its JSON body.

The desk is a session page; /api/v1 takes bearer tokens only, so the desk reaches the same services
(`offline.offline_kit`, `offline.check_in_batch`) through thin routes of its own blueprint, with its CSRF
token (see routes.py).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..errors import ValidationError
from ..events.models import Event
from ..i18n import current_language
from ..registration import catalog
from .offline import MAX_BATCH, BatchTooLarge

THEME_COLOR = "#0b5394"  # the brand's blue (favicon.svg, the navigation bar)


def manifest(slug: str) -> dict:
    """The installable desk of one event: it opens on the desk, full screen, in the current language."""
    desk = url_for("checkin.desk", slug=slug)
    icon = "img/checkin-icon-{size}.png"
    return {
        "name": _("EventHub check-in desk"),
        "short_name": _("Check-in"),
        "description": _("Scan tickets at the gate, also when the venue's network fails."),
        "lang": current_language(),
        "id": desk,
        "start_url": desk,
        "scope": desk,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [{"src": url_for("static", filename=icon.format(size=size)), "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any"} for size in (192, 512)],
    }


def read_batch(body) -> tuple[str, list[dict]]:
    """(device, scans) of the desk's batch; a body of the wrong shape is a ValidationError (422), more
    than MAX_BATCH scans BatchTooLarge (413). Each scan's own fields are judged by the service, scan by
    scan (an unreadable code or time refuses that scan only)."""
    if not isinstance(body, dict) or not isinstance(body.get("scans"), list):
        raise ValidationError({"scans": [_("Send a list of scans.")]})
    scans = body["scans"]
    if len(scans) > MAX_BATCH:
        raise BatchTooLarge()
    if not all(isinstance(scan, dict) for scan in scans):
        raise ValidationError({"scans": [_("Each scan is an object with its ticket code and time.")]})
    device = body.get("device") or ""
    if not isinstance(device, str):
        raise ValidationError({"device": [_("The device's name is a text.")]})
    return device, scans  # its length is the service's to judge (the column's size)


def _forms(phrase) -> dict:
    """Both forms of a counted phrase, its `%(n)s` left for the script, which picks by the number: `one`
    for 1, else `other` (the languages here: English has two forms, Vietnamese one). `phrase(count)` is
    an ngettext call written out, so that the catalogs' extraction finds its words."""
    return {"one": phrase(1), "other": phrase(2)}


def texts(event: Event) -> dict:
    """The words of the offline cards and the status bar, translated here (the script has no catalog).

    `%(name)s` placeholders are filled in by the script; `types` names the kit's type codes.
    """
    return {
        "types": {rtype.code: rtype.name for rtype in catalog.types_of(event)},
        "offline": _("offline"),
        "online": _("Online"),
        "offline_status": _("Offline"),
        "checked_in": _("Checked in"),
        "queued_note": _("Recorded on this device; it is sent when the network is back."),
        "sent_note": _("Sent to the server."),
        # A scan outside the event's days (the kit's first_day/last_day): the online test-scan card's words.
        "before_event": _("The event has not started yet"),
        "after_event": _("The event is over"),
        "test_scan": _("Test scan recorded: it is not counted in the event’s figures."),
        "test_again": _("Test scan: this ticket was already scanned today."),
        "already": _("Already entered at %(time)s · %(where)s"),
        "already_no_where": _("Already entered at %(time)s"),
        "do_not_admit": _("Do not admit: this ticket was already used today."),
        "not_a_ticket": _("Not a ticket"),
        "not_a_ticket_reason": _("This code is not an EventHub ticket."),
        "unknown": _("Not in the offline list"),
        "unknown_reason": _("Registered after this device downloaded its list, or not a ticket of this "
                            "event. Check the ticket and an ID: if you admit the person, the server judges "
                            "the ticket when the network is back."),
        "admit": _("Admit on sight"),
        "admitted": _("Admitted on sight"),
        "admitted_reason": _("Queued: the server checks this ticket when the network is back."),
        "queued": _("Queued scans: %(n)s"),
        "kit_age": _("Offline list from %(age)s"),
        "kit_none": _("No offline list on this device yet"),
        "just_now": _("just now"),
        "minutes_ago": _forms(lambda k: ngettext("%(n)s minute ago", "%(n)s minutes ago", k, n="%(n)s")),
        "hours_ago": _forms(lambda k: ngettext("%(n)s hour ago", "%(n)s hours ago", k, n="%(n)s")),
        "clock_behind": _("This device's clock is %(amount)s behind"),
        "clock_ahead": _("This device's clock is %(amount)s ahead"),
        "minutes": _forms(lambda k: ngettext("%(n)s minute", "%(n)s minutes", k, n="%(n)s")),
        "hours": _forms(lambda k: ngettext("%(n)s hour", "%(n)s hours", k, n="%(n)s")),
        "sign_in": _("Sign in again to send the queued scans."),
        # Asked before signing out of the desk with scans still queued (they stay on the device).
        "unsent_one": _("1 scan has not been sent to the server yet. It stays on this device and is sent "
                        "when staff sign in to this desk again. Sign out anyway?"),
        "unsent_many": _("%(n)s scans have not been sent to the server yet. They stay on this device and "
                         "are sent when staff sign in to this desk again. Sign out anyway?"),
        "not_sent": _("The server did not take the queued scans (%(status)s); they stay on this device."),
        "differ_title": _("Decided differently by the server"),
        "differ_help": _("These people were let in while offline, but the server decided otherwise: "
                         "please follow up."),
        "differ_item": _("%(who)s: admitted offline at %(time)s; the server says: %(answer)s"),
        "differ_ticket": _("Ticket %(code)s…"),
        "clear_list": _("Clear the list"),
        "answers": {
            "already_checked_in": _("Already entered at %(time)s · %(where)s"),
            "already_checked_in_no_where": _("Already entered at %(time)s"),
            "unknown_ticket": _("Unknown ticket"),
            "invalid_ticket": _("Not a ticket"),
            "wrong_event": _("Wrong event"),
            "not_confirmed": _("The registration is not confirmed"),
            "invalid_scan": _("Scan time refused: check this device's clock"),
        },
    }
