"""Open Badges 2.0 (hosted verification): each certificate as an Assertion, with the BadgeClass of
its event and kind, and the Issuer – JSON-LD documents at stable public URLs, so a holder can add
the certificate to a badge wallet or a profile. https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html

The recipient's e-mail is never published: it is hashed with a salt (`sha256$…`), as the
specification allows; a wallet checks it against the address its user proves they own. A revoked
certificate's assertion answers `{"revoked": true, "revocationReason"}` (served with 410 Gone).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_babel import force_locale

from ..events.models import Event
from ..urls import external_url
from .labels import KIND_TITLES
from .models import Certificate, CertificateStatus

CONTEXT = "https://w3id.org/openbadges/v2"
ISSUER_NAME = "EventHub – Khởi nghiệp Đổi mới sáng tạo TP.HCM"


def _salt(cert: Certificate) -> str:
    """Stable per certificate, and not guessable from the serial alone."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"openbadges-salt:{cert.serial}".encode(), hashlib.sha256).hexdigest()[:16]


def hashed_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def issuer() -> dict:
    config = current_app.config
    found = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": external_url("certificates_public.ob_issuer"),
        "name": config.get("CERTIFICATE_ISSUER_NAME", ISSUER_NAME),
        "url": config["BASE_URL"],
    }
    sender = config.get("MAIL_DEFAULT_SENDER")
    if isinstance(sender, str) and "@" in sender:
        found["email"] = sender.rpartition("<")[2].rstrip(">").strip()
    return found


def badge_class(event: Event, kind: str, locale: str = "vi") -> dict:
    with force_locale(locale):
        title = str(KIND_TITLES[kind])
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": external_url("certificates_public.ob_badge", slug=event.slug, kind=kind),
        "name": f"{title} – {event.name}",
        "description": f"{title}: {event.name}",
        "image": external_url("static", filename="img/certificates/badge.png"),
        "criteria": {"narrative": f"{title} – {event.name}"},
        "issuer": external_url("certificates_public.ob_issuer"),
        "tags": [kind],
    }


def assertion(cert: Certificate) -> dict:
    url = external_url("certificates_public.ob_assertion", serial=cert.serial)
    if cert.status == CertificateStatus.revoked:
        return {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": url,
            "revoked": True,
            "revocationReason": cert.revoke_reason or "",
        }
    salt = _salt(cert)
    if cert.holder_email:
        recipient = {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": hashed_identity(cert.holder_email, salt),
        }
    else:
        recipient = {
            "type": "url",
            "hashed": False,
            "identity": external_url("certificates_public.verify", serial=cert.serial),
        }
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": recipient,
        "badge": external_url("certificates_public.ob_badge", slug=cert.event.slug, kind=cert.kind.value),
        "verification": {"type": "HostedBadge"},
        "issuedOn": cert.issued_at.isoformat(),
        "evidence": external_url("certificates_public.verify", serial=cert.serial),
        "narrative": cert.title,
    }
