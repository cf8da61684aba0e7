"""Certificate templates and the images they use: defaults, saving (checked), previews, uploads."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from .. import storage
from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import EventHubError, ValidationError
from ..events.models import Event
from ..extensions import db
from ..i18n import format_date, format_date_range, format_long_date
from . import isolation, rendering, sandbox
from .labels import KIND_LABELS, KIND_TITLES
from .models import LOCALES, SIGNER_MAX, AssetKind, CertificateAsset, CertificateKind, CertificateTemplate

DEFAULTS = Path(__file__).resolve().parent.parent.parent / "templates" / "certificates" / "default"
MAX_IMAGE_BYTES = 5 * 2**20
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
MAX_SIGNATURES = 4
SAMPLE_SERIAL = "7KQ4-MZ2H-XR9D"
_ASSET_NAME = re.compile(r"[^a-z0-9._-]+")


@dataclass
class Draft:
    """A template as typed in the editor (not saved yet)."""

    html: str
    css: str = ""
    locale: str = "vi"
    background_asset_id: int | None = None
    signature_asset_ids: list[int] = field(default_factory=list)
    signer_name: str = ""
    signer_title: str = ""


def default_draft(kind: str, locale: str = "vi") -> Draft:
    locale = locale if locale in LOCALES else "vi"
    return Draft(
        html=(DEFAULTS / f"certificate.{locale}.html").read_text(encoding="utf-8"),
        css=(DEFAULTS / "certificate.css").read_text(encoding="utf-8"),
        locale=locale,
    )


def template_of(event: Event, kind: str) -> CertificateTemplate | None:
    return db.session.scalar(
        db.select(CertificateTemplate).filter_by(event_id=event.id, kind=CertificateKind(kind))
    )


def signer_of(event: Event) -> tuple[str, str]:
    """(name, title) of who signs for the event's organizers: from its participation certificate's
    template, else from any of its templates that names one; ("", "") when none does."""
    saved = db.session.scalars(
        db.select(CertificateTemplate).filter_by(event_id=event.id).order_by(CertificateTemplate.id)
    ).all()
    saved.sort(key=lambda t: t.kind != CertificateKind.participation)
    for template in saved:
        if template.signer_name or template.signer_title:
            return template.signer_name or "", template.signer_title or ""
    return "", ""


def draft_of(event: Event, kind: str) -> Draft:
    saved = template_of(event, kind)
    if saved is None:
        return default_draft(kind)
    return Draft(
        saved.html, saved.css, saved.locale, saved.background_asset_id, list(saved.signature_asset_ids or []),
        saved.signer_name or "", saved.signer_title or "",
    )


def assets_of(event: Event) -> list[CertificateAsset]:
    return list(
        db.session.scalars(
            db.select(CertificateAsset)
            .filter_by(event_id=event.id)
            .order_by(CertificateAsset.kind, CertificateAsset.name)
        )
    )


def layout_from(event: Event, draft: Draft) -> rendering.Layout:
    """The printable layout of a draft: the template and the bytes of this event's images."""
    assets = assets_of(event)
    by_id = {a.id: a for a in assets}
    loaded = tuple(
        rendering.Asset(a.name, a.mimetype, storage.get(a.storage_key))
        for a in assets
        if storage.exists(a.storage_key)
    )
    background = by_id.get(draft.background_asset_id)
    signatures = tuple(by_id[i].name for i in draft.signature_asset_ids if i in by_id)
    return rendering.Layout(
        html=draft.html,
        css=draft.css,
        locale=draft.locale,
        assets=loaded,
        background=background.name if background else None,
        signatures=signatures,
        signer_name=draft.signer_name,
        signer_title=draft.signer_title,
    )


def layout_for(event: Event, kind: str) -> rendering.Layout:
    return layout_from(event, draft_of(event, kind))


