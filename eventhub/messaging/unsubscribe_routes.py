"""/unsubscribe/<token>: the link in every organizer's message. GET shows a page with one button (mail
scanners follow links; a GET never changes anything); POST records. A POST whose body is
`List-Unsubscribe=One-Click` (RFC 8058, sent by the mail client itself) needs no CSRF token: the signed
token in the URL is what proves the address, and the only thing a forged POST could do is unsubscribe."""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from ..extensions import csrf
from . import services
from .blueprint import bp


def _address_or_404(token: str) -> str:
    address = services.read_unsubscribe_token(token)
    if address is None:
        abort(404)
    return address


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The page with one button; says so when the address has unsubscribed already."""
    address = _address_or_404(token)
    return render_template("messaging/unsubscribe.html", token=token, address=address,
                           done=services.is_unsubscribed(address))


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # from the automatic check only: the page's button is checked below
def unsubscribe(token: str):
    """Records the unsubscribe (a mail client's one-click POST, or the page's button with its CSRF token)."""
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    if not one_click and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # 400 without a valid token, as every other form
    address = _address_or_404(token)
    services.unsubscribe(address)
    if one_click:
        return "", 200  # a mail client: nobody reads an answer
    return render_template("messaging/unsubscribe.html", token=token, address=address, done=True)
