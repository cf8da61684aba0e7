"""Outgoing e-mail through a transactional outbox.

A service calls `queue(kind, to=..., **payload)` inside its own transaction: the e-mail is a row
that commits (or rolls back) together with the registration it announces. Right after the commit
the outbox is delivered – at once in tests (MAIL_DELIVERY=eager), otherwise by a background thread
– so a slow or absent mail server never slows down or undoes a registration. Failed deliveries are
retried with back-off by the same thread and by `flask --app wsgi mail deliver`.
"""

from .outbox import builder, deliver_due, periodic, queue
from .sending import build_message, render, send

__all__ = ["build_message", "builder", "deliver_due", "periodic", "queue", "render", "send"]
