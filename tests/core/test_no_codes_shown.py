"""Words, not codes: the Vietnamese pages of the demo, as each kind of person reaches them by following
links from the home page, show no enumeration code (`agritech`, `standard`, `zscore`, `pending_approval`,
a raw `True` or `None`…) in their visible text; nor do the e-mails the demo's flows send, nor the PDFs.

The crawl is bounded: GET only, at most a few pages per URL pattern (numbers and event addresses in
paths replaced), no downloads, CSV, API or log-out; it takes a few seconds once the demo is loaded.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from eventhub import mail
from eventhub.accounts.models import EventRoleKind, Role, User
from eventhub.booths import notifications as booth_mail
from eventhub.booths.forms import SIZE_LABELS
from eventhub.booths.models import BoothPlacement, Exhibitor, ExhibitorStatus
from eventhub.booths.models import Stage as BoothStage
from eventhub.certificates.models import AssetKind, Certificate, CertificateKind, CertificateStatus
from eventhub.contests.models import (
    AwardLevel,
    ConflictSource,
    ConflictStatus,
    EntryStatus,
    ScoreStatus,
    Scoring,
)
from eventhub.events.models import EventKind
from eventhub.extensions import db
from eventhub.jobs.models import JobState
from eventhub.mail.models import EmailStatus
from eventhub.matchmaking import notifications as matchmaking_mail
from eventhub.matchmaking.models import (
    Currency,
    FollowUp,
    InvestorType,
    Meeting,
    MeetingRequest,
    MeetingStatus,
    ProfileKind,
    RequestStatus,
)
from eventhub.matchmaking.models import Stage as MatchmakingStage
from eventhub.registration import notifications as registration_mail
from eventhub.registration.models import QuestionKind, Registration, RegistrationStatus, RegistrationType
from eventhub.registration.tickets import make_manage_token
from eventhub.sectors import SECTORS
from tests.support.pdf import install_fonts, pdf_text
from tests.support.world import sign_in

# The stored values of every enumeration of the models, plus sector codes, booth sizes, the demo's
# ticket-type codes and raw Python values: whole words, case-sensitive. Left out: values that are also
# words of a Vietnamese page or a name ("startup" is one in Vietnamese, "ai" means "who"; VND and USD are
# how amounts are written).
ENUMS = [CertificateKind, CertificateStatus, AssetKind, JobState, RegistrationStatus, QuestionKind,
         EmailStatus, EventKind, ProfileKind, MatchmakingStage, Currency, InvestorType, RequestStatus,
         MeetingStatus, FollowUp, ExhibitorStatus, BoothStage, Role, EventRoleKind, Scoring, EntryStatus,
         AwardLevel, ConflictSource, ConflictStatus, ScoreStatus]
NOT_CODES = {"startup", "other", "ai", "VND", "USD"}
KNOWN_CODES = ({member.value for kind in ENUMS for member in kind} | set(SECTORS) | set(SIZE_LABELS)
               | {"smartcity", "visitor", "investor", "True", "False", "None"}) - NOT_CODES
PEOPLE = {
    "organizer": "truc.ptq@eventhub.demo",
    "staff": "tam.tt@eventhub.demo",
    "judge": "mai.hoang@giamkhao.vn",
    "investor": "hung.dang@fund01.vn",
    "startup": "huong.do@startup001.vn",
}
PER_PATTERN = 3
SKIP = re.compile(r"(^/api/|/logout|/static/|\.(csv|xlsx|pdf|ics|zip|png|svg|json)$|/download|/export"
                  r"|/print|/pdf|/file$)")
NUMBER = re.compile(r"/\d+(?=/|$)")
PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")
EVENT = re.compile(r"^/events/[^/]+")
WORD = re.compile(r"[\w-]+")  # "mekong-agritech" (a contest's address) is one word, not the code


class _VisibleText(HTMLParser):
    """The text a person reads: outside <script>, <style>, <template> and the values being edited in a
    <textarea>; no attributes."""

    HIDDEN = {"script", "style", "template", "noscript", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def codes_in(text: str) -> dict[str, str]:
    """{code: the words around its first occurrence}; the `{{ placeholders }}` of a certificate's
    template, which the organizer types as they are, are not words of the page."""
    text = re.sub(r"\s+", " ", PLACEHOLDER.sub(" ", text))
    return {m.group(): text[max(0, m.start() - 40):m.end() + 40]
            for m in reversed(list(WORD.finditer(text))) if m.group() in KNOWN_CODES}


def _pattern(path: str) -> str:
    split = urlsplit(path)
    keys = sorted(k.split("=")[0] for k in split.query.split("&") if k)
    return NUMBER.sub("/N", EVENT.sub("/events/E", split.path)) + ("?" + "&".join(keys) if keys else "")


def crawl(client, start: str, checked: set[str], *, limit: int = 120) -> dict[str, dict[str, str]]:
    """{url: codes seen} for the pages reached from `start` by links, in Vietnamese, GET only.

    `checked`: the URLs an earlier person's crawl read; below the first two levels (the home page and
    what it links to, where the menus differ) they are not read again, so each person's crawl spends its
    time on the pages only they reach."""
    with client.session_transaction() as session:
        session["lang"] = "vi"
    seen_patterns: dict[str, int] = {}
    queue, visited, found = deque([(start, 0)]), set(), {}
    while queue and len(visited) < limit:
        url, depth = queue.popleft()
        if url in visited or (depth > 1 and url in checked):
            continue
        visited.add(url)
        response = client.get(url, follow_redirects=True)
        if response.status_code >= 500:
            found[url] = {"HTTP 500": "the page fails"}
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        if not response.history:
            checked.add(url)
        parser = _VisibleText()
        parser.feed(response.get_data(as_text=True))
        codes = codes_in(" ".join(parser.parts))
        if codes:
            found[url] = codes
        for href in parser.links:
            link = urldefrag(href)[0].removeprefix("http://localhost")
            split = urlsplit(link)
            if (not link.startswith("/") or link.startswith("//") or SKIP.search(split.path)
                    or "lang=" in split.query or "format=" in split.query or link in visited):
                continue
            pattern = _pattern(link)
            if seen_patterns.get(pattern, 0) < PER_PATTERN:
                seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
                queue.append((link, depth + 1))
    return found


def _report(found: dict[str, dict[str, dict[str, str]]]) -> str:
    """One line per URL pattern and code: who, where, and the words around it."""
    shown = {}
    for who, pages in found.items():
        for url, codes in pages.items():
            for code, context in codes.items():
                shown.setdefault((_pattern(url), code), f"{who} {url}: {code!r} in “{context}”")
    return "\n".join(sorted(shown.values()))


def _user(email: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=email))


def test_the_vietnamese_pages_of_the_demo_show_words_not_codes(app, demo):
    checked: set[str] = set()
    found = {"anonymous": crawl(app.test_client(), "/", checked)}
    reg = db.session.scalar(db.select(Registration).join(Registration.registration_type)
                            .where(RegistrationType.code == "visitor").order_by(Registration.id).limit(1))
    found["visitor"] = crawl(app.test_client(), f"/r/{make_manage_token(reg.id, reg.manage_nonce)}", checked)
    for who, address in PEOPLE.items():
        client = app.test_client()
        sign_in(client, _user(address))
        found[who] = crawl(client, "/", checked)
    assert len(checked) > 100  # the crawl went through the demo, not only its home page
    report = _report(found)
    assert not report, report


def test_the_e_mails_of_the_demo_flows_show_words_not_codes(app, demo, outbox):
    """Each kind of e-mail a demo flow sends, written for a Vietnamese reader."""
    db.session.execute(db.update(User).values(locale="vi"))
    db.session.execute(db.update(Registration).values(locale="vi"))
    reg = db.session.scalar(db.select(Registration).join(Registration.registration_type)
                            .where(RegistrationType.code == "visitor").limit(1))
    exhibitor = db.session.scalar(db.select(Exhibitor).where(Exhibitor.size == "standard").limit(1))
    request = db.session.scalar(db.select(MeetingRequest).limit(1))
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.status == MeetingStatus.scheduled).limit(1))
    cert = db.session.scalar(db.select(Certificate).limit(1))
    registration_mail.registered(reg)
    registration_mail.cancelled(reg, reason=None, by_organizer=True)
    booth_mail.application_step(exhibitor, "approved")
    booth_mail.booth_confirmed(exhibitor, "AG01", ["2020-12-14"])
    matchmaking_mail.request_received(request)
    matchmaking_mail.request_answered(request)
    matchmaking_mail.meeting_changed(meeting, "scheduled")
    mail.queue("certificate.issued", to=cert.holder_email, certificate_id=cert.id)
    db.session.commit()
    mail.deliver_due()
    shown = {}
    written = sorted(outbox.glob("*.eml"))
    for path in written:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}"
        assert re.search("[ăâđêôơư]", text), text  # written for a Vietnamese reader
        if codes := codes_in(text):
            shown[message["Subject"]] = codes
    assert len(written) >= 8 and not shown, shown


def test_the_pdfs_of_the_demo_show_words_not_codes(app, demo):
    """The exhibitor list, a booth sign, an event's and the series' report, a certificate, a badge."""
    install_fonts()
    client = app.test_client()
    sign_in(client, _user(PEOPLE["organizer"]))
    with client.session_transaction() as session:
        session["lang"] = "vi"
    cert = db.session.scalar(db.select(Certificate).limit(1))
    reg = db.session.scalar(db.select(Registration).where(
        Registration.status == RegistrationStatus.confirmed).limit(1))
    booth = db.session.scalar(db.select(BoothPlacement).limit(1)).booth
    urls = ["/events/startup-week-2020/exhibitors.pdf",
            f"/events/startup-week-2020/booths/{booth.code}/sign.pdf",
            "/events/startup-week-2020/report.pdf", "/reports/series.pdf?year=2020",
            f"/events/{cert.event.slug}/certificates/{cert.serial}.pdf",
            f"/events/{reg.event.slug}/registrations/{reg.id}/badge.pdf"]
    shown = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf", url
        if codes := codes_in(" ".join(pdf_text(response.data))):
            shown[url] = codes
    assert not shown, shown
