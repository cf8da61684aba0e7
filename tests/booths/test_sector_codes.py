"""A zone that keeps a sector's old code ("smartcity") is the same sector as the list's ("smart_city"):
the application form offers it once, and allocation counts it as the exhibitor's zone (issue 16 review)."""

from __future__ import annotations

import copy
import re
from html import unescape

from eventhub.booths import services
from eventhub.booths.allocation import assign_booths
from eventhub.booths.models import BoothPlacement
from eventhub.booths.services import review
from tests.booths.factories import PLAN, apply, startup
from tests.factories import login, make_event

OLD_CODE_PLAN = copy.deepcopy(PLAN)
OLD_CODE_PLAN["zones"][1]["sector"] = "smartcity"  # zone B, with B1 its only standard booth


def _event():
    event = make_event()
    services.replace_floorplan(event, OLD_CODE_PLAN)
    return event


def test_the_form_offers_each_sector_once(client, db):
    event = _event()
    login(client, startup())
    for lang in ("vi", "en"):
        html = client.get(f"/events/{event.slug}/booth-application?lang={lang}").get_data(as_text=True)
        select = re.search(r'<select[^>]*name="sector".*?</select>', html, re.S).group(0)
        options = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select)
        values = [value for value, _label in options]
        labels = [unescape(label).strip() for _value, label in options]
        assert len(labels) == len(set(labels)), labels
        assert "smart_city" in values and "smartcity" not in values


def test_the_canonical_code_matches_a_zone_with_the_old_one(db):
    event = _event()
    exhibitor = apply(event, sector="smart_city")  # no preferences: only the zone's sector points
    review(exhibitor, "approve")
    solution = assign_booths(event)
    assert solution.preference_points == 1
    placement = db.session.scalar(db.select(BoothPlacement).filter_by(exhibitor_id=exhibitor.id))
    assert placement.booth.code == "B1"
