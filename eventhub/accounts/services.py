"""Account rules: sign-up, authentication, password reset, roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import hooks, mail
from ..audit.services import record
from ..dbtypes import MAX_ID, utcnow
from ..errors import Conflict, NotAuthenticated, ValidationError
from ..extensions import db
from ..urls import external_url
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
                consent: bool = True, actor: User | None = None, now: datetime | None = None,
                email_verified: bool = False) -> User:
    """Creates an account; raises ValidationError for bad fields and Conflict for a taken e-mail.

    `email_verified` only where an operator vouches for the address (`flask users create`, the demo);
    a person signing up proves it with the link `send_verification` e-mails."""
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
        email_verified_at=(now or utcnow()) if email_verified else None,
    )
    db.session.add(user)
    db.session.flush()
    record("user.created", user, actor=actor or user, changes={"role": user.role.value})
    db.session.commit()
    return user


def sign_up(email: str, password: str, full_name: str, *, locale: str = "vi", phone: str | None = None,
            organization: str | None = None, consent: bool = True) -> User | None:
    """Sign-up that never tells whether the address has an account: a new account gets the link that
    proves its address; for a taken address the owner is e-mailed instead, and the caller answers the
    same. Returns the new account, or None when the address was taken. Field errors (which do not
    depend on other accounts) raise ValidationError as usual."""
    try:
        user = create_user(email, password, full_name, locale=locale, phone=phone,
                           organization=organization, consent=consent)
    except (Conflict, IntegrityError):  # IntegrityError: the same address signed up at the same moment
        db.session.rollback()
        hash_password(password or "x")  # as long as creating the account takes: time tells nothing
        existing = find_user_by_email(email)
        if existing is not None and existing.active:
            mail.queue("accounts.address_in_use", to=existing.email, user_id=existing.id)
            db.session.commit()
        return None
    send_verification(user)
    return user


# --- proving the address -----------------------------------------------------------------------

def _verify_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="email-verify")


def make_verify_token(user: User, address: str) -> str:
    # The address the link proves is in the token, and the account's current address beside it: a link
    # for an address the account no longer has (or not yet has, for a change) proves nothing else.
    return _verify_serializer().dumps({"uid": user.id, "e": address, "from": user.email})


def send_verification(user: User, address: str | None = None) -> None:
    """E-mails the link that proves `address` (default: the account's own) belongs to its owner."""
    address = address or user.email
    mail.queue("accounts.verify_email", to=address, user_id=user.id, address=address,
               token=make_verify_token(user, address))
    db.session.commit()


def resend_verification(user: User) -> bool:
    """Sends the link again; False when the address is already proven (nothing to send)."""
    if user.email_verified:
        return False
    send_verification(user)
    return True


@mail.builder("accounts.verify_email")
def _build_verify_email(user_id: int, address: str, token: str):
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    change = address != user.email
    return mail.render(address, "verify_email", locale=user.locale,
                       subject=_l("Confirm your e-mail address for EventHub"), user=user, change=change,
                       url=external_url("accounts.verify_email", token=token),
                       max_age_hours=current_app.config["EMAIL_VERIFY_MAX_AGE"] // 3600)


@mail.builder("accounts.address_in_use")
def _build_address_in_use(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    return mail.render(user.email, "address_in_use", locale=user.locale,
                       subject=_l("Someone tried to use your e-mail address on EventHub"), user=user,
                       login_url=external_url("accounts.login"),
                       reset_url=external_url("accounts.forgot_password"))


def read_verify_token(token: str) -> tuple[User, str]:
    """The account and the address a link proves; ValidationError when it is not (or no longer) valid."""
    try:
        data = _verify_serializer().loads(token, max_age=current_app.config["EMAIL_VERIFY_MAX_AGE"])
    except SignatureExpired as exc:
        raise ValidationError({"token": [_("This link has expired. Ask for a new one.")]}) from exc
    except BadSignature as exc:
        raise ValidationError({"token": [_("This link is not valid.")]}) from exc
    uid = data.get("uid") if isinstance(data, dict) else None
    user = db.session.get(User, uid) if isinstance(uid, int) and 0 < uid <= MAX_ID else None
    address = data.get("e") if isinstance(data, dict) else None
    if (user is None or not user.active or not isinstance(address, str)
            or user.email not in (address, data.get("from"))):
        raise ValidationError({"token": [_("This link is no longer valid.")]})
    return user, address


def verify_email(token: str, *, now: datetime | None = None) -> User:
    """Marks the address of the link proven; for a change of address, the account takes it now."""
    user, address = read_verify_token(token)
    now = now or utcnow()
    if address != user.email:
        if find_user_by_email(address) is not None:
            raise ValidationError({"token": [_("Another account uses this address now.")]})
        record("user.email_changed", user, actor=user)  # not the addresses: erasure must not keep them
        # The old address hears of it: if someone who knows the password moved the account, its owner
        # learns where it went (the payload is emptied once sent, outbox.deliver).
        mail.queue("accounts.email_changed", to=user.email, user_id=user.id, old=user.email, new=address)
        user.email = address
        user.email_verified_at = now
    elif user.email_verified_at is None:
        user.email_verified_at = now
        record("user.email_verified", user, actor=user)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the address was taken at the same moment
        db.session.rollback()
        raise ValidationError({"token": [_("Another account uses this address now.")]}) from exc
    return user


@mail.builder("accounts.email_changed")
def _build_email_changed(user_id: int, old: str, new: str):
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    return mail.render(old, "email_changed", locale=user.locale,
                       subject=_l("Your EventHub address was changed"), user=user, new_email=new,
                       login_url=external_url("accounts.login"))


def request_email_change(user: User, new_email: str, password: str) -> None:
    """E-mails a link to the new address; the account keeps its address until that link is opened.
    Answers the same whether or not the new address has an account (its owner is told instead)."""
    errors = FieldErrors()
    new_email = errors.clean(clean_email, new_email)
    if not verify_password(user.password_hash, password or ""):
        errors.add("password", _("The current password is not right."))
    if new_email and new_email == user.email:
        errors.add("email", _("This is already your address."))
    errors.raise_if_any()
    existing = find_user_by_email(new_email)
    if existing is not None:
        if existing.active:
            mail.queue("accounts.address_in_use", to=existing.email, user_id=existing.id)
            db.session.commit()
        return
    send_verification(user, new_email)


def end_sessions(user: User) -> None:
    """Signs the account out everywhere: every session id and remember cookie holds the generation."""
    db.session.execute(db.update(User).where(User.id == user.id)
                       .values(session_generation=User.session_generation + 1))
    db.session.commit()


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
    # password changes, and the token reveals nothing of the hash. The address it is mailed to is part
    # of it too: using the link proves that address (reset_password), so a link sent to an address the
    # account has since left must not work – whoever reads the old mailbox is not the account's owner.
    return _reset_serializer().dumps({"uid": user.id, "h": user.password_key, "e": user.email})


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
    uid = data.get("uid") if isinstance(data, dict) else None
    user = db.session.get(User, uid) if isinstance(uid, int) and 0 < uid <= MAX_ID else None
    if user is None or user.password_key != data.get("h"):
        raise ValidationError({"token": [_("This link has already been used.")]})
    if user.email != data.get("e"):
        raise ValidationError({"token": [_("This link is no longer valid.")]})
    return user


def reset_password(token: str, new_password: str, *, now: datetime | None = None) -> User:
    """A new password from the e-mailed link. The link reached the account's address and was opened
    there, which proves the address as the confirmation link would."""
    user = user_for_reset_token(token)
    _check_password_strength(new_password)
    new_hash = hash_password(new_password)  # before the lock: hashing is the slow part
    # Row lock (PostgreSQL), then the link read again: a reset or a change of address committed meanwhile
    # makes it fail here rather than prove an address the account no longer has.
    db.session.execute(db.select(User.id).where(User.id == user.id).with_for_update())
    db.session.refresh(user)
    user = user_for_reset_token(token)
    user.password_hash = new_hash
    _revoke_all_tokens(user)
    record("user.password_reset", user, actor=user)
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()
        record("user.email_verified", user, actor=user)
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
    # The person is the entry's object (by number), never their address: erasure must not keep it.
    record("event_role.granted", user, actor=actor, event=event, changes={"role": role})
    db.session.commit()
    return grant


def revoke_event_role(grant: EventRole, event, *, actor: User | None = None) -> None:
    record("event_role.revoked", grant.user, actor=actor, event=event, changes={"role": grant.role.value})
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
    """Everything EventHub keeps about an account, as plain JSON-ready data: each feature's section."""
    return hooks.export_personal_data(user)


def erase_user(user: User, password: str, *, now: datetime | None = None) -> None:
    """Erases an account's personal data for good, in every feature at once; the audit log keeps only
    its number."""
    if not verify_password(user.password_hash, password or ""):
        raise ValidationError({"password": [_("The current password is not right.")]})
    record("user.erased", user, actor=user)
    hooks.forget_personal_data(user)  # the outbox, contests, booths, meetings, certificates, the account
    db.session.commit()
