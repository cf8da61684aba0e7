"""Account pages: sign up, sign in and out, profile, password reset."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import NotAuthenticated, ValidationError
from ..extensions import limiter
from ..forms import apply_errors
from ..ratelimits import (
    login_account_key,
    login_limit_per_account,
    login_limit_per_ip,
    registration_email_key,
    registration_limit_per_email,
    registration_limit_per_ip,
)
from ..urls import external_url, safe_local_path
from . import services, throttle
from .blueprint import bp
from .forms import (
    EVENT_ROLE_LABELS,
    ROLE_LABELS,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    SignupForm,
)


@bp.app_context_processor
def _role_labels():
    return {"role_labels": ROLE_LABELS, "event_role_labels": EVENT_ROLE_LABELS}


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(registration_limit_per_ip, methods=["POST"])
@limiter.limit(registration_limit_per_email, key_func=registration_email_key, methods=["POST"])
def signup():
    # The language the page is shown in (?lang= on this very request included), not only one remembered
    # from an earlier page: someone reading the form in English gets an English account.
    form = SignupForm(locale=str(get_locale() or "vi"))
    if form.validate_on_submit():
        try:
            services.sign_up(
                form.email.data, form.password.data, form.full_name.data, locale=form.locale.data,
                phone=form.phone.data, organization=form.organization.data,
                consent=form.consent.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # The same answer whether or not the address already had an account (its owner gets an
            # e-mail instead), so no sign-in here: the person signs in once the link has come.
            session["lang"] = form.locale.data if form.locale.data in ("vi", "en") else "vi"
            return redirect(url_for(".signup_sent"))
    return render_template("accounts/signup.html", form=form)


@bp.get("/signup/sent")
def signup_sent():
    return render_template("accounts/signup_sent.html")


@bp.route("/login", methods=["GET", "POST"])
def login():
    # Failed attempts only, in the budgets the API's token door shares (accounts/throttle.py).
    if current_user.is_authenticated:
        return redirect(url_for("events.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = throttle.sign_in(form.email.data, form.password.data)
        except throttle.TooManyFailures as exc:
            form.form_errors.append(exc.message)
            return (render_template("accounts/login.html", form=form), 429,
                    {"Retry-After": str(exc.retry_after)})
        except NotAuthenticated as exc:
            form.form_errors.append(exc.describe())
        else:
            login_user(user, remember=form.remember.data)
            session["lang"] = user.locale
            flash(_("You are signed in."), "success")
            return redirect(safe_local_path(request.args.get("next"), url_for("events.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_sessions(current_user)  # every copy of this account's session cookies ends too
    logout_user()
    flash(_("You are signed out."), "info")
    response = redirect(url_for("events.home"))
    # The browser's HTTP cache of pages seen signed in (a check-in desk lists names). Not "storage": that
    # would also wipe the desk's queue of scans the server has not seen (static/js/checkin-forget.js
    # removes the desk's offline copies and keeps the queue).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    action = request.form.get("action")
    # Each form reads the posted data only when it was the one submitted.
    form = ProfileForm(formdata=request.form if action == "profile" else None,
                       obj=current_user, prefix="profile")
    password_form = ChangePasswordForm(formdata=request.form if action == "password" else None,
                                       prefix="password")
    if action == "profile" and form.validate_on_submit():
        try:
            services.update_profile(current_user, full_name=form.full_name.data,
                                    phone=form.phone.data, organization=form.organization.data,
                                    locale=form.locale.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            session["lang"] = current_user.locale
            flash(_("Your profile is saved."), "success")
            return redirect(url_for(".profile"))
    elif action == "password" and password_form.validate_on_submit():
        try:
            services.change_password(current_user, password_form.current_password.data,
                                     password_form.new_password.data)
        except ValidationError as exc:
            apply_errors(password_form, exc)
        else:
            # Every other session and API token ends with the old password; this one carries on.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed."), "success")
            return redirect(url_for(".profile"))
    return render_template("accounts/profile.html", form=form, password_form=password_form)


@bp.get("/account/data.json")
@login_required
def export_data():
    """The person's own data as a JSON download (Decree 13/2023/ND-CP)."""
    response = jsonify(services.export_user_data(current_user))
    response.headers["Content-Disposition"] = "attachment; filename=eventhub-my-data.json"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.erase_user(current_user, form.password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            logout_user()
            flash(_("Your account and its personal data are erased."), "info")
            return redirect(url_for("events.home"))
    return render_template("accounts/delete.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(login_limit_per_ip, methods=["POST"])
@limiter.limit(login_limit_per_account, key_func=login_account_key, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.email.data,
            lambda token: external_url("accounts.reset_password", token=token))
        flash(_("If an account exists for this address, we have e-mailed a link to reset its "
                "password."), "info")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except ValidationError as exc:
        flash(exc.fields["token"][0], "danger")
        return redirect(url_for(".forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Your password is changed. Please sign in."), "success")
            return redirect(url_for(".login"))
    return render_template("accounts/reset_password.html", form=form)

