"""Under blind judging the deck a judge downloads carries no author, title or XMP of the team's –
office programs fill those with the author's name and company. The team and organizers get the file
as uploaded."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from eventhub.contests import assigning
from eventhub.contests import entries as entry_services
from tests.contests.factories import BEFORE_DEADLINE, make_contest, make_entry, make_judges
from tests.factories import login, make_user, token_headers

XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Hoang Thi Rong Xanh</dc:creator>'
       b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def _telling_pdf() -> bytes:
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Hoàng Thị Rồng Xanh", "/Title": "Rồng Xanh – Công ty Thanh Long",
                         "/Creator": "Microsoft PowerPoint"})
    stream = StreamObject()
    stream.set_data(XMP)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _setup(blind: bool):
    contest = make_contest(blind=blind, judges_per_entry=1)
    judge = make_judges(contest, 1)[0]
    member = make_user(email=f"leader-{'blind' if blind else 'open'}@rongxanh.vn",
                       full_name="Hoàng Thị Rồng Xanh")
    entry = make_entry(contest, member, organization="Công ty Thanh Long")
    entry_services.upload_deck(entry, _telling_pdf(), "Rồng Xanh.pdf", user=member, now=BEFORE_DEADLINE)
    assigning.run_assignment(contest)
    return entry, judge, member


def _says_who(data: bytes) -> bool:
    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata or {}
    return (any("Rồng" in str(v) or "Thanh Long" in str(v) for v in info.values())
            or b"Rong Xanh" in data or "/Metadata" in reader.trailer["/Root"])


def test_a_blind_judge_gets_the_deck_without_its_metadata_by_api_and_page(client, db):
    entry, judge, _member = _setup(blind=True)
    assert _says_who(_telling_pdf())
    api = client.get(f"/api/v1/entries/{entry.id}/deck.pdf", headers=token_headers(judge))
    assert api.status_code == 200 and api.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(api.data)).pages) == 1
    assert not _says_who(api.data)
    login(client, judge)
    page = client.get(f"/entries/{entry.id}/deck.pdf")
    assert page.status_code == 200 and not _says_who(page.data)
    assert "Rồng" not in page.headers["Content-Disposition"]


def test_the_team_and_open_judging_get_the_file_as_uploaded(client, db):
    entry, _judge, member = _setup(blind=True)
    own = client.get(f"/api/v1/entries/{entry.id}/deck.pdf", headers=token_headers(member))
    assert own.status_code == 200 and own.data == _stored(entry)
    open_entry, open_judge, _member = _setup(blind=False)
    seen = client.get(f"/api/v1/entries/{open_entry.id}/deck.pdf", headers=token_headers(open_judge))
    assert seen.status_code == 200 and _says_who(seen.data)


def _stored(entry) -> bytes:
    from eventhub import storage

    return storage.get(entry.deck_key)
