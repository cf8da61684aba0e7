"""Account rules: sign-up, authentication, password reset, roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from .. import mail
from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import Conflict, NotAuthenticated, ValidationError
from ..extensions import db
from ..validation import FieldErrors, clean_email, clean_name, clean_optional_phone
from .models import ApiToken, EventRole, EventRoleKind, Role, User
from .passwords import dummy_verify, hash_password, needs_rehash, verify_password

MIN_PASSWORD_LENGTH = 8


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == (email or "").strip().lower()))


def _check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError({"password": [
            _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]})


def create_user(email: str, password: str, full_name: str, *, role: Role | str = Role.participant,
                locale: str = "vi", phone: str | None = None, organization: str | None = None,
                consent: bool = True, actor: User | None = None, now: datetime | None = None
                ) -> User:
    """Creates an account; raises ValidationError for bad fields and Conflict for a taken e-mail."""
    errors = FieldErrors()
    email = errors.clean(clean_email, email)
    full_name = errors.clean(clean_name, full_name)
    phone = errors.clean(clean_optional_phone, phone)
    errors.clean(_check_password_strength, password)
    if role not in Role.__members__:
        errors.add("role", _("Unknown role."))
    if not consent:
        errors.add("consent", _("Please agree to the personal data notice to continue."))
    errors.raise_if_any()
    if find_user_by_email(email):
        raise Conflict(_("An account with this e-mail already exists."), code="email_taken")
    user = User(
        email=email, full_name=full_name, password_hash=hash_password(password), role=Role(role),
        locale=locale if locale in current_app.config["LANGUAGES"] else "vi", phone=phone,
        organization=(organization or "").strip() or None,
        consent_at=now or utcnow(), consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    db.session.add(user)
    db.session.flush()
    record("user.created", user, actor=actor or user, changes={"role": user.role.value})
    db.session.commit()
    return user


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User:
    """The active user with these credentials; raises NotAuthenticated otherwise."""
    user = find_user_by_email(email)
    if user is None:
        dummy_verify(password or "")
        raise NotAuthenticated(_("Wrong e-mail or password."), code="invalid_credentials")
    if not verify_password(user.password_hash, password or "") or not user.active:
        raise NotAuthenticated(_("Wrong e-mail or password."), code="invalid_credentials")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now or utcnow()
    db.session.commit()
    return user


def update_profile(user: User, *, full_name: str, phone: str | None, organization: str | None,
                   locale: str) -> User:
    errors = FieldErrors()
    full_name = errors.clean(clean_name, full_name)
    phone = errors.clean(clean_optional_phone, phone)
    if locale not in current_app.config["LANGUAGES"]:
        errors.add("locale", _("Unknown language."))
    errors.raise_if_any()
    values = {"full_name": full_name, "phone": phone, "organization": (organization or "").strip() or None,
              "locale": locale}
    # Which fields changed, not their values: the audit must not keep what erasure removes.
    changed = {key: "changed" for key, value in values.items() if getattr(user, key) != value}
    for key, value in values.items():
        setattr(user, key, value)
    if changed:
        record("user.updated", user, actor=user, changes=changed)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current or ""):
        raise ValidationError({"current_password": [_("The current password is not right.")]})
    _check_password_strength(new)
    user.password_hash = hash_password(new)
    _revoke_all_tokens(user)
    record("user.password_changed", user, actor=user)
    db.session.commit()


# --- password reset -------------------------------------------------------------------------

def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User) -> str:
    # The session key (a digest of the hash) is part of the token: a link stops working once the
    # password changes, and the token reveals nothing of the hash.
    return _reset_serializer().dumps({"uid": user.id, "h": user.session_key})


def request_password_reset(email: str, reset_url_for) -> None:
    """E-mails a reset link when the account exists; says nothing either way (no account probing)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    mail.queue("accounts.password_reset", to=user.email, user_id=user.id,
               url=reset_url_for(make_reset_token(user)))
    db.session.commit()


@mail.builder("accounts.password_reset")
def _build_password_reset(user_id: int, url: str):
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    return mail.render(user.email, "password_reset", locale=user.locale,
                       subject=_l("Reset your EventHub password"), user=user, url=url,
                       max_age_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)


def user_for_reset_token(token: str) -> User:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as exc:
        raise ValidationError({"token": [_("This link has expired. Ask for a new one.")]}) from exc
    except BadSignature as exc:
        raise ValidationError({"token": [_("This link is not valid.")]}) from exc
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or user.session_key != data.get("h"):
        raise ValidationError({"token": [_("This link has already been used.")]})
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    _check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    _revoke_all_tokens(user)
    record("user.password_reset", user, actor=user)
    db.session.commit()
    return user


# --- roles --------------------------------------------------------------------------------------

