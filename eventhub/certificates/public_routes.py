"""Public certificate pages: verification (from the QR, on a phone), holders' downloads, and the
Open Badges documents."""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..downloads import file_response
from ..events.services import get_event
from ..extensions import db
from ..registration.models import Registration
from ..registration.tickets import read_manage_token
from . import openbadges, services
from .forms import VerifyForm
from .labels import KIND_LABELS, STATUS_LABELS
from .models import Certificate, CertificateStatus

bp = Blueprint("certificates_public", __name__)


def _not_found(form: VerifyForm, serial: str):
    """The page says which serial has no certificate, and offers the form again, filled in."""
    return render_template("certificates/verify.html", cert=None, form=form, serial=serial[:40]), 404


@bp.get("/verify")
def lookup():
    """The serial typed in (from the paper, or read out over the phone): its page, or the form again."""
    form = VerifyForm(request.args)
    if "serial" not in request.args:
        return render_template("certificates/verify.html", cert=None, form=VerifyForm(formdata=None))
    if not form.validate():
        return render_template("certificates/verify.html", cert=None, form=form), 422
    cert = services.find(form.serial.data)
    if cert is None:
        return _not_found(form, form.serial.data)
    return redirect(url_for(".verify", serial=cert.serial))


@bp.get("/verify/<serial>")
def verify(serial: str):
    cert = services.find(serial)
    if cert is None:
        return _not_found(VerifyForm(formdata=None, data={"serial": serial[:40]}), serial)
    return render_template(
        "certificates/verify.html",
        cert=cert,
        event=cert.event,
        serial=cert.serial,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
    )


def _pdf_response(cert: Certificate):
    return file_response(services.served_pdf(cert), "application/pdf", services.pdf_filename(cert))


@bp.get("/certificates/<serial>/download")
def download(serial: str):
    """The holder's own PDF, from the link e-mailed to them (signed)."""
    cert = services.find(serial)
    granted = services.read_download_token(request.args.get("t", ""))
    if cert is None or granted is None or not hmac.compare_digest(granted.encode(), cert.serial.encode()):
        abort(404)
    return _pdf_response(cert)


@bp.get("/r/<token>/certificates/<serial>.pdf")
def holder_pdf(token: str, serial: str):
    """The holder's PDF from their registration's manage link."""
    found = read_manage_token(token)
    reg = db.session.get(Registration, found[0]) if found else None
    if reg is None or not hmac.compare_digest(reg.manage_nonce.encode(), found[1].encode()):
        abort(404)
    cert = services.find(serial)
    if cert is None or cert.registration_id != reg.id:
        abort(404)
    return _pdf_response(cert)


# --- Open Badges 2.0 ----------------------------------------------------------------------------


def _json_ld(document: dict, status: int = 200):
    response = jsonify(document)
    response.status_code = status
    response.mimetype = "application/ld+json"
    response.headers["Access-Control-Allow-Origin"] = "*"  # wallets fetch these from their own sites
    return response


@bp.get("/ob/issuer.json")
def ob_issuer():
    return _json_ld(openbadges.issuer())


@bp.get("/ob/events/<slug>/<kind>.json")
def ob_badge(slug: str, kind: str):
    if kind not in KIND_LABELS:
        abort(404)
    return _json_ld(openbadges.badge_class(get_event(slug), kind))


@bp.get("/ob/assertions/<serial>.json")
def ob_assertion(serial: str):
    cert = services.find(serial)
    if cert is None:
        return _json_ld({"error": _("There is no certificate with this serial.")}, 404)
    revoked = cert.status == CertificateStatus.revoked
    return _json_ld(openbadges.assertion(cert), 410 if revoked else 200)
