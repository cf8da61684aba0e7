"""The words of certificates: kinds, titles, statuses (translated when shown or printed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "participation": _l("Participation"),
    "award": _l("Award"),
    "judge": _l("Judge"),
    "speaker": _l("Speaker"),
}
# The title printed on a certificate (an award's title is its prize and contest instead).
KIND_TITLES = {
    "participation": _l("Certificate of participation"),
    "award": _l("Certificate of achievement"),
    "judge": _l("Certificate of appreciation: judge"),
    "speaker": _l("Certificate of appreciation: speaker"),
}
STATUS_LABELS = {
    "valid": _l("Valid"),
    "revoked": _l("Revoked"),
}
LOCALE_LABELS = {"vi": "Tiếng Việt", "en": "English"}
