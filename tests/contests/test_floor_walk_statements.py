"""What the judge's walk page costs the database (issue 20): each category's walk row and state are read once
per request – shared by its progress line, the pending booth and the offer for the next one – so the page
runs the same statements for a floor of 5 entries per category as for one of 20, and few of them."""

from __future__ import annotations

import re

from eventhub.extensions import db as _db
from tests.booths.factories import hall_event
from tests.contests.factories import make_entry
from tests.contests.test_floor_pages import floor, post
from tests.factories import login
from tests.support.database import statements_sent

# Measured with 2 categories (before sharing: 38 to read the page, 52–59 when it sends the judge on).
READ_AT_MOST = 30  # a reload: a booth pending
SEND_AT_MOST = 44  # the page sends the judge to the next booth (lock, walk row, state read again, write)


def _statements(client, url: str) -> tuple[int, str]:
    with statements_sent(_db.engine) as sent:
        response = client.get(url)
    assert response.status_code == 200
    return len(sent), response.get_data(as_text=True)


def _two_categories(entries: int):
    """One judge of two pairwise categories on one hall, `entries` entries each (two of them at booths)."""
    event = hall_event()
    _, ai, _, (judge,) = floor(2, event=event, booths=["A1", "A2"], name="Hạng mục Trí tuệ nhân tạo")
    _, agri, _, _ = floor(2, event=event, booths=["B1", "L1"], judges=[judge], name="Hạng mục Nông nghiệp")
    for contest in (ai, agri):
        for _n in range(entries - 2):
            make_entry(contest, organization="Hợp tác xã Không Gian Hàng")
    return event, judge


def _walk_costs(client, entries: int) -> list[tuple[str, int]]:
    """The statements of the page at each step of a short walk: sent to a first booth, reloaded, done
    there and sent on, reloaded, a vote and sent on, reloaded."""
    event, judge = _two_categories(entries)
    login(client, judge)
    url = f"/events/{event.slug}/floor-judging"
    costs = []
    for step in ("first", "vote"):
        sent, _html = _statements(client, url)
        again, html = _statements(client, url)
        costs += [("send", sent), ("read", again)]
        contest = re.search(r'name="contest" value="(\d+)"', html).group(1)
        if step == "first":
            entry = re.search(r'name="entry" value="(\d+)"', html).group(1)
            post(client, event, "first", contest=contest, entry=entry)
        else:
            winner, loser = re.search(r'name="winner" value="(\d+)">\s*<input type="hidden" name="loser" '
                                      r'value="(\d+)"', html).groups()
            post(client, event, "vote", contest=contest, winner=winner, loser=loser)
    sent, _html = _statements(client, url)
    again, html = _statements(client, url)
    assert "Hoàn tác phiếu vừa bầu" in html  # the vote is on the page (its undo button)
    return [*costs, ("send", sent), ("read", again)]


def test_the_walk_page_reads_each_category_once_whatever_the_number_of_entries(app, db):
    few = _walk_costs(app.test_client(), 5)
    many = _walk_costs(app.test_client(), 20)
    assert few == many, (few, many)
    for kind, count in few:
        assert count <= (READ_AT_MOST if kind == "read" else SEND_AT_MOST), few
