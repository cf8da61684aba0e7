"""The event page links to the floor map only once it is published (the plan has booths)."""

from __future__ import annotations

from eventhub.booths import services
from tests.booths.factories import PLAN
from tests.factories import make_event


def test_the_event_page_links_the_map_only_once_it_has_booths(client, db):
    event = make_event()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f"/events/{event.slug}/floor-map" not in page
    assert f"/events/{event.slug}/exhibitors" in page  # the directory stays
    services.replace_floorplan(event, PLAN)
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f'href="/events/{event.slug}/floor-map"' in page


def test_the_unpublished_map_page_still_says_so(client, db):
    event = make_event()
    page = client.get(f"/events/{event.slug}/floor-map?lang=en").get_data(as_text=True)
    assert "The floor plan is not published yet." in page and "<svg class=\"floormap-svg\"" not in page


def test_the_directory_links_the_map_only_once_it_has_booths(client, db):
    event = make_event()
    page = client.get(f"/events/{event.slug}/exhibitors").get_data(as_text=True)
    assert f"/events/{event.slug}/floor-map" not in page
    assert f'href="/events/{event.slug}/exhibitors.pdf"' in page  # the rest of the page stays
    services.replace_floorplan(event, PLAN)
    page = client.get(f"/events/{event.slug}/exhibitors").get_data(as_text=True)
    assert f'href="/events/{event.slug}/floor-map"' in page
