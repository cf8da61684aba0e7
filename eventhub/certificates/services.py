"""Certificates: issuing (one serial per person, event and kind, whatever the race), revoking,
the data printed on them, and their PDFs. Each service commits once."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .. import storage
from ..accounts.models import User
from ..audit.services import record
from ..contests.recipients import award_label
from ..dbtypes import utcnow
from ..errors import NotFound, ValidationError
from ..events.models import Event
from ..extensions import db
from ..i18n import format_date, format_date_range, format_long_date
from ..urls import external_url
from ..vietnamese import normalize_text
from . import rendering, revoked
from .holders import Holder
from .labels import KIND_LABELS, KIND_TITLES
from .models import Certificate, CertificateKind, CertificateStatus
from .serials import new_serial, normalize_serial
from .templates import layout_for, render_pdf

MAX_REASON = 500


# --- finding ------------------------------------------------------------------------------------


def find(serial: str | None) -> Certificate | None:
    """The certificate with this serial (typed in any case, with or without hyphens), or None."""
    canonical = normalize_serial(serial)
    if canonical is None:
        return None
    return db.session.scalar(db.select(Certificate).where(Certificate.serial == canonical))


def get(serial: str | None) -> Certificate:
    found = find(serial)
    if found is None:
        raise NotFound(_("There is no certificate with this serial."), code="certificate_not_found")
    return found


def for_event(event: Event, *, kind: str | None = None, status: str | None = None,
              session_id: int | None = None):
    """A select of the event's certificates (for paging), newest last, by holder name; `session_id`: those
    issued for that workshop (their holder key starts with "session:<id>:", see holders)."""
    stmt = db.select(Certificate).where(Certificate.event_id == event.id)
    if session_id is not None:
        stmt = stmt.where(Certificate.holder_key.startswith(f"session:{session_id}:", autoescape=True))
    if kind:
        stmt = stmt.where(Certificate.kind == CertificateKind(kind))
    if status:
        stmt = stmt.where(Certificate.status == CertificateStatus(status))
    return stmt.order_by(Certificate.kind, Certificate.issued_at, Certificate.id)


def _issued_changes(kind: CertificateKind, issued: list[Holder]) -> dict:
    """The audit entry's changes; a workshop's certificates name the workshop (audit_words says it)."""
    changes = {"kind": kind.value, "count": len(issued)}
    session = (issued[0].details or {}).get("session") if issued else None
    if session:
        changes["session"] = session
    return changes


def for_registration(registration_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            db.select(Certificate)
            .where(Certificate.registration_id == registration_id)
            .order_by(Certificate.issued_at, Certificate.id)
        )
    )


# --- issuing ------------------------------------------------------------------------------------


def title_for(kind: str, details: dict, locale: str) -> str:
    with force_locale(locale):
        if kind == "award" and details.get("award_level"):
            return f"{award_label(details['award_level'])} – {details.get('contest', '')}".strip(" –")
        return str(KIND_TITLES[kind])


def ensure_certificates(
    event: Event,
    kind: str,
    holders: list[Holder],
    *,
    actor_id: int | None = None,
    locale: str = "vi",
    now: datetime | None = None,
) -> list[Certificate]:
    """The certificate of each holder, made if missing: one per (event, kind, holder key) even when
    two organizers issue at once – the database refuses the second row, and its holder keeps the
    first one's serial. Commits."""
    kind = CertificateKind(kind)
    keys = list(dict.fromkeys(h.holder_key for h in holders))
    by_key = {h.holder_key: h for h in holders}
    event_id, now = event.id, now or utcnow()
    for _attempt in range(10):
        existing = _existing(event_id, kind, keys)
        db.session.commit()  # end the read: on SQLite the inserts then start as a writer, and wait
        missing = [by_key[k] for k in keys if k not in existing]
        if not missing:
            return [existing[k] for k in keys]
        db.session.add_all(
            [_new(event_id, kind, h, actor_id=actor_id, locale=locale, now=now) for h in missing]
        )
        try:
            db.session.flush()
        except IntegrityError:
            # Someone issued some of them a moment ago (or a serial was taken): read theirs, retry ours.
            db.session.rollback()
            continue
        record(
            "certificates.issued",
            event,
            event=event,
            object_type="event",
            changes=_issued_changes(kind, missing),
            actor=_user(actor_id),
        )
        db.session.commit()
    raise RuntimeError("could not issue the certificates: too many concurrent changes")


def _user(user_id: int | None):
    return db.session.get(User, user_id) if user_id else None


def _existing(event_id: int, kind: CertificateKind, keys: list[str]) -> dict[str, Certificate]:
    found: dict[str, Certificate] = {}
    for start in range(0, len(keys), 500):
        found.update(
            (c.holder_key, c)
            for c in db.session.scalars(
                db.select(Certificate).where(
                    Certificate.event_id == event_id,
                    Certificate.kind == kind,
                    Certificate.holder_key.in_(keys[start : start + 500]),
                )
            )
        )
    return found


