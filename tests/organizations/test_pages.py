"""The organizers' pages of organizations: the list (search without accents, kind filter, pages, labels not
codes, events by name), an organization's history, merging with a confirmation that says what moves, the
likely duplicates side by side with their buttons, and who may see any of it. No input gives a 500."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.booths.models import Exhibitor
from eventhub.extensions import db
from eventhub.organizations import services as organizations
from eventhub.organizations.models import DistinctPair, Organization
from tests.factories import HCMC, login, make_user, open_event
from tests.reports.conftest import count_queries  # noqa: F401  (the fixture)
from tests.reports.factories import make_contest, make_entry, make_exhibitor, make_profile

DAY = datetime(2020, 12, 10, 8, 0, tzinfo=HCMC)


def _org(name: str, kind: str = "startup", tax_code: str | None = None):
    org = organizations.resolve(name, tax_code, kind=kind)
    db.session.commit()
    return org


def _own(row, org):
    row.organization_id = org.id
    db.session.commit()
    return row


@pytest.fixture
def series(db):
    week = open_event(slug="tuan-le-2020", name="Tuần lễ Khởi nghiệp 2020", starts_at=DAY,
                      ends_at=DAY + timedelta(hours=9))
    later = DAY + timedelta(days=340)
    week21 = open_event(slug="tuan-le-2021", name="Tuần lễ Khởi nghiệp 2021", starts_at=later,
                        ends_at=later + timedelta(hours=9))
    sao = _org("Công ty TNHH Sao Khuê", tax_code="0314409058")
    typo = _org("Sao Khuee")  # the same startup, mistyped in 2021
    mekong = _org("Quỹ Đầu tư Mekong", "investor")
    hanoi = _org("Đại học Bách khoa", "other")
    _own(make_exhibitor(week, "approved", "Sao Khuê"), sao)
    _own(make_entry(make_contest(week), title="Nông nghiệp thông minh"), sao)
    _own(make_exhibitor(week21, "approved", "Sao Khuee"), typo)
    _own(make_profile(week21, "investor", "Quỹ Mekong"), mekong)
    return {"week": week, "week21": week21, "sao": sao, "typo": typo, "mekong": mekong, "hanoi": hanoi}


@pytest.fixture
def organizer(client, series):
    user = make_user("organizer")
    login(client, user)
    return user


def _page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    return response.get_data(as_text=True)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_only_the_department_s_organizers_see_the_pages(app, client, series):
    event_organizer = make_user("participant")
    grant_event_role(event_organizer, series["week"], "organizer")
    urls = ["/organizations", "/organizations/duplicates", f"/organizations/{series['sao'].id}",
            f"/organizations/{series['sao'].id}/merge"]
    for url in urls:
        assert client.get(url).status_code == 302  # to the log-in page
    for user in (make_user("participant"), make_user("staff"), make_user("investor"), event_organizer):
        other = app.test_client()
        login(other, user)
        assert all(other.get(url).status_code == 403 for url in urls), user.role
        assert other.post(f"/organizations/{series['typo'].id}/merge",
                          data={"into": series["sao"].id, "confirm": "yes"}).status_code == 403
    assert db.session.get(Organization, series["typo"].id).merged_into_id is None
    organizer = app.test_client()
    login(organizer, make_user("organizer"))
    assert all(organizer.get(url).status_code == 200 for url in urls)
    assert 'href="/organizations"' in _page(organizer, "/events/tuan-le-2020")  # the menu link
    assert 'href="/organizations"' not in _page(other, "/events/tuan-le-2020")


def test_the_list_shows_kinds_tax_codes_and_events_in_words(client, organizer, series):
    page = _page(client, "/organizations")
    text = _text(page)
    assert "Khởi nghiệp" in text and "Nhà đầu tư" in text and "Tổ chức khác" in text
    assert 'data-kind="startup"' in page and ">startup<" not in page and ">investor<" not in page
    assert "0314409058" in text
    row = re.search(rf'data-org="{series["sao"].id}".*?</li>', page, re.S).group(0)
    assert "Tuần lễ Khởi nghiệp 2020" in row and "tuan-le-2020" not in _text(row)
    assert "4 tổ chức" in text
    assert re.search(r'Có thể trùng nhau\s*<span class="badge[^"]*">1<', page)  # Sao Khuê / Sao Khuee
    english = _text(_page(client, "/organizations?lang=en"))
    assert "Startup" in english and "Investor" in english and "Other organization" in english


@pytest.mark.parametrize("query, found", [
    ("q=sao+khue", ["Sao Khuê", "Sao Khuee"]),
    ("q=SAO+KHUÊ", ["Sao Khuê", "Sao Khuee"]),
    ("q=mekong", ["Quỹ Đầu tư Mekong"]),
    ("q=0314409058", ["Sao Khuê"]),
    ("kind=investor", ["Quỹ Đầu tư Mekong"]),
    ("kind=other", ["Đại học Bách khoa"]),
    ("q=khue&kind=investor", []),
])
def test_search_ignores_accents_and_filters_by_kind(client, organizer, series, query, found):
    page = _page(client, f"/organizations?{query}")
    names = re.findall(r'<a class="fw-semibold" href="/organizations/\d+">([^<]+)</a>', page)
    assert [n for n in names] == [n for n in names if any(f in n for f in found)]
    assert len(names) == len(found), names


def test_pages_of_fifty(client, organizer, series):
    for n in range(55):
        organizations.resolve(f"Doanh nghiệp Thử {n:03d}", kind="other")
    db.session.commit()
    first = _page(client, "/organizations?q=thu")
    assert first.count('class="list-group-item" data-org=') == 50
    assert re.search(r'href="/organizations\?(page=2&amp;q=thu|q=thu&amp;page=2)"', first)
    second = _page(client, "/organizations?q=thu&page=2")
    assert second.count('class="list-group-item" data-org=') == 5


@pytest.mark.parametrize("url", [
    "/organizations?page=abc", "/organizations?page=-3", "/organizations?page=99999999999",
    "/organizations?kind=startupx", "/organizations?q=" + "%" * 500, "/organizations?q=%00%27",
    "/organizations/99999", "/organizations/2147483647/merge",
])
def test_no_input_gives_a_server_error(client, organizer, series, url):
    assert client.get(url).status_code in (200, 400, 404)  # a NUL byte is refused before any page


def test_the_history_page(client, organizer, series):
    sao = series["sao"]
    page = _page(client, f"/organizations/{sao.id}")
    text = _text(page)
    assert "Công ty TNHH Sao Khuê" in text and "Khởi nghiệp" in text and "0314409058" in text
    assert re.search(r'data-year="2020".*Tuần lễ Khởi nghiệp 2020.*Đã trưng bày', page, re.S)
    assert "Dự thi" in text and "Nông nghiệp thông minh" in text
    assert "1 hồ sơ gian hàng" in text and "1 bài dự thi" in text
    assert "2021" not in re.sub(r"\d{2}/\d{2}/\d{4}", "", text)  # nothing of it in 2021 yet


def _merge_form(client, org_id, **data):
    return client.post(f"/organizations/{org_id}/merge", data=data)


def test_merging_asks_first_then_moves_everything(client, organizer, series):
    sao, typo = series["sao"], series["typo"]
    found = _page(client, f"/organizations/{typo.id}/merge?q=sao+khue")
    assert f'data-org="{sao.id}"' in found and f'data-org="{typo.id}"' not in found  # never itself

    asked = _merge_form(client, typo.id, into=str(sao.id))
    assert asked.status_code == 200
    text = _text(asked.get_data(as_text=True))
    assert "Gộp “Sao Khuee” vào “Công ty TNHH Sao Khuê”?" in text
    assert "Những gì chuyển sang “Công ty TNHH Sao Khuê”: 1 hồ sơ gian hàng." in text
    assert db.session.get(Organization, typo.id).merged_into_id is None  # nothing yet

    done = _merge_form(client, typo.id, into=str(sao.id), confirm="yes")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/organizations/{sao.id}")
    assert db.session.get(Organization, typo.id).merged_into_id == sao.id
    assert {e.organization_id for e in db.session.scalars(db.select(Exhibitor))} == {sao.id}
    page = _page(client, f"/organizations/{sao.id}")
    assert "Đã gộp “Sao Khuee” vào “Công ty TNHH Sao Khuê”: mọi thứ" in _text(page)  # the flash message
    former = re.search(r'id="former-names".*?</ul>', page, re.S).group(0)
    assert "Sao Khuee" in former
    assert re.search(r'data-year="2021".*Tuần lễ Khởi nghiệp 2021', page, re.S)  # its history came along

    merged = _page(client, f"/organizations/{typo.id}")
    assert re.search(rf'id="merged-into".*href="/organizations/{sao.id}"', merged, re.S)
    assert "Gộp vào…" not in _text(merged)  # a merged record is merged no further
    again = _merge_form(client, typo.id, into=str(series["mekong"].id), confirm="yes")
    assert again.status_code == 302
    assert db.session.get(Organization, typo.id).merged_into_id == sao.id


@pytest.mark.parametrize("into, words", [
    ("", "Trường này là bắt buộc"),
    ("abc", "Nhập số hồ sơ của tổ chức"),
    ("-5", "Nhập số hồ sơ của tổ chức"),
    ("99999999999999", "Nhập số hồ sơ của tổ chức"),
    ("99999", "Không có tổ chức nào mang số hồ sơ này"),
    ("self", "Đây chính là tổ chức này"),
])
def test_a_wrong_choice_is_said_at_the_field(client, organizer, series, into, words):
    typo = series["typo"]
    response = _merge_form(client, typo.id, into=str(typo.id) if into == "self" else into, confirm="yes")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'id="into-error">(.*?)</div>', page, re.S)
    assert error and words in error.group(1), page[-3000:]
    assert db.session.get(Organization, typo.id).merged_into_id is None


def test_the_duplicates_page_keeps_one_side(client, organizer, series):
    sao, typo = series["sao"], series["typo"]
    page = _page(client, "/organizations/duplicates")
    pair = re.search(r'<section class="card mb-3 org-pair".*?</section>', page, re.S).group(0)
    text = _text(pair)
    assert "Công ty TNHH Sao Khuê" in text and "Sao Khuee" in text and "0314409058" in text
    assert "Tuần lễ Khởi nghiệp 2020" in text and "Tuần lễ Khởi nghiệp 2021" in text
    assert "1 bài dự thi" in text and "Giữ bên trái" in text and "Giữ bên phải" in text
    assert "Không phải một" in text
    left, right = (int(x) for x in re.search(r'data-left="(\d+)" data-right="(\d+)"', pair).groups())
    assert {left, right} == {sao.id, typo.id}
    keep_left = client.post(f"/organizations/{right}/merge",
                            data={"into": left, "confirm": "yes", "back": "duplicates"})
    assert keep_left.headers["Location"].endswith("/organizations/duplicates")
    assert db.session.get(Organization, right).merged_into_id == left
    after = _text(_page(client, "/organizations/duplicates"))
    assert "Đã gộp" in after and "Không còn cặp nào có thể trùng" in after


def test_not_the_same_hides_the_pair(client, organizer, series):
    sao, typo = series["sao"], series["typo"]
    response = client.post(f"/organizations/{sao.id}/distinct", data={"other": typo.id})
    assert response.status_code == 302
    assert db.session.scalar(db.select(DistinctPair)) is not None
    after = _text(_page(client, "/organizations/duplicates"))
    assert "là hai tổ chức khác nhau" in after and "Không còn cặp nào có thể trùng" in after
    assert db.session.get(Organization, typo.id).merged_into_id is None
    badge = r'Có thể trùng nhau\s*<span class="badge[^"]*">{}<'
    assert re.search(badge.format(0), _page(client, "/organizations"))  # the count follows the decision
    _org("Quỹ Đầu tư Mekong Group", "investor")  # and a new look-alike
    assert re.search(badge.format(1), _page(client, "/organizations"))
    for other in ("", "abc", "99999", str(sao.id)):
        refused = client.post(f"/organizations/{sao.id}/distinct", data={"other": other})
        assert refused.status_code == 302  # back to the page, with the reason said there


def test_the_buttons_need_their_csrf_token(app, client, organizer, series):
    sao, typo = series["sao"], series["typo"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        forged = client.post(f"/organizations/{typo.id}/merge",
                             data={"into": sao.id, "confirm": "yes", "back": "duplicates"})
        assert forged.status_code == 400
        assert db.session.get(Organization, typo.id).merged_into_id is None
        page = _page(client, "/organizations/duplicates")
        form = re.search(rf'<form method="post" action="/organizations/{typo.id}/merge">(.*?)</form>', page,
                         re.S).group(1)
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
        assert client.post(f"/organizations/{typo.id}/merge", data=fields).status_code == 302
        assert db.session.get(Organization, typo.id).merged_into_id == sao.id
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_pages_run_as_many_queries_for_many_organizations(client, organizer, series,
                                                             count_queries):  # noqa: F811
    def counted(url):
        _page(client, url)  # once first: the duplicates count is worked out again after a change
        with count_queries() as queries:
            _page(client, url)
        return queries.count

    urls = ["/organizations", "/organizations/duplicates", f"/organizations/{series['sao'].id}"]
    few = [counted(url) for url in urls]
    for n in range(20):
        org = _org(f"Công ty Thử Nghiệm {n}")
        _own(make_exhibitor(series["week"], "approved", org.name), org)
        _own(make_profile(series["week21"], "startup", org.name), org)
        _org(f"Cong ty Thu Nghiem {n} Group")  # a look-alike of each
    many = [counted(url) for url in urls]
    assert many == few


def test_the_list_s_duplicates_count_is_kept_when_a_registrant_s_employer_is_added(
        client, organizer, series, monkeypatch):
    from eventhub.organizations import views

    calls = []
    counting = organizations.likely_duplicates
    monkeypatch.setattr(views, "_counted", {})
    monkeypatch.setattr(organizations, "likely_duplicates", lambda **kw: calls.append(1) or counting(**kw))
    _page(client, "/organizations")
    _page(client, "/organizations")
    assert len(calls) == 1
    _org("Đại học Kinh tế", "other")  # each registration may name a new employer: the count stays
    _page(client, "/organizations")
    assert len(calls) == 1
    _org("Sao Khuê Labs")  # a new startup: counted again
    _page(client, "/organizations")
    assert len(calls) == 2
