"""Organizers correct an organization – its name, kind and tax code – on its page and through the API, the
audit log says who did and which form a typed tax code came from; a name folding longer than its column
on the public registration form; erasing the only registration naming an employer removes its record."""

from __future__ import annotations

import re

import pytest

from eventhub.extensions import db as _db
from eventhub.organizations import services
from eventhub.organizations.models import DistinctPair, Organization
from eventhub.registration import services as registration
from eventhub.registration.models import Registration
from tests.booths.factories import apply, hall_event, startup
from tests.factories import login, make_type, make_user, open_event, register, token_headers

MST = "0314409058"
OTHER_MST = "0100112437"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def orgs(db):
    nong = services.resolve("Nông Sạch", MST, kind="startup")
    khue = services.resolve("Sao Khuê", OTHER_MST, kind="startup")
    _db.session.commit()
    return {"nong": nong, "khue": khue}


def test_the_page_corrects_an_organization(client, orgs):
    login(client, make_user("organizer"))
    nong = orgs["nong"]
    show = client.get(f"/organizations/{nong.id}?lang=vi").get_data(as_text=True)
    assert f'href="/organizations/{nong.id}/edit"' in show and "Loại tổ chức" in show
    form = client.get(f"/organizations/{nong.id}/edit?lang=vi")
    page = form.get_data(as_text=True)
    assert form.status_code == 200 and f'value="{MST}"' in page and "Loại tổ chức" in page
    taken = client.post(f"/organizations/{nong.id}/edit?lang=vi",
                        data={"name": "Nông Sạch", "kind": "startup", "tax_code": OTHER_MST})
    error = re.search(r'id="tax_code-error">(.*?)</div>', taken.get_data(as_text=True), re.S)
    assert taken.status_code == 422 and error and "Sao Khuê" in error.group(1)
    wrong = client.post(f"/organizations/{nong.id}/edit?lang=vi",
                        data={"name": "Nông Sạch", "kind": "startup", "tax_code": "0314409059"})
    assert wrong.status_code == 422 and 'id="tax_code-error"' in wrong.get_data(as_text=True)
    saved = client.post(f"/organizations/{nong.id}/edit?lang=vi",
                        data={"name": "Nông Nghiệp Sạch", "kind": "investor", "tax_code": ""})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/organizations/{nong.id}")
    _db.session.expire_all()
    assert (nong.name, nong.kind.value, nong.tax_code) == ("Nông Nghiệp Sạch", "investor", None)
    shown = _text(client.get(f"/organizations/{nong.id}?lang=vi").get_data(as_text=True))
    assert "Đã lưu tổ chức “Nông Nghiệp Sạch”" in shown and "Nhà đầu tư" in shown


def test_the_api_patches_an_organization(client, orgs):
    headers = token_headers(make_user("organizer"))
    url = f"/api/v1/organizations/{orgs['nong'].id}"
    response = client.patch(url, json={"tax_code": "MST 0314-409-058", "kind": "investor"}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"id": orgs["nong"].id, "name": "Nông Sạch", "kind": "investor",
                                   "events": [], "tax_code": MST}
    response = client.patch(url, json={"tax_code": None, "name": "Nông Sạch Farm"}, headers=headers)
    assert response.get_json() == {"id": orgs["nong"].id, "name": "Nông Sạch Farm", "kind": "investor",
                                   "events": []}
    taken = client.patch(url, json={"tax_code": OTHER_MST}, headers={**headers, "Accept-Language": "en"})
    assert taken.status_code == 409 and taken.get_json()["error"] == {
        "code": "tax_code_taken", "message": f"“Sao Khuê” (no. {orgs['khue'].id}) has this tax code.",
        "organization_id": orgs["khue"].id}
    for body in ({"tax_code": "12"}, {"name": ""}, {"name": "x" * 201}, {"kind": "fund"}, {"name": 5},
                 {"name": "   "}):
        response = client.patch(url, json=body, headers=headers)
        assert response.status_code == 422 and response.get_json()["error"]["fields"], body
    assert client.patch("/api/v1/organizations/999999", json={}, headers=headers).status_code == 404
    assert client.patch(url, json={"name": "A"}).status_code == 401
    assert client.patch(url, json={"name": "A"}, headers=token_headers(make_user("staff"))).status_code == 403
    assert services.get(orgs["nong"].id).name == "Nông Sạch Farm"


