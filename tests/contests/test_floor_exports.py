"""The XLSX of a pairwise contest: the ranking, every comparison (undone ones marked), the judges; labels
are words in the reader's language, Vietnamese keeps its diacritics, and people's text is never a formula."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from eventhub.booths import services as booths
from eventhub.contests import floor_judging as fj
from eventhub.contests import publishing
from eventhub.contests.floor_results import pairwise_report
from eventhub.contests.floor_spots import set_booth_code
from tests.contests.floor_world import later, pairwise_world, walk
from tests.factories import login, make_user


@pytest.fixture
def exported(db):
    """Four entries (one titled like a formula), two judges; one vote undone, one entry awarded."""
    contest, made, panel = pairwise_world(entries=4, judges=2)
    made[0].title = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    booths.replace_floorplan(contest.event, {
        "zones": [{"code": "AI", "name": "Trí tuệ nhân tạo", "sector": "ai",
                   "x": 0, "y": 0, "w": 10, "h": 5}],
        "booths": [{"code": "AI07", "zone": "AI", "x": 1, "y": 1, "w": 3, "h": 3, "size": "standard"}]})
    set_booth_code(made[1], "ai07")
    walk(contest, panel[0], 4)
    walk(contest, panel[1], 2, start=later(minutes=30))
    fj.undo_last(contest, panel[1], now=later(minutes=31, seconds=20))
    publishing.set_award(made[2], "first")
    return contest, made, panel


def _rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_workbook_speaks_vietnamese_with_words_for_states(client, db, exported):
    contest, made, panel = exported
    login(client, make_user("organizer"))
    response = client.get(f"/contests/{contest.id}/floor.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f"floor-{contest.code}.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Xếp hạng", "Phiếu so sánh", "Giám khảo"]
    ranking = _rows(book["Xếp hạng"])
    assert list(ranking[0]) == ["Hạng", "Bài dự thi", "Tiêu đề", "Tổ chức/đơn vị", "Gian hàng", "Điểm",
                                "Độ bất định (±)", "Số lần so sánh", "Số lần thắng", "Giải thưởng"]
    report = pairwise_report(contest)
    assert [r["Bài dự thi"] for r in ranking] == [r.entry_id for r in report.rows]
    by_id = {r["Bài dự thi"]: r for r in ranking}
    assert by_id[made[2].id]["Giải thưởng"] == "Giải Nhất"  # the award in words, not "first"
    assert by_id[made[1].id]["Gian hàng"] == "AI07"
    assert by_id[made[0].id]["Tiêu đề"] == "'=HYPERLINK(\"http://x\")"  # text, never a formula
    assert by_id[made[0].id]["Tổ chức/đơn vị"].startswith("Công ty TNHH Sáng Tạo Số")  # diacritics survive
    for row, model in zip(ranking, report.rows, strict=True):
        assert row["Số lần so sánh"] == model.votes and row["Số lần thắng"] == model.wins
        if model.votes:
            assert isinstance(row["Điểm"], float) and row["Độ bất định (±)"] == pytest.approx(model.sigma)
        else:
            assert row["Điểm"] is None and row["Hạng"] is None
    votes = _rows(book["Phiếu so sánh"])
    assert book["Phiếu so sánh"]["A1"].value == "Thời điểm (giờ Việt Nam)"
    assert len(votes) == 3 + 1  # the undone vote is kept, marked
    assert [v["Giám khảo đã hủy"] for v in votes] == ["Không", "Không", "Không", "Có"]
    assert {v["Giám khảo"] for v in votes} == {panel[0].full_name, panel[1].full_name}
    titles = {e.id: e.title for e in made}
    assert {v["Bài tốt hơn"] for v in votes} <= {"'" + titles[made[0].id], *titles.values()}
    first = votes[0]["Thời điểm (giờ Việt Nam)"]
    assert first.replace(tzinfo=None) == later(minutes=1).replace(tzinfo=None)  # the event's clock
    judges = _rows(book["Giám khảo"])
    assert [j["Giám khảo"] for j in judges] == [panel[0].full_name, panel[1].full_name]
    assert judges[0]["Số lần so sánh"] == 3 and judges[1]["Số lần so sánh"] == 0
    assert 50 < judges[0]["Độ tin cậy (%)"] <= 100
    assert judges[0]["Nhận định"] == "đáng tin" and judges[1]["Nhận định"] == "chưa đủ phiếu để đánh giá"


def test_in_english_and_where_the_rubric_export_is_offered(client, db, exported):
    contest, _made, _panel = exported
    login(client, make_user("organizer"))
    en = load_workbook(io.BytesIO(client.get(f"/contests/{contest.id}/floor.xlsx?lang=en").data))
    assert en.sheetnames == ["Ranking", "Comparison votes", "Judges"]
    assert [c.value for c in en["Comparison votes"][1]][-1] == "Undone by the judge"
    assert {c.value for c in en["Comparison votes"]["E"][1:]} == {"Yes", "No"}
    # the scores export of the contest's page picks the comparisons for a round judged on the floor
    picked = client.get(f"/contests/{contest.id}/scores.xlsx?lang=vi")
    assert picked.status_code == 200
    assert load_workbook(io.BytesIO(picked.data)).sheetnames == ["Xếp hạng", "Phiếu so sánh", "Giám khảo"]
    page = client.get(f"/contests/{contest.id}/floor/manage").get_data(as_text=True)
    assert f'href="/contests/{contest.id}/floor.xlsx"' in page


def test_a_contest_without_votes_exports_empty_tables(client, db):
    contest, made, _panel = pairwise_world(entries=2, judges=1)
    login(client, make_user("organizer"))
    book = load_workbook(io.BytesIO(client.get(f"/contests/{contest.id}/floor.xlsx").data))
    assert [(r["Hạng"], r["Bài dự thi"], r["Số lần so sánh"]) for r in _rows(book["Xếp hạng"])] == [
        (None, made[0].id, 0), (None, made[1].id, 0)]
    assert _rows(book["Phiếu so sánh"]) == []