def sample_data(event: Event, kind: str, locale: str) -> dict:
    """Sample placeholders for the preview: a made-up holder, this event's real name and dates."""
    with force_locale(locale):
        details = {
            "award": _("First prize"),
            "award_level": "first",
            "contest": _("Startup pitch contest"),
            "entry": _("Smart irrigation for Mekong Delta farms"),
            "sessions": [_("Smart city workshop")],
            "session": "",  # a certificate of the whole event; worst_case_data fills it
            "contests": [_("Startup pitch contest")],
        }
        title = f"{details['award']} – {details['contest']}" if kind == "award" else str(KIND_TITLES[kind])
        return {
            "holder_name": "Nguyễn Thị Quý Trúc",
            "event_name": event.name,
            "event_dates": format_date_range(event.starts_at, event.ends_at, event.tz),
            "event_venue": event.venue or "",
            "date": format_date(utcnow(), event.tz),
            "long_date": format_long_date(utcnow(), event.tz, locale),
            "title": title,
            "kind": kind,
            "kind_label": str(KIND_LABELS[kind]),
            "serial": SAMPLE_SERIAL,
            "verify_url": f"https://eventhub.example/verify/{SAMPLE_SERIAL}",
            **details,
        }


# The longest values the placeholders can hold (the columns' lengths), for the save check: a template
# that behaves for the sample holder must not explode for a real one.
_LONG_NAME = "Tôn Nữ Hoàng Bảo Ngọc Khuê Các Phương Thảo Nguyễn Thị Quỳnh Hương Trần Lê Phạm Võ Đặng Bùi "
WORST_CASE_SESSIONS, WORST_CASE_CONTESTS = 20, 10


