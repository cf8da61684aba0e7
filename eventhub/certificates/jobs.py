"""Bulk certificates as jobs: issue and print (one PDF per person kept, one print file), and e-mail
each holder a link to theirs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from .. import documents_pool, mail, storage
from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db
from ..jobs import JobContext, task
from ..jobs.labels import JOB_LABELS
from ..jobs.models import Job
from ..printing import PdfAppender
from ..urls import external_url
from . import isolation, rendering, sandbox, services
from .holders import holders_for
from .labels import KIND_LABELS
from .models import Certificate, CertificateKind, CertificateStatus
from .templates import NotPrintable, layout_for, refusal_text, render_limits

CHUNK_SIZE = 100  # certificates per WeasyPrint document at most: memory stays bounded
MIN_CHUNK = 20
# What a chunk costs besides its certificates – the child (fork, the layout's stylesheet parsed
# afresh) and the document (its images encoded, its fonts subset once each): 0.15-0.2 s of CPU, as
# much as about six certificates (27 ms each).
CHILD_COST = 6


def chunk_size(total: int, processes: int) -> int:
    """Chunks small enough that every process gets several and all end together (the last round is
    not one alone), large enough that a child's fixed cost stays small (documents_pool.chunk_size)."""
    return documents_pool.chunk_size(
        total, processes, largest=CHUNK_SIZE, smallest=MIN_CHUNK, fixed=CHILD_COST
    )


JOB_LABELS["certificates"] = _l("Certificates")
JOB_LABELS["certificates_mail"] = _l("E-mail certificates")


def _render_chunks(layout: rendering.Layout, chunks: list[list[dict]]):
    """The chunks rendered in order, each in a child process with limits (isolation.py: a template is
    an organizer's code); with DOCUMENT_PROCESSES > 1 that many children at once. A chunk the template
    cannot print stops the job with the reason (NotPrintable), and this worker carries on."""
    limits = render_limits()
    processes = min(current_app.config.get("DOCUMENT_PROCESSES", 1), len(chunks))

    def render(chunk: list[dict]) -> rendering.Rendered:
        return isolation.render_batch(layout, chunk, limits=limits)

    try:
        if processes <= 1:
            yield from (render(chunk) for chunk in chunks)
            return
        # Threads only wait: each chunk is rendered by a child forked from the renderer's forkserver.
        with ThreadPoolExecutor(processes, thread_name_prefix="eventhub-certificates") as pool:
            yield from pool.map(render, chunks)
    except sandbox.TemplateRefused as exc:
        raise NotPrintable(refusal_text(exc)) from exc


@task("certificates")
def certificates_job(
    ctx: JobContext,
    event_id: int,
    certificate_kind: str,
    registration_ids: list[int] | None = None,
    actor_id: int | None = None,
    session_id: int | None = None,
) -> None:
    """Issues the certificates of `kind` (idempotent: the same serial for the same person; with
    `session_id`, of that session's participants), keeps one PDF per person, and saves the print file
    of the valid ones."""
    kind = certificate_kind
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError("the event no longer exists")
    if actor_id is None:
        actor_id = db.session.scalar(db.select(Job.created_by_id).where(Job.id == ctx.job_id))
    holders = holders_for(event, kind, registration_ids, session_id)
    ctx.set_total(len(holders))
    if not holders:
        return
    layout = layout_for(event, kind)
    certificates = services.ensure_certificates(event, kind, holders, actor_id=actor_id, locale=layout.locale)
    printable = [c for c in certificates if c.status == CertificateStatus.valid]
    ctx.advance(len(certificates) - len(printable))  # revoked ones are not printed again
    if not printable:
        return
    links = services.VerifyLinks()
    data = [services.certificate_data(c, event, links(c.serial), layout.locale) for c in printable]
    size = chunk_size(len(data), current_app.config.get("DOCUMENT_PROCESSES", 1))
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    merged = PdfAppender()
    done = 0
    for index, (chunk, rendered) in enumerate(zip(chunks, _render_chunks(layout, chunks), strict=True)):
        merged.append(rendered.pdf)
        # Each person's PDF is kept as a page of its batch, and becomes a file of its own when first
        # downloaded (services.certificate_pdf): splitting every page at once would cost as much again
        # as rendering it.
        batch = storage.put(f"certificates/{event.id}/batches/{ctx.job_id}-{index}.pdf", rendered.pdf)
        db.session.execute(
            update(Certificate),
            [
                {"id": cert.id, "file_key": f"{batch}#{page}" if rendered.one_page_each else None}
                for page, cert in enumerate(printable[done : done + len(chunk)])
            ],
        )
        done += len(chunk)
        ctx.advance(len(chunk))  # commits the file keys with the progress
    name = f"{kind}-session-{session_id}" if session_id is not None else kind
    ctx.save_result(merged.getvalue(), f"certificates-{event.slug}-{name}.pdf", "application/pdf")


# --- e-mail -------------------------------------------------------------------------------------


def mail_query(event: Event, kind: str | None = None, *, again: bool = False):
    stmt = db.select(Certificate).where(
        Certificate.event_id == event.id,
        Certificate.status == CertificateStatus.valid,
        Certificate.holder_email != "",
    )
    if kind:
        stmt = stmt.where(Certificate.kind == CertificateKind(kind))
    if not again:
        stmt = stmt.where(Certificate.emailed_at.is_(None))
    return stmt.order_by(Certificate.id)


@task("certificates_mail")
def certificates_mail_job(
    ctx: JobContext, event_id: int, certificate_kind: str | None = None, again: bool = False
) -> None:
    """E-mails every holder (with an address) the link to their certificate; once, unless `again`."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError("the event no longer exists")
    certificates = list(db.session.scalars(mail_query(event, certificate_kind, again=again)))
    ctx.set_total(len(certificates))
    for start in range(0, len(certificates), 200):
        batch = certificates[start : start + 200]
        now = utcnow()
        for cert in batch:
            mail.queue("certificate.issued", to=cert.holder_email, certificate_id=cert.id)
            cert.emailed_at = now
        db.session.commit()  # the e-mails and their marks together; delivered after the commit
        ctx.advance(len(batch))


@mail.builder("certificate.issued")
def _build_issued(certificate_id: int):
    cert = db.session.get(Certificate, certificate_id)
    if cert is None or cert.status != CertificateStatus.valid or not cert.holder_email:
        return None
    download = external_url(
        "certificates_public.download", serial=cert.serial, t=services.download_token(cert)
    )
    verify = external_url("certificates_public.verify", serial=cert.serial)

    class Subject:
        def __str__(self):
            return _("Your certificate: %(event)s", event=cert.event.name)

    return mail.render(
        cert.holder_email,
        "certificate_issued",
        locale=cert.locale,
        subject=Subject(),
        cert=cert,
        event=cert.event,
        download_url=download,
        verify_url=verify,
        kind_labels=KIND_LABELS,
    )
