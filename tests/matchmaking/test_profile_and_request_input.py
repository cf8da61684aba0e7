"""What profiles and requests accept beyond api.md's lists: any short sector (in any case), seeking as
text, list or flag, and an investor asking a whole room of startups."""

from __future__ import annotations

from tests.factories import login, token_headers
from tests.matchmaking.factories import startup
from tests.support.api import assert_error


def _url(event, tail):
    return f"/api/v1/events/{event.slug}{tail}"


def test_any_short_sector_is_accepted_and_matched_whatever_its_case(client, match):
    event, fund = match["event"], match["fund"]
    body = {"kind": "investor", "organization": "Quỹ Proptech Sài Gòn", "sectors": ["PropTech", "ai"],
            "stages": ["seed"], "ticket_min": 1, "ticket_max": 10**12, "currency": "VND", "contactable": True}
    answer = client.put(_url(event, "/profiles/me"), json=body, headers=token_headers(fund.user))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["sectors"] == ["ai", "proptech"]
    house = startup(event, organization="Nhà Thông Minh Thủ Đức", sector="Proptech")
    assert house.sector == "proptech"
    found = client.get(_url(event, "/recommendations"), headers=token_headers(fund.user)).get_json()["items"]
    assert house.id in {item["profile_id"] for item in found}
    login(client, house.user)
    page = client.get(f"/events/{event.slug}/matchmaking/profile")
    assert page.status_code == 200 and '<option selected value="proptech">' in page.get_data(as_text=True)
    for sectors in (["x" * 21], [""], [None], [3], "ai", []):
        error = assert_error(client.put(_url(event, "/profiles/me"), json={**body, "sectors": sectors},
                                        headers=token_headers(fund.user)), 422)
        assert all(name.startswith("sectors") for name in error["fields"]), error


def test_seeking_as_text_a_list_or_a_flag_is_accepted(client, match):
    event, ai = match["event"], match["ai"]
    body = {"kind": "startup", "organization": "Công ty CP Trí Tuệ Sài Gòn", "sector": "ai", "stage": "seed",
            "amount": 5_000_000_000, "currency": "VND", "contactable": True}
    for seeking, stored in (("Vốn hạt giống", "Vốn hạt giống"), (["vốn", "cố vấn"], "vốn, cố vấn"),
                            (True, ""), (None, "")):
        answer = client.put(_url(event, "/profiles/me"), json={**body, "seeking": seeking},
                            headers=token_headers(ai.user))
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["seeking"] == stored
    for seeking in ({"a": 1}, 7, [1]):
        assert_error(client.put(_url(event, "/profiles/me"), json={**body, "seeking": seeking},
                                headers=token_headers(ai.user)), 422)


def test_an_investor_may_ask_a_whole_room_of_startups(client, match):
    event, fund = match["event"], match["fund"]
    crowd = [startup(event, organization=f"Khởi nghiệp Sài Gòn số {n}") for n in range(30)]
    for one in crowd:
        answer = client.post(_url(event, "/meeting-requests"), json={"to_profile_id": one.id},
                             headers=token_headers(fund.user))
        assert answer.status_code == 201, answer.get_json()
