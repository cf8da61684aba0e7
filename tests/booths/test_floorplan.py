"""Reading floor plans: CSV and JSON files, the stored plan as CSV again, and plan checks."""

from __future__ import annotations

import pytest

from eventhub.booths import floorplan, services
from eventhub.booths.layout import hall
from eventhub.errors import ValidationError
from tests.booths.factories import hall_event

CSV = ("kind,code,name,sector,zone,x,y,w,h,size,price_tier\n"
       "zone,AI,Trí tuệ nhân tạo,AI,,0,0,20,10,,\n"
       "zone,FIN,Tài chính số,,,,,,,,\n"
       "booth,AI01,,,AI,1,1,3,3,Standard,A\n"
       "booth,F1,,,FIN,30,0,2,2,small,\n")


def test_csv_reads_zones_with_and_without_outline(app):
    with app.test_request_context():
        zones, booths = floorplan.clean_plan(floorplan.parse_csv(CSV.encode("utf-8-sig")))
    assert [(z.code, z.name, z.sector, z.outline is not None) for z in zones] == [
        ("AI", "Trí tuệ nhân tạo", "ai", True), ("FIN", "Tài chính số", None, False)]
    assert [(b.code, b.zone, b.size, b.price_tier) for b in booths] == [
        ("AI01", "AI", "standard", "A"), ("F1", "FIN", "small", None)]


@pytest.mark.parametrize("raw, field", [
    (b"\xff\xfe\x00garbage", "file"),
    (b"code,name\nA,B\n", "file"),
    ("kind,code,name,sector,zone,x,y,w,h,size,price_tier\nbooth,X1,,,Q,0,0,1,1,s,\n", "zones"),
])
def test_bad_csv_files_are_field_errors(app, raw, field):
    with app.test_request_context(), pytest.raises(ValidationError) as caught:
        floorplan.clean_plan(floorplan.parse_csv(raw))
    assert field in caught.value.fields


@pytest.mark.parametrize("raw", [b"{", b"[1]", b"\"x\"", b"[" * 100_000])
def test_bad_json_files_are_field_errors(app, raw):
    with app.test_request_context(), pytest.raises(ValidationError):
        floorplan.parse_json(raw)


def test_the_stored_plan_round_trips_through_csv(db):
    event = hall_event()
    plan = hall([{"code": "AI", "name": "Trí tuệ nhân tạo", "sector": "ai"},
                 {"code": "AG", "name": "Nông nghiệp", "sector": "agritech"}], booths_per_zone=12, per_row=6)
    services.replace_floorplan(event, plan)
    text = floorplan.plan_as_csv(services.zones_of(event), services.booths_of(event))
    zones, booths = floorplan.clean_plan(floorplan.parse_csv(text))
    assert len(zones) == 2 and len(booths) == 24
    assert {(b.code, b.rect.x, b.rect.y, b.rect.w, b.rect.h, b.size) for b in booths} == {
        (b["code"], b["x"], b["y"], b["w"], b["h"], b["size"]) for b in plan["booths"]}


def test_the_generated_hall_is_a_valid_plan_with_neighbours(app):
    from eventhub.booths.geometry import Rect, edge_neighbours

    plan = hall([{"code": c, "name": c, "sector": c.lower()} for c in ("A", "B", "C", "D", "E", "F")])
    with app.test_request_context():
        zones, booths = floorplan.clean_plan(plan)
    assert len(zones) == 6 and len(booths) == 180
    neighbours = edge_neighbours([Rect(b.rect.x, b.rect.y, b.rect.w, b.rect.h) for b in booths])
    assert all(neighbours[i] for i in range(len(booths)))  # every booth has a neighbour
    assert sum(map(len, neighbours)) // 2 > 180
