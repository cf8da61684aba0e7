"""How the audit log reads certificates' entries: issued, revoked, layouts, images (issue 16).

A certificate is named by its holder's name now (an erased holder says so) and its serial."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import Words, ids_of, labelled, load_names, load_rows, person
from ..extensions import db
from .labels import KIND_LABELS
from .models import Certificate, CertificateAsset


def _load(entries, context) -> None:
    certificates = ids_of(entries, object_type="certificate")
    if certificates:
        load_rows(context, "certificate", db.select(Certificate.id, Certificate.holder_name)
                  .where(Certificate.id.in_(certificates)), lambda row: person(row[1]))
    load_names(context, "asset", CertificateAsset.name, ids_of(entries, object_type="certificateasset"))


def _name(entry, context) -> str:
    if entry.object_type == "certificate":
        return context.name("certificate", entry.object_id)
    if entry.object_type == "certificateasset":
        return context.name("asset", entry.object_id, (entry.changes or {}).get("name"))
    return ""


# A kind as the word before "certificates" in a sentence: "issued speaker certificates" / "cấp giấy
# chứng nhận diễn giả".
KIND_WORDS = {
    "participation": _l("participation"),
    "award": _l("award"),
    "judge": _l("judge"),
    "speaker": _l("speaker"),
}


def _kind(entry, context) -> dict:
    kind = (entry.changes or {}).get("kind")
    return {"kind": str(KIND_WORDS.get(kind, kind or ""))}


def _issued(entry, context) -> dict:
    """The kind, or for a workshop's certificates the workshop: "cấp giấy chứng nhận tham dự hội thảo “…”"."""
    session = (entry.changes or {}).get("session")
    if session:
        return {"kind": _l("workshop “%(title)s” participation", title=session)}
    return _kind(entry, context)


words = Words(_l("Certificates"), name=_name, load=_load)
say = words.say
say("certificates.issued", _l("%(actor)s issued %(kind)s certificates"), params=_issued,
    hide=("kind", "session"), alone=_l("The %(kind)s certificates were issued"))
say("certificate.revoked", _l("%(actor)s revoked the certificate of %(object)s"))
say("certificate_template.saved", _l("%(actor)s changed the layout of the %(kind)s certificates"),
    params=_kind, hide=("kind",))
say("certificate_template.reset", _l("%(actor)s put back the standard layout of the %(kind)s certificates"),
    params=_kind, hide=("kind",))
say("certificate_asset.uploaded", _l("%(actor)s uploaded the image “%(object)s” for certificates"),
    hide=("name",))

words.field("count", _l("Certificates issued"))
words.field("reason", _l("Reason"))
words.field("kind", _l("Kind of certificate"), labelled(KIND_LABELS))


def plug_in(hooks) -> None:
    for prefix in ("certificates.", "certificate.", "certificate_template.", "certificate_asset."):
        hooks.add_audit_words(prefix, words)
