"""Organizers' certificate pages: the list of an event, issuing and e-mailing as jobs, the template
editor with its live preview, images, revoking."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import jobs, storage
from ..access import get_or_404, managed_event
from ..downloads import file_response
from ..errors import ValidationError
from ..extensions import db
from ..forms import apply_errors
from . import jobs as _jobs  # noqa: F401  (registers the certificate jobs and e-mails)
from . import services, templates
from .forms import AssetForm, IssueForm, MailForm, RevokeForm, TemplateForm
from .holders import check_session, holders_for, session_counts
from .labels import KIND_LABELS, LOCALE_LABELS, STATUS_LABELS
from .models import CertificateAsset

bp = Blueprint("certificates", __name__)
PER_PAGE = 100


def _kind(kind: str) -> str:
    if kind not in KIND_LABELS:
        abort(404)
    return kind


def _certificate_of(event, serial: str):
    cert = services.find(serial)
    if cert is None or cert.event_id != event.id:
        abort(404)
    return cert


@bp.app_context_processor
def _labels():
    return {"certificate_kind_labels": KIND_LABELS, "certificate_status_labels": STATUS_LABELS}


@bp.get("/events/<slug>/certificates")
@login_required
def index(slug: str):
    event = managed_event(slug)
    return _index_page(event, IssueForm())


def _index_page(event, issue_form: IssueForm, status: int = 200):
    """The list (filtered by kind and workshop from the query string) and the issuing forms."""
    kind = request.args.get("kind") if request.args.get("kind") in KIND_LABELS else None
    page = request.args.get("page", 1, type=int)
    page = page if 1 <= page <= 100_000 else 1
    sessions = session_counts(event)
    session_id = request.args.get("session", type=int)
    session_id = session_id if session_id in {s.id for s, _n in sessions} else None
    listing = db.paginate(
        services.for_event(event, kind=kind, session_id=session_id),
        page=page, per_page=PER_PAGE, error_out=False,
    )
    counts = {k: len(holders_for(event, k)) for k in KIND_LABELS}
    issue_form.set_sessions(sessions)
    html = render_template(
        "certificates/index.html",
        event=event,
        listing=listing,
        kind=kind,
        session_filter=session_id,
        sessions=[s for s, _n in sessions],
        counts=counts,
        issue_form=issue_form,
        mail_form=MailForm(),
    )
    return html, status


@bp.post("/events/<slug>/certificates/issue")
@login_required
def issue(slug: str):
    event = managed_event(slug)
    form = IssueForm()
    if not form.validate_on_submit():
        flash(_("Choose a kind of certificate."), "danger")
        return redirect(url_for(".index", slug=slug))
    session_id = form.session()
    if session_id is not None:
        try:
            check_session(event, form.kind.data, session_id)
        except ValidationError as exc:
            # Next to the workshop menu, with the choice kept (a kind not per session says so there too).
            form.session_id.errors = [m for ms in (exc.fields or {}).values() for m in ms]
            return _index_page(event, form, 422)
    job = jobs.start(
        "certificates",
        actor=current_user,
        event=event,
        event_id=event.id,
        certificate_kind=form.kind.data,
        registration_ids=None,
        actor_id=current_user.id,
        session_id=session_id,
    )
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/events/<slug>/certificates/mail")
@login_required
def send_mail(slug: str):
    event = managed_event(slug)
    form = MailForm()
    if not form.validate_on_submit():
        abort(400)
    job = jobs.start(
        "certificates_mail",
        actor=current_user,
        event=event,
        event_id=event.id,
        certificate_kind=form.kind.data or None,
        again=bool(form.again.data),
    )
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/events/<slug>/certificates/templates/<kind>", methods=["GET", "POST"])
@login_required
def edit_template(slug: str, kind: str):
    event, kind = managed_event(slug), _kind(kind)
    assets = templates.assets_of(event)
    draft = templates.draft_of(event, kind)
    form = TemplateForm(
        data={
            "locale": draft.locale,
            "html": draft.html,
            "css": draft.css,
            "background": str(draft.background_asset_id or ""),
            "signatures": [str(i) for i in draft.signature_asset_ids],
            "signer_name": draft.signer_name,
            "signer_title": draft.signer_title,
        }
    )
    form.set_assets(assets)
    if form.validate_on_submit():
        background, signatures = form.ids()
        try:
            templates.save_template(
                event,
                kind,
                templates.Draft(
                    form.html.data, form.css.data or "", form.locale.data, background, signatures,
                    form.signer_name.data or "", form.signer_title.data or "",
                ),
                actor=current_user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("The template is saved."), "success")
            return redirect(url_for(".edit_template", slug=slug, kind=kind))
    return render_template(
        "certificates/edit_template.html",
        event=event,
        kind=kind,
        form=form,
        assets=assets,
        asset_form=AssetForm(),
        saved=templates.template_of(event, kind) is not None,
        locale_labels=LOCALE_LABELS,
    )


@bp.post("/events/<slug>/certificates/templates/<kind>/preview")
@login_required
def preview(slug: str, kind: str):
    """The draft rendered with sample data (a PDF), or its problems with their lines – in a frame."""
    event, kind = managed_event(slug), _kind(kind)
    form = TemplateForm()
    form.set_assets(templates.assets_of(event))
    if not form.validate_on_submit():
        problems = [
            f"{form[name].label.text}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()
        ]
        return _framed(render_template("certificates/preview_problems.html", problems=problems), 422)
    background, signatures = form.ids()
    draft = templates.Draft(form.html.data, form.css.data or "", form.locale.data, background, signatures,
                            form.signer_name.data or "", form.signer_title.data or "")
    try:
        result = templates.preview(event, kind, draft)
    except ValidationError as exc:
        problems = [m for messages in (exc.fields or {}).values() for m in messages]
        return _framed(render_template("certificates/preview_problems.html", problems=problems), 422)
    if result.pdf is None or result.problems:
        return _framed(
            render_template(
                "certificates/preview_problems.html",
                problems=[templates.problem_text(p) for p in result.problems],
                pdf=result.pdf is not None,
            ),
            422 if result.pdf is None else 200,
        )
    response = file_response(result.pdf, "application/pdf", f"preview-{kind}.pdf")
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(f'preview-{kind}.pdf')}"
    return _framed(response)


def _framed(response, status: int | None = None):
    """The editor shows previews in a frame of its own page: this site may frame them, nobody else."""
    response = make_response(response)
    if status:
        response.status_code = status
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    if response.mimetype == "application/pdf":  # the browser's PDF viewer needs its own resources
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    else:
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self' data:; style-src 'self'; "
            "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
        )
    return response


@bp.post("/events/<slug>/certificates/templates/<kind>/reset")
@login_required
def reset_template(slug: str, kind: str):
    event, kind = managed_event(slug), _kind(kind)
    templates.reset_template(event, kind, actor=current_user)
    flash(_("The template is back to the default."), "success")
    return redirect(url_for(".edit_template", slug=slug, kind=kind))


@bp.post("/events/<slug>/certificates/assets")
@login_required
def upload_asset(slug: str):
    event = managed_event(slug)
    form = AssetForm()
    back = request.form.get("kind_page") if request.form.get("kind_page") in KIND_LABELS else "participation"
    if form.validate_on_submit():
        try:
            asset = templates.upload_asset(
                event,
                form.file.data.read(templates.MAX_IMAGE_BYTES + 1),
                form.file.data.filename or "",
                form.kind.data,
                actor=current_user,
            )
        except ValidationError as exc:
            for messages in (exc.fields or {}).values():
                for message in messages:
                    flash(message, "danger")
        else:
            flash(
                _("The image %(name)s is uploaded: write asset:%(name)s to use it.", name=asset.name),
                "success",
            )
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(message, "danger")
    return redirect(url_for(".edit_template", slug=slug, kind=back))


@bp.get("/events/<slug>/certificates/assets/<int:asset_id>")
@login_required
def asset(slug: str, asset_id: int):
    event = managed_event(slug)
    found = get_or_404(CertificateAsset, asset_id, event=event)
    if not storage.exists(found.storage_key):
        abort(404)
    response = file_response(storage.get(found.storage_key), found.mimetype, found.name)
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/events/<slug>/certificates/<serial>.pdf")
@login_required
def pdf(slug: str, serial: str):
    event = managed_event(slug)
    cert = _certificate_of(event, serial)
    return file_response(services.served_pdf(cert), "application/pdf", services.pdf_filename(cert))


@bp.route("/events/<slug>/certificates/<serial>/revoke", methods=["GET", "POST"])
@login_required
def revoke(slug: str, serial: str):
    event = managed_event(slug)
    cert = _certificate_of(event, serial)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke(cert, form.reason.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Certificate %(serial)s is revoked.", serial=cert.serial), "success")
            return redirect(url_for(".index", slug=slug))
    return render_template("certificates/revoke.html", event=event, cert=cert, form=form)
