"""Proving an account's e-mail address: the link's landing page, sending it again, changing address."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ValidationError
from ..extensions import limiter, login_manager
from ..forms import Form, apply_errors
from ..urls import safe_local_path
from . import services
from .blueprint import bp
from .forms import ChangeEmailForm


def _account_mail_limit() -> str:
    # Each send is an e-mail to an address the account names: a few an hour are plenty for a person.
    return current_app.config["ACCOUNT_MAIL_LIMIT"]


def _account_key() -> str:
    # The account's number, not its session id: that changes on every sign-out and password change,
    # and signing out and in again would start a fresh budget each time (unlimited mail to any address).
    return f"verify-mail:{current_user.id}"


@bp.route("/account/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """The page the e-mailed link opens. The address is proven by the POST of its button, so a mail
    scanner that fetches every link changes nothing by itself."""
    try:
        user, address = services.read_verify_token(token)
    except ValidationError as exc:
        return render_template("accounts/verify_email.html", error=exc.fields["token"][0],
                               form=None), 400
    # Only the account's holder, signed in, confirms: otherwise the owner of a mailbox, pressing the
    # button of a mail they never asked for, would prove their address for an account an impostor made
    # with it (and the impostor could then accept their team invitations).
    if not current_user.is_authenticated:
        return login_manager.unauthorized()  # signs in, then comes back to this page
    if current_user.id != user.id:
        return render_template("accounts/verify_email.html", form=None, error=_(
            "This link was sent for another account. Sign out, then sign in with the account that "
            "asked for it.")), 403
    form = Form()
    if form.validate_on_submit():
        try:
            services.verify_email(token)
        except ValidationError as exc:
            return render_template("accounts/verify_email.html", error=exc.fields["token"][0],
                                   form=None), 409
        flash(_("Your e-mail address %(email)s is confirmed.", email=address), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/verify_email.html", error=None, form=form, address=address,
                           change=address != user.email)


@bp.post("/account/verify/resend")
@login_required
@limiter.limit(_account_mail_limit, key_func=_account_key)
def resend_verification():
    if services.resend_verification(current_user):
        flash(_("We have sent a new link to %(email)s. Open it to confirm your address.",
                email=current_user.email), "info")
    else:
        flash(_("Your e-mail address is already confirmed."), "info")
    return redirect(safe_local_path(request.form.get("next"), url_for("accounts.profile")))


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limiter.limit(_account_mail_limit, key_func=_account_key, methods=["POST"])
def change_email():
    """A new address takes effect when the link sent to it is opened; the old one stays until then."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.email.data, form.password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # The same words whether or not another account has the address (its owner is told).
            flash(_("We have sent a link to %(email)s. Your address changes when you open it.",
                    email=form.email.data.strip().lower()), "info")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_email.html", form=form)