def test_the_event_s_audit_log_says_who_typed_a_tax_code_and_in_which_application(client, db):
    event = hall_event(registration_open=True)
    apply(event, organization="Nông Sạch")
    second = apply(event, startup(full_name="Lê Thị Nông"), organization="CTCP Nông Sạch", tax_code=MST)
    organizer = make_user("organizer", full_name="Phạm Quỳnh Trúc")
    services.update(services.get(second.organization_id), actor=organizer, tax_code=OTHER_MST)
    login(client, organizer)
    vi = _text(client.get(f"/events/{event.slug}/audit?lang=vi").get_data(as_text=True))
    assert (f"Lê Thị Nông nhập mã số thuế {MST} trong hồ sơ gian hàng số {second.id}: "
            f"tổ chức “Nông Sạch” nhận mã này") in vi
    en = _text(client.get(f"/events/{event.slug}/audit?lang=en").get_data(as_text=True))
    assert f"typed the tax code {MST} in the booth application no. {second.id}" in en


def test_a_name_folding_longer_than_its_column_on_the_public_form(client, db):
    event = open_event(slug="ngay-hoi")
    make_type(event, code="visitor")
    for name in ("ﬃ" * 70, "⑽" * 100):
        page = client.post(f"/events/{event.slug}/register/visitor",
                           data={"full_name": "Trần Văn Khách", "email": f"k{len(name)}@example.vn",
                                 "phone": "0912345678", "organization": name, "consent": "y"})
        assert page.status_code == 302, page.get_data(as_text=True)[:300]
    keys = list(_db.session.scalars(_db.select(Organization.name_key)))
    assert len(keys) == 2 and all(len(key) <= 200 for key in keys)


# --- erasure -----------------------------------------------------------------------------------------------

def _exists(org_id: int) -> bool:
    _db.session.expire_all()
    return _db.session.get(Organization, org_id) is not None


def test_erasing_the_only_registration_naming_an_employer_removes_it(db):
    event = open_event()
    rtype = make_type(event)
    secret, _token = register(event, rtype, organization="Công ty Bí Mật")
    shared, _token = register(event, rtype, organization="Đại học Bách khoa")
    colleague, _token = register(event, rtype, organization="DAI HOC BACH KHOA")
    alone = secret.organization_id
    other = services.resolve("Bí Mật Holdings", kind="startup")
    _db.session.add(DistinctPair(low_id=min(alone, other.id), high_id=max(alone, other.id)))
    _db.session.commit()
    registration.erase_personal_data(secret)
    assert not _exists(alone) and _exists(other.id)
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(DistinctPair)) == 0
    registration.erase_personal_data(shared)  # a colleague's registration still names it
    assert _exists(colleague.organization_id)
    assert _db.session.get(Registration, shared.id).organization_id is None


def test_an_organization_something_else_holds_is_kept(db):
    event = hall_event(registration_open=True)
    reg, _token = register(event, make_type(event), organization="Nông Sạch")
    org_id = reg.organization_id
    apply(event, organization="Nông Sạch")  # a booth application of the same organization
    merged, _token = register(event, make_type(event), organization="Học Vui")
    survivor = services.resolve("Học Vui Labs", kind="startup")
    _db.session.commit()
    services.merge(services.get(merged.organization_id), survivor)
    _db.session.expire_all()
    registration.erase_personal_data(reg)
    assert _exists(org_id)
    registration.erase_personal_data(_db.session.get(Registration, merged.id))
    assert _exists(survivor.id)  # "Học Vui" was merged into it: the name still leads there
