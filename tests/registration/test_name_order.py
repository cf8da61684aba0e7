"""Issue 14.2 in the database: `?sort=name` orders by the stored key, and the stored key orders as
ICU's `vi` collator applied part by part (tests/support/icu_names.py); recompute_sort_keys rewrites old
keys."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import update

from eventhub.registration import services
from eventhub.registration.models import Registration
from eventhub.registration.sortkeys import recompute_sort_keys
from eventhub.vietnamese import name_sort_string
from tests.factories import login, make_type, make_user, open_event, register, token_headers
from tests.support.api import assert_list
from tests.support.icu_names import icu_order, random_name

ISSUE_NAMES = ["Nguyễn Dũng", "Trần Dung", "Bùi Dũng", "Lê Dung", "Trần Thuỳ Linh", "Nguyễn Thu Thảo Linh",
               "An Thị Hà", "Bùi Thi Hà", "nguyễn văn an", "Trần Văn An"]


@pytest.fixture
def crowd(db):
    """65 people with generated names (and the issue's pairs), registered in a random order."""
    event = open_event()
    rtype = make_type(event)
    rng = random.Random(1403)
    names = [random_name(rng) for _ in range(55)] + ISSUE_NAMES
    rng.shuffle(names)
    regs = [register(event, rtype, full_name=name, email=f"order{n}@example.vn")[0]
            for n, name in enumerate(names)]
    return event, regs


def _expected_ids(regs) -> list[int]:
    """ICU's order of the stored names; people whose names ICU finds equal, by id (as the SQL does)."""
    regs = sorted(regs, key=lambda r: r.id)
    return [regs[i].id for i in icu_order([r.full_name for r in regs])]


def _api_ids(client, event, headers) -> list[int]:
    url = f"/api/v1/events/{event.slug}/registrations?sort=name&per_page=500"
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in assert_list(response.get_json())]


def test_the_api_and_the_list_sorted_by_name_follow_icu_part_by_part(client, crowd):
    event, regs = crowd
    organizer = make_user("organizer")
    assert _api_ids(client, event, token_headers(organizer)) == _expected_ids(regs)
    login(client, organizer)
    html = client.get(f"/events/{event.slug}/registrations?sort=name").get_data(as_text=True)
    shown = [int(i) for i in re.findall(rf'href="/events/{event.slug}/registrations/(\d+)"', html)]
    assert len(shown) == 50  # the first page
    assert shown == _expected_ids(regs)[:50]


def test_recompute_sort_keys_rewrites_every_stale_key(client, db, crowd):
    event, regs = crowd
    erased = regs[0]
    services.erase_personal_data(erased)
    # Keys as an older version of the collation wrote them (and one never written at all).
    db.session.execute(update(Registration).where(Registration.id != erased.id)
                       .values(sort_key="stale"))
    db.session.execute(update(Registration).where(Registration.id == regs[1].id).values(sort_key=""))
    db.session.commit()
    headers = token_headers(make_user("organizer"))
    assert _api_ids(client, event, headers) != _expected_ids(regs)

    changed = recompute_sort_keys(db.session.connection(), batch_size=7)  # several batches
    db.session.commit()
    assert changed == len(regs) - 1
    stored = dict(db.session.execute(db.select(Registration.id, Registration.sort_key)).all())
    for reg in regs:
        db.session.refresh(reg)
        assert stored[reg.id] == ("" if reg.id == erased.id else name_sort_string(reg.full_name))
    assert _api_ids(client, event, headers) == _expected_ids(regs)
    assert recompute_sort_keys(db.session.connection()) == 0  # nothing left to do


def test_a_name_converted_with_eth_sorts_and_is_found_as_the_same_name_with_d_stroke(client, db):
    """"Ðặng Văn Ðức" with the Icelandic eth (old encodings) is "Đặng Văn Đức": in `?sort=name` beside it,
    found by "duc"; rows folded before are refolded by refold_eth_in_search_texts."""
    from eventhub.registration.sortkeys import refold_eth_in_search_texts

    event = open_event()
    rtype = make_type(event)
    names = ["\u00d0\u1eb7ng V\u0103n \u00d0\u1ee9c", "Lê Văn Đức", "Phạm Đức", "Vũ Em", "Hồ Văn Duy",
             "\u0110\u1eb7ng V\u0103n \u0110\u1ee9c"]
    regs = [register(event, rtype, full_name=name, email=f"eth{n}@example.vn")[0]
            for n, name in enumerate(names)]
    eth, lê, phạm, em, duy, stroke = (r.id for r in regs)
    headers = token_headers(make_user("organizer"))
    assert _api_ids(client, event, headers) == [duy, phạm, eth, stroke, lê, em]  # eth beside its twin

    def found(q):
        response = client.get(f"/api/v1/events/{event.slug}/registrations", headers=headers,
                              query_string={"q": q, "per_page": 100})
        return sorted(item["id"] for item in assert_list(response.get_json()))

    assert found("duc") == found("đức") == found("\u00f0\u1ee9c") == sorted([eth, lê, phạm, stroke])
    # the row as the old fold wrote it: "ðang van ðuc eth0@example.vn"
    folded = db.session.get(Registration, eth).search_text
    assert folded.startswith("dang van duc ")
    db.session.execute(update(Registration).where(Registration.id == eth).values(
        search_text="\u00f0ang van \u00f0uc" + folded.removeprefix("dang van duc")))
    db.session.commit()
    assert eth not in found("duc")
    assert refold_eth_in_search_texts(db.session.connection()) == 1
    db.session.commit()
    assert found("dang duc") == sorted([eth, stroke])
    assert refold_eth_in_search_texts(db.session.connection()) == 0