def _new(event_id: int, kind: CertificateKind, holder: Holder, *, actor_id, locale, now) -> Certificate:
    return Certificate(
        event_id=event_id,
        kind=kind,
        serial=new_serial(),
        holder_key=holder.holder_key,
        holder_name=normalize_text(holder.full_name)[:200],
        holder_email=(holder.email or "")[:254],
        registration_id=holder.registration_id,
        user_id=holder.user_id,
        details=dict(holder.details),
        locale=locale,
        title=title_for(kind.value, holder.details, locale)[:300],
        issued_at=now,
        issued_by_id=actor_id,
        status=CertificateStatus.valid,
    )


# --- revoking -----------------------------------------------------------------------------------


def clean_reason(reason) -> str:
    reason = normalize_text(reason if isinstance(reason, str) else "")
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("At most %(n)d characters.", n=MAX_REASON)]})
    if any(ord(ch) < 32 for ch in reason):
        raise ValidationError({"reason": [_("This text contains characters that are not allowed.")]})
    return reason


def revoke(cert: Certificate, reason, *, actor=None, now: datetime | None = None) -> Certificate:
    """Revokes a valid certificate with a reason; revoking a revoked one changes nothing. Commits."""
    reason = clean_reason(reason)
    changed = db.session.execute(
        update(Certificate)
        .where(Certificate.id == cert.id, Certificate.status == CertificateStatus.valid)
        .values(
            status=CertificateStatus.revoked,
            revoked_at=now or utcnow(),
            revoke_reason=reason,
            revoked_by_id=getattr(actor, "id", None),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        record("certificate.revoked", cert, actor=actor, event=cert.event, changes={"reason": reason})
    db.session.commit()
    db.session.refresh(cert)
    return cert


# --- what is printed ----------------------------------------------------------------------------


class VerifyLinks:
    """Absolute verification links, made from one template URL (external_url costs a request context)."""

    def __init__(self):
        self.pattern = external_url("certificates_public.verify", serial="SERIAL")

    def __call__(self, serial: str) -> str:
        return self.pattern.replace("SERIAL", serial)


def certificate_data(cert: Certificate, event: Event, verify_url: str, locale: str) -> dict:
    """The plain data of one certificate: what a template may see, and nothing else."""
    details = cert.details or {}
    with force_locale(locale):
        kind_label = str(KIND_LABELS[cert.kind.value])
        award = ""
        if details.get("award_level"):
            award = award_label(details["award_level"])
    return {
        "holder_name": cert.holder_name,
        "event_name": normalize_text(event.name),
        "event_dates": format_date_range(event.starts_at, event.ends_at, event.tz),
        "event_venue": normalize_text(event.venue or ""),
        "date": format_date(cert.issued_at, event.tz),
        "long_date": format_long_date(cert.issued_at, event.tz, locale),
        "title": cert.title,
        "kind": cert.kind.value,
        "kind_label": kind_label,
        "award": award,
        "award_level": details.get("award_level", ""),
        "contest": details.get("contest", ""),
        "entry": details.get("entry", ""),
        "sessions": list(details.get("sessions", [])),
        "session": details.get("session", ""),  # the workshop of a participation certificate per session
        "contests": list(details.get("contests", [])),
        "serial": cert.serial,
        "verify_url": verify_url,
    }


def file_key(cert: Certificate) -> str:
    return f"certificates/{cert.event_id}/{cert.serial}.pdf"


def certificate_pdf(cert: Certificate) -> bytes:
    """The certificate's PDF: kept as a file of its own, or cut from the batch the job printed it in
    (and then kept), or rendered now (and kept)."""
    key = cert.file_key
    if key and "#" not in key and storage.exists(key):
        return storage.get(key)
    pdf = None
    if key and "#" in key:
        batch, _hash, page = key.rpartition("#")
        if page.isdigit() and storage.exists(batch):
            pdf = rendering.page_of(storage.get(batch), int(page))
    if pdf is None:
        layout = layout_for(cert.event, cert.kind.value)
        data = certificate_data(cert, cert.event, VerifyLinks()(cert.serial), layout.locale)
        pdf = render_pdf(layout, data)  # in a child process with limits; NotPrintable if it fails
    cert.file_key = storage.put(file_key(cert), pdf)
    db.session.commit()
    return pdf


def served_pdf(cert: Certificate) -> bytes:
    """What every download of the certificate gives (holder's links, organizers, the API): its PDF,
    with "ĐÃ THU HỒI / REVOKED" across every page once revoked (revoked.py says why a stamp)."""
    pdf = certificate_pdf(cert)
    if revoked.is_revoked(cert):
        pdf = revoked.stamp(pdf, cert, VerifyLinks()(cert.serial))
    return pdf


def pdf_filename(cert: Certificate) -> str:
    suffix = "-revoked" if cert.status == CertificateStatus.revoked else ""
    return f"certificate-{cert.serial}{suffix}.pdf"


# --- holders' download links (e-mailed) ---------------------------------------------------------


def _link_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="certificate-download")


def download_token(cert: Certificate) -> str:
    return _link_serializer().dumps(cert.serial)


def read_download_token(token: str) -> str | None:
    try:
        serial = _link_serializer().loads(token or "")
    except BadSignature:
        return None
    return serial if isinstance(serial, str) else None
