"""The printed report (PDF, read back) and the workbook of its numbers (XLSX, read back)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime

import pdfplumber
from openpyxl import load_workbook

from eventhub.reports import services
from eventhub.reports.figures import FIGURES
from eventhub.reports.pdf import render_report_pdf
from eventhub.reports.xlsx import SHEETS, render_report_xlsx

from .helpers import ADDED, AI_FIGURES, SERIES_DISTINCT, WEEK_FIGURES


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    return re.sub(r"\s+", " ", text)


def figure_row(text: str, label: str) -> int:
    """The number printed after a figure's label in the figures table."""
    match = re.search(re.escape(label) + r" ([\d.]+)", text)
    assert match, f"{label!r} not in {text[:2000]}"
    return int(match.group(1).replace(".", ""))




def test_event_pdf_in_vietnamese_has_the_title_and_the_figures(world):
    pdf = render_report_pdf(services.event_report(world["week"]))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "BÁO CÁO TỔNG KẾT" in text
    assert "Tuần lễ Khởi nghiệp – Đổi mới sáng tạo TP.HCM 2026" in text
    assert "14/12/2026 – 15/12/2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_event_pdf_in_english_lists_every_figure(world):
    text = pdf_text(render_report_pdf(services.event_report(world["week"]), "en"))
    assert "SUMMARY REPORT" in text
    assert figure_row(text, "Registrations") == WEEK_FIGURES["registrations"]
    assert figure_row(text, "People checked in") == WEEK_FIGURES["checked_in"]
    assert figure_row(text, "Visitor attendances") == WEEK_FIGURES["visitor_attendances"]
    assert figure_row(text, "Contest entries") == WEEK_FIGURES["entries"]
    assert figure_row(text, "Session attendance") == WEEK_FIGURES["session_attendance"]
    assert figure_row(text, "Meetings held") == WEEK_FIGURES["meetings_held"]
    assert figure_row(text, "Certificates issued") == WEEK_FIGURES["certificates"]


def test_series_pdf_has_a_table_per_event(world):
    pdf = render_report_pdf(services.series_report(2026), "en")
    text = pdf_text(pdf)
    assert "SUMMARY REPORT" in text and "2026" in text
    assert "Ngày hội Trí tuệ nhân tạo Việt Nam 2026" in text
    assert "IV. Figures per event" in text
    total = WEEK_FIGURES["registrations"] + AI_FIGURES["registrations"]
    assert figure_row(text, "Registrations") == total


def test_pdf_renders_to_a_page_that_is_not_blank(world, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (poppler-utils) is needed to look at the PDF"
    pdf = render_report_pdf(services.event_report(world["week"]))
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "40", "-gray", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
                   check=True, timeout=60)
    image = next(tmp_path.glob("page*.pgm")).read_bytes()
    # A binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", image)
    pixels = image[header.end():]
    dark = sum(1 for value in pixels if value < 128)
    assert dark > len(pixels) * 0.005, "the first page is (nearly) blank"


def test_xlsx_has_the_figures_and_a_sheet_per_chart(world):
    report = services.event_report(world["week"])
    workbook = load_workbook(io.BytesIO(render_report_xlsx(report)))
    assert workbook.sheetnames == ["Số liệu", "Lượt đến", "Lượt đăng ký theo ngày", "Lượt tham dự hội thảo",
                                   "Bài dự thi theo cuộc thi", "Kết quả gặp nhà đầu tư",  # SHEETS, in words
                                   "Đến và vắng mặt"]  # an event's no-show figures (test_no_show.py)
    assert len(SHEETS) == len(workbook.sheetnames) - 2
    rows = list(workbook["Số liệu"].iter_rows(values_only=True))
    assert rows[0][:2] == ("figure", "Chỉ tiêu") and workbook["Số liệu"].column_dimensions["A"].hidden
    assert {row[0]: row[-1] for row in rows[1:]} == {**WEEK_FIGURES, **ADDED}
    assert rows[2][1] == "Số người đã check-in"  # Vietnamese by default
    sessions = list(workbook["Lượt tham dự hội thảo"].iter_rows(min_row=3, values_only=True))
    assert sessions == [("Hội thảo Đô thị thông minh", 3), ("Hội nghị Đổi mới sáng tạo", 1)]
    per_day = list(workbook["Lượt đăng ký theo ngày"].iter_rows(min_row=3, values_only=True))
    assert sum(n for _day, n in per_day) == WEEK_FIGURES["registrations"]
    arrivals = list(workbook["Lượt đến"].iter_rows(min_row=3, values_only=True))
    assert arrivals == [(datetime(2026, 12, 14), 2), (datetime(2026, 12, 15), 1)]  # real dates (14.6)
    contests = dict(workbook["Bài dự thi theo cuộc thi"].iter_rows(min_row=3, values_only=True))
    assert contests == {"Cuộc thi Khởi nghiệp Sáng tạo": 2, "AI Challenge": 1}


def test_series_xlsx_has_a_column_per_event_and_the_sums(world):
    workbook = load_workbook(io.BytesIO(render_report_xlsx(services.series_report(2026), "en")))
    rows = list(workbook["Figures"].iter_rows(values_only=True))
    assert rows[0] == ("figure", "Figure", "ai-day-2026", "tuan-le-2026", "Total")
    for row in rows[1:]:
        key = row[0]
        if key.startswith("distinct."):  # counted once over the series: no event's own column
            assert row[2:] == (None, None, SERIES_DISTINCT[key.removeprefix("distinct.")])
            continue
        if key in ADDED:  # the follow-ups' figures: nothing answered in this world
            assert row[2:] == (0, 0, 0)
            continue
        assert key in FIGURES
        assert row[2:] == (AI_FIGURES[key], WEEK_FIGURES[key], AI_FIGURES[key] + WEEK_FIGURES[key])
    assert [r[0] for r in rows[1:]].count("distinct.people_checked_in") == 1
    assert [r[0] for r in workbook["Events"].iter_rows(min_row=2, values_only=True)] == ["ai-day-2026",
                                                                                           "tuan-le-2026"]


def test_labels_that_look_like_formulas_stay_text(world):
    from .factories import make_contest

    make_contest(world["week"], "=HYPERLINK(\"http://evil\")")
    workbook = load_workbook(io.BytesIO(render_report_xlsx(services.event_report(world["week"]))))
    names = [row[0] for row in workbook["Bài dự thi theo cuộc thi"].iter_rows(min_row=3, values_only=True)]
    assert "'=HYPERLINK(\"http://evil\")" in names

