"""The printed report as a department hands it out: numbers in the reader's language, chart labels
written whole, a signature block (issue 16.6)."""

from __future__ import annotations

import io
import re

import pdfplumber

from eventhub.certificates.models import CertificateKind, CertificateTemplate
from eventhub.extensions import db
from eventhub.reports import services
from eventhub.reports.pdf import render_report_pdf

LONG_SESSION = "Hội thảo Đô thị thông minh: dữ liệu mở trong quản lý giao thông Thành phố Hồ Chí Minh"


def pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def lines(pdf: bytes) -> list[tuple[int, float, str]]:
    """(page, top, text) of every text line, in reading order."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(n, line["top"], line["text"]) for n, page in enumerate(document.pages)
                for line in page.extract_text_lines()]


def squeezed(text: str) -> str:
    """Text without white space: the charts' SVG text comes out of the PDF without its spaces."""
    return re.sub(r"\s+", "", text)


def test_the_english_report_prints_3_175_and_the_vietnamese_3_175(world):
    report = services.event_report(world["week"])
    report.totals["registrations"] = 3175  # the figure as a big event has it
    english = " ".join(pages(render_report_pdf(report, "en")))
    vietnamese = " ".join(pages(render_report_pdf(report, "vi")))
    assert re.search(r"Registrations 3,175 ", english) and "3.175" not in english
    assert re.search(r"Đăng ký 3\.175 ", vietnamese) and "3,175" not in vietnamese


def test_chart_labels_are_printed_whole(world):
    world["sessions"][0].title = LONG_SESSION
    db.session.commit()
    for lang in ("vi", "en"):
        text = squeezed(" ".join(pages(render_report_pdf(services.event_report(world["week"]), lang))))
        # Every word, over two or three lines (the bar's value, printed level with the label's middle
        # line, comes out between them).
        assert squeezed(LONG_SESSION) in re.sub(r"\d", "", text)
        assert squeezed("Hội nghị Đổi mới sáng tạo") in text
        assert squeezed("Cuộc thi Khởi nghiệp Sáng tạo") in text
        assert "…" not in re.sub("……+", "", text)  # nothing shortened (the dots are the line to sign)


def test_the_signature_block_names_the_signer_of_the_events_certificates(world):
    db.session.add(CertificateTemplate(event_id=world["week"].id, kind=CertificateKind.participation,
                                       html="<p>{{ serial }}</p>", signer_title="Trưởng Ban Tổ chức",
                                       signer_name="Nguyễn Hoàng Dũng"))
    db.session.commit()
    printed = lines(render_report_pdf(services.event_report(world["week"]), "vi"))
    last_page = max(page for page, _top, _text in printed)

    def where(words: str) -> float:
        (top,) = [top for page, top, text in printed if words in text and page == last_page]
        return top

    unit, title = where("TM. BAN TỔ CHỨC"), where("TRƯỞNG BAN TỔ CHỨC")
    hint, name = where("(Ký, ghi rõ họ tên)"), where("Nguyễn Hoàng Dũng")
    assert unit < title < hint < name and name - hint > 40  # room to sign (pt)
    assert where("Nơi nhận:") == unit  # the recipients on the left, level with the unit
    assert where("Báo cáo do EventHub lập lúc") > name
    text = " ".join(text for _p, _t, text in printed)
    assert "Thành phố Hồ Chí Minh, ngày" in text and "tháng 12 năm 2026" in text  # place and date


def test_without_a_known_signer_the_block_leaves_lines_to_sign(world):
    for lang, unit, hint in (("vi", "TM. BAN TỔ CHỨC", "(Ký, ghi rõ họ tên)"),
                             ("en", "ON BEHALF OF THE ORGANIZING COMMITTEE", "(Signature and full name)")):
        text = " ".join(pages(render_report_pdf(services.series_report(2026), lang)))
        assert unit in text and hint in text and "………" in text