def _longest(text: str, length: int) -> str:
    return (text * (length // len(text) + 1))[:length].strip()


def worst_case_data(event: Event, kind: str, locale: str) -> dict:
    """The sample with every placeholder at its longest: 200-character names, 300-character titles,
    twenty sessions and ten contests."""
    data = sample_data(event, kind, locale)
    title = _longest("Giải Nhất Cuộc thi Khởi nghiệp Đổi mới Sáng tạo Thành phố Hồ Chí Minh ", 300)
    data.update(
        holder_name=_longest(_LONG_NAME, 200),
        title=title,
        award=_longest("Giải Khuyến khích đặc biệt của Ban Giám khảo ", 100),
        contest=_longest("Cuộc thi Ý tưởng Khởi nghiệp Sáng tạo Thanh niên ", 200),
        entry=title,
        sessions=[_longest(f"Hội thảo {n}: Chuyển đổi số và Trí tuệ nhân tạo ", 300) for n in range(20)],
        session=_longest("Hội thảo: Chuyển đổi số và Trí tuệ nhân tạo ", 300),
        contests=[_longest(f"Cuộc thi {n}: Đổi mới Sáng tạo ", 200) for n in range(10)],
    )
    return data


class NotPrintable(EventHubError):
    """A certificate that its event's template cannot render (for this holder's data)."""

    status = 409
    code = "not_printable"
    default_message = _l("This certificate cannot be printed with its event's template.")


def render_limits() -> isolation.Limits:
    return isolation.limits_from(current_app.config)


def refusal_text(exc: sandbox.TemplateRefused) -> str:
    """Why certificates could not be printed, in the reader's language (a job's error, a 409)."""
    return _(
        "The certificate template cannot print this: %(problems)s",
        problems=" ".join(problem_text(p) for p in exc.problems),
    )


def render_pdf(layout: rendering.Layout, data: dict) -> bytes:
    """One certificate, rendered in a child process within the configured limits; NotPrintable when
    the template fails for this holder."""
    try:
        return isolation.render_batch(layout, [data], limits=render_limits()).pdf
    except sandbox.TemplateRefused as exc:
        raise NotPrintable(refusal_text(exc)) from exc


@dataclass
class Preview:
    pdf: bytes | None
    problems: list[sandbox.Problem]


def preview(event: Event, kind: str, draft: Draft) -> Preview:
    """The draft rendered with sample data, or what is wrong with it (lines, placeholders, URLs refused,
    limits reached with the sample or with the longest values). Rendered in a child process."""
    _check_draft_fields(event, draft)
    layout = layout_from(event, draft)
    try:
        checked = isolation.check_draft(
            layout,
            sample_data(event, kind, draft.locale),
            worst_case_data(event, kind, draft.locale),
            limits=render_limits(),
        )
    except sandbox.TemplateRefused as exc:
        return Preview(None, exc.problems)
    rendered = checked.rendered
    problems = [
        sandbox.Problem(_("Not allowed in a certificate, left out: %(url)s", url=url))
        for url in dict.fromkeys(rendered.refused)
    ]
    if not rendered.one_page_each:
        problems.append(sandbox.Problem(_("The certificate must fit on one A4 landscape page.")))
    if "qr" not in checked.placeholders:
        problems.append(sandbox.Problem(_("The certificate must show its QR code: {{ qr }}.")))
    if SAMPLE_SERIAL not in checked.first_page_text:
        problems.append(sandbox.Problem(_("The serial must be printed where it can be read: {{ serial }}.")))
    problems.extend(replace(p, worst_case=True, holder=None) for p in checked.worst_case)
    return Preview(rendered.pdf, problems)


def _check_draft_fields(event: Event, draft: Draft) -> None:
    errors: dict[str, list[str]] = {}
    if draft.locale not in LOCALES:
        errors["locale"] = [_("Choose Vietnamese or English.")]
    ids = {a.id: a for a in assets_of(event)}
    if draft.background_asset_id is not None and draft.background_asset_id not in ids:
        errors["background_asset_id"] = [_("This image is not one of this event's.")]
    if any(i not in ids for i in draft.signature_asset_ids):
        errors["signature_asset_ids"] = [_("This image is not one of this event's.")]
    if len(draft.signature_asset_ids) > MAX_SIGNATURES:
        errors["signature_asset_ids"] = [_("At most %(n)d signatures.", n=MAX_SIGNATURES)]
    for name in ("signer_name", "signer_title"):
        value = getattr(draft, name) or ""
        if len(value) > SIGNER_MAX:
            errors[name] = [_("At most %(n)d characters.", n=SIGNER_MAX)]
        elif any(ord(c) < 32 for c in value):
            errors[name] = [_("Write it on one line.")]
    for name in ("html", "css"):
        if len(getattr(draft, name) or "") > sandbox.MAX_TEMPLATE_CHARS or "\x00" in (
            getattr(draft, name) or ""
        ):
            errors[name] = [_("This is too long.")]
    if errors:
        raise ValidationError(errors)


def _limit_text(problem: sandbox.Problem) -> str | None:
    """A limit the template reached, said in the reader's language."""
    limits = render_limits()
    texts = {
        sandbox.TOO_LONG: lambda: _(
            "A text made by the template would be longer than %(n)s characters.", n=sandbox.MAX_STRING
        ),
        sandbox.TOO_MANY_TURNS: lambda: _(
            "The template's loops would turn more than %(n)s times.", n=sandbox.MAX_ITERATIONS
        ),
        sandbox.TOO_MUCH_OUTPUT: lambda: _(
            "The certificate would be longer than %(n)s characters of HTML.", n=sandbox.MAX_OUTPUT_CHARS
        ),
        sandbox.FORMATTING: lambda: _(
            "String formatting (.format or the percent operator) is not allowed: write each placeholder "
            "where it goes."
        ),
        sandbox.TOO_MANY_ELEMENTS: lambda: _(
            "The certificate would have more than %(n)s HTML elements.", n=rendering.MAX_ELEMENTS
        ),
        sandbox.TOO_DEEP: lambda: _(
            "HTML elements are nested more than %(n)s deep.", n=rendering.MAX_DEPTH
        ),
        isolation.TIME: lambda: _(
            "Rendering took longer than its time limit and was stopped: simplify the template."
        ),
        isolation.MEMORY: lambda: _(
            "Rendering needed more than %(n)s MB of memory and was stopped.", n=limits.memory_mb
        ),
        isolation.CRASHED: lambda: _("The renderer stopped unexpectedly: simplify the template."),
        isolation.SLOW: lambda: _(
            "One certificate takes more than %(n)s s to render: simplify the template.",
            n=f"{limits.per_certificate:g}",
        ),
    }
    text = texts.get(problem.kind)
    return text() if text else None


def problem_text(problem: sandbox.Problem) -> str:
    """A problem as organizers read it, in their language, with its line (and whose data, or that it
    happens with the longest values)."""
    text = _problem_text(problem)
    if problem.worst_case:
        return _("With the longest names and titles: %(text)s", text=text)
    if problem.holder:
        return _("Certificate of %(name)s: %(text)s", name=problem.holder, text=text)
    return text


def refused_text(detail: str) -> str:
    """What the sandbox refused, in the organizer's language: the sandbox names it in English (its logs
    and tests read those words). Jinja's own refusals: the attribute it names, else "this operation"."""
    fixed = {
        "recursive loops": lambda: _("recursive loops ({% for … recursive %})"),
        "macros": lambda: _("macros ({% macro %}, {% call %})"),
        "blocks": lambda: _("blocks ({% block %})"),
        "capturing output ({% set %}…{% endset %}, {% filter %})": lambda: _(
            "capturing output ({% set %}…{% endset %}, {% filter %})"),
        "expressions nested this deep": lambda: _("expressions nested this deep"),
        "elements nested this deep": lambda: _("HTML elements nested this deep"),
        "the exponent is too large": lambda: _("an exponent this large"),
        "the number would be too large": lambda: _("a number this large"),
        "the result would be too large": lambda: _("a result this large"),
        "sum adds numbers only": lambda: _("sum of something other than numbers"),
        f"numbers above {sandbox.MAX_NUMBER} are not allowed here": lambda: _(
            "numbers above %(n)s", n=sandbox.MAX_NUMBER),
        f"a range may hold at most {sandbox.MAX_RANGE} numbers": lambda: _(
            "a range of more than %(n)s numbers", n=sandbox.MAX_RANGE),
        f"loops nested more than {sandbox.MAX_LOOP_DEPTH} deep": lambda: _(
            "loops nested more than %(n)s deep", n=sandbox.MAX_LOOP_DEPTH),
    }
    text = fixed.get(detail)
    if text:
        return text()
    attribute = _ATTRIBUTE.match(detail)  # Jinja's own: {{ name.__class__ }}
    if attribute:
        return _("reading %(name)s of a value", name=attribute.group(1))
    return _("this operation")


_ATTRIBUTE = re.compile(r"access to attribute '([^']{1,60})' of")
_INNERMOST = re.compile(r"innermost block that needs to be closed is '(\w{1,20})'")
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(\w{1,40})'")
_NO_FILTER = re.compile(r"No (filter|test) named '([\w.]{1,40})'")


def syntax_text(message: str) -> str:
    """Jinja's syntax errors (English, in Jinja's terms) said in plain words, in the reader's language;
    anything not recognized as the generic "unclosed braces or an invalid instruction"."""
    message = message or ""
    block = _INNERMOST.search(message)
    if block:
        return _("The {%% %(tag)s %%} block is not closed with {%% end%(tag)s %%}.", tag=block.group(1))
    if "end of print statement" in message or message.startswith("unexpected '}'"):
        return _("A closing }} is missing.")
    if "end of statement block" in message:
        return _("A closing %} is missing.")
    tag = _UNKNOWN_TAG.search(message)
    if tag:
        return _("There is no instruction {%% %(tag)s %%}.", tag=tag.group(1))
    named = _NO_FILTER.search(message)
    if named:
        if named.group(1) == "filter":
            return _("The filter %(name)s cannot be used here.", name=named.group(2))
        return _("The test %(name)s cannot be used here.", name=named.group(2))
    return _("Unclosed braces or an invalid instruction.")




def _problem_text(problem: sandbox.Problem) -> str:
    limit = _limit_text(problem) if problem.kind else None
    if limit:
        return _("Line %(line)d: %(text)s", line=problem.line, text=limit) if problem.line else limit
    if problem.placeholder:
        text = _("Unknown placeholder: %(name)s", name=problem.placeholder)
    elif problem.message == sandbox.NO_INCLUDES:
        text = _("Templates may not include, import or extend other templates.")
    elif problem.message.startswith(sandbox.NOT_ALLOWED):
        detail = refused_text(problem.message[len(sandbox.NOT_ALLOWED) :])
        text = _("Not allowed in a certificate: %(detail)s", detail=detail)
    elif problem.syntax:
        text = syntax_text(problem.message)
    else:
        text = problem.message
    return _("Line %(line)d: %(text)s", line=problem.line, text=text) if problem.line else text


def save_template(event: Event, kind: str, draft: Draft, *, actor=None) -> CertificateTemplate:
    """Saves the event's template of `kind` after it renders cleanly with sample data: a syntax
    error, an unknown placeholder or a refused URL never reaches issued PDFs. Commits."""
    kind = CertificateKind(kind)
    result = preview(event, kind.value, draft)
    if result.problems or result.pdf is None:
        raise ValidationError({"html": [problem_text(p) for p in result.problems]})
    saved = template_of(event, kind.value)
    if saved is None:
        saved = CertificateTemplate(event_id=event.id, kind=kind)
        db.session.add(saved)
    saved.html, saved.css, saved.locale = draft.html, draft.css, draft.locale
    saved.background_asset_id = draft.background_asset_id
    saved.signature_asset_ids = list(draft.signature_asset_ids)
    saved.signer_name, saved.signer_title = draft.signer_name, draft.signer_title
    saved.updated_by_id = getattr(actor, "id", None)
    saved.updated_at = utcnow()
    db.session.flush()
    record("certificate_template.saved", saved, actor=actor, event=event, changes={"kind": kind.value})
    db.session.commit()
    return saved


def reset_template(event: Event, kind: str, *, actor=None) -> None:
    """Back to the project's default layout for this kind. Commits."""
    saved = template_of(event, kind)
    if saved is not None:
        db.session.delete(saved)
        record(
            "certificate_template.reset",
            event,
            actor=actor,
            event=event,
            object_type="event",
            changes={"kind": kind},
        )
        db.session.commit()


# --- images -------------------------------------------------------------------------------------


def set_signer(event: Event, name: str, title: str, *, actor=None) -> int:
    """Who signs every kind of the event's certificates for the organizers (its name and title); a kind
    still printed with the project's default layout gets that layout saved as its own to hold them.
    Returns how many templates changed (0 when they all name this signer already). Commits."""
    name, title = (name or "").strip(), (title or "").strip()
    changed = 0
    for kind in CertificateKind:
        saved = template_of(event, kind.value)
        if saved is not None and (saved.signer_name, saved.signer_title) == (name, title):
            continue
        draft = replace(draft_of(event, kind.value), signer_name=name, signer_title=title)
        _check_draft_fields(event, draft)
        if saved is None:
            saved = CertificateTemplate(event_id=event.id, kind=kind, html=draft.html, css=draft.css,
                                        locale=draft.locale, signature_asset_ids=[])
            db.session.add(saved)
        saved.signer_name, saved.signer_title = name, title
        saved.updated_by_id = getattr(actor, "id", None)
        saved.updated_at = utcnow()
        db.session.flush()
        record("certificate_template.saved", saved, actor=actor, event=event, changes={"kind": kind.value})
        changed += 1
    db.session.commit()
    return changed


def check_image(data: bytes) -> tuple[str, int, int]:
    """(mimetype, width, height) of a real image, judged by its content; ValidationError otherwise."""
    refused = ValidationError({"file": [_("This file is not an image (PNG, JPEG, GIF or WebP).")]})
    if not data:
        raise refused
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError({"file": [_("The image is larger than 5 MB.")]})
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in IMAGE_FORMATS or width * height > MAX_IMAGE_PIXELS:
                raise refused
            image.verify()  # reads the whole file: a truncated or forged one fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise refused from exc
    return IMAGE_FORMATS[kind], width, height


def asset_name(filename: str, existing: set[str]) -> str:
    stem, _dot, suffix = (filename or "image").lower().rpartition(".")
    base = _ASSET_NAME.sub("-", stem or suffix).strip("-.")[:60] or "image"
    name, n = base, 2
    while name in existing:
        name, n = f"{base}-{n}", n + 1
    return name


def upload_asset(
    event: Event, data: bytes, filename: str, kind: str = "image", *, actor=None, now: datetime | None = None
) -> CertificateAsset:
    """Keeps an uploaded image (checked by its content) for the event's certificates. Commits."""
    try:
        asset_kind = AssetKind(kind)
    except ValueError:
        raise ValidationError({"kind": [_("Choose background, signature or image.")]}) from None
    mimetype, width, height = check_image(data)
    name = asset_name(filename, {a.name for a in assets_of(event)})
    asset = CertificateAsset(
        event_id=event.id,
        name=name,
        kind=asset_kind,
        mimetype=mimetype,
        size=len(data),
        width=width,
        height=height,
        storage_key="",
        created_by_id=getattr(actor, "id", None),
        created_at=now or utcnow(),
    )
    db.session.add(asset)
    db.session.flush()
    asset.storage_key = storage.put(f"certificates/{event.id}/assets/{asset.id}-{name}", data)
    record("certificate_asset.uploaded", asset, actor=actor, event=event, changes={"name": name})
    db.session.commit()
    return asset