def set_role(user: User, role: Role | str, *, actor: User | None = None) -> User:
    if role not in Role.__members__:
        raise ValidationError({"role": [_("Unknown role.")]})
    record("user.role_changed", user, actor=actor, changes={"role": [user.role.value, role]})
    user.role = Role(role)
    db.session.commit()
    return user


def grant_event_role(user: User, event, role: EventRoleKind | str, *, actor: User | None = None
                     ) -> EventRole:
    if role not in EventRoleKind.__members__:
        raise ValidationError({"role": [_("Unknown role.")]})
    existing = db.session.scalar(db.select(EventRole).filter_by(
        user_id=user.id, event_id=event.id, role=EventRoleKind(role)))
    if existing:
        return existing
    grant = EventRole(user=user, event_id=event.id, role=EventRoleKind(role))
    db.session.add(grant)
    record("event_role.granted", user, actor=actor, event=event,
           changes={"email": user.email, "role": role})
    db.session.commit()
    return grant


def revoke_event_role(grant: EventRole, event, *, actor: User | None = None) -> None:
    record("event_role.revoked", grant.user, actor=actor, event=event,
           changes={"email": grant.user.email, "role": grant.role.value})
    db.session.delete(grant)
    db.session.commit()


# --- API tokens ---------------------------------------------------------------------------------

def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, *, now: datetime | None = None) -> tuple[str, ApiToken]:
    """Returns the token (shown once) and its stored record."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    record_ = ApiToken(user_id=user.id, token_hash=_digest(token), created_at=now,
                       expires_at=now + current_app.config["API_TOKEN_LIFETIME"])
    db.session.add(record_)
    db.session.commit()
    return token, record_


def user_for_token(token: str, *, now: datetime | None = None) -> tuple[User, ApiToken] | None:
    if not token or len(token) > 200:
        return None
    found = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == _digest(token))
                              .options(joinedload(ApiToken.user)))  # one query for token and user
    now = now or utcnow()
    if found is None or found.revoked_at is not None or found.expires_at <= now:
        return None
    if not found.user.active:
        return None
    return found.user, found


def _revoke_all_tokens(user: User, now: datetime | None = None) -> None:
    """A new password ends every API token of the account (no commit: the caller's change does)."""
    db.session.execute(db.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now or utcnow()))


def revoke_token(token: ApiToken, *, now: datetime | None = None) -> None:
    token.revoked_at = now or utcnow()
    db.session.commit()


# --- personal data (Decree 13/2023/ND-CP: see, export, erase) ----------------------------------

def export_user_data(user: User) -> dict:
    """Everything EventHub keeps about an account, as plain JSON-ready data."""
    from ..booths.queries import personal_data as booth_personal_data  # they import accounts: late
    from ..matchmaking.profiles import personal_data as matchmaking_personal_data

    return {
        "account": {
            "email": user.email, "full_name": user.full_name, "phone": user.phone,
            "organization": user.organization, "role": user.role.value, "locale": user.locale,
            "created_at": user.created_at.isoformat(),
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        },
        "consent": {
            "given_at": user.consent_at.isoformat() if user.consent_at else None,
            "notice_version": user.consent_version,
        },
        "event_roles": [{"event": grant.event_id, "role": grant.role.value}
                        for grant in user.event_roles],
        "api_tokens": [{"created_at": t.created_at.isoformat(), "expires_at": t.expires_at.isoformat(),
                        "revoked": t.revoked_at is not None}
                       for t in db.session.scalars(db.select(ApiToken).filter_by(user_id=user.id))],
        "booth_applications": booth_personal_data(user.id),
        "matchmaking_profiles": matchmaking_personal_data(user.id),
    }


def erase_user(user: User, password: str, *, now: datetime | None = None) -> None:
    """Erases an account's personal data for good; the audit log keeps only its number."""
    if not verify_password(user.password_hash, password or ""):
        raise ValidationError({"password": [_("The current password is not right.")]})
    record("user.erased", user, actor=user)
    from ..mail.models import EmailStatus, OutboundEmail

    for message in db.session.scalars(db.select(OutboundEmail).where(  # every e-mail to them: no address
            OutboundEmail.to == user.email)):
        message.to, message.payload = f"erased-{user.id}@invalid", {}
        if message.status in (EmailStatus.pending, EmailStatus.sending):  # nobody left to send it to
            message.status, message.last_error = EmailStatus.failed, "The account was erased."
    from .erasure import forget_person

    forget_person(user, user.email, f"erased-{user.id}@invalid")  # contests, booths, meetings, certificates
    user.email = f"erased-{user.id}@invalid"
    user.full_name = "—"  # no name, in any language
    user.phone = user.organization = None
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.active = False
    user.consent_at = user.consent_version = None
    user.event_roles.clear()
    for token in db.session.scalars(db.select(ApiToken).filter_by(user_id=user.id)):
        db.session.delete(token)
    db.session.commit()
