"""The features' rows point to their organization: as they are made or changed through their services, in
bulk with link_all (the CLI), and for rows that existed before the migration (its backfill)."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade

from eventhub import create_app
from eventhub.booths.models import Exhibitor
from eventhub.errors import ValidationError
from eventhub.extensions import db as _db
from eventhub.matchmaking.models import Profile
from eventhub.organizations import services
from eventhub.organizations.models import Organization, OrganizationKind
from eventhub.registration import services as registration
from eventhub.registration.models import Registration
from tests.booths.factories import apply, hall_event
from tests.contests.factories import make_contest, make_entry
from tests.core.test_migrations import MIGRATIONS, _fresh_database_url
from tests.factories import make_type, open_event, register
from tests.matchmaking.factories import investor, startup
from tests.reports import conftest as reports_conftest

MST = "0314409058"
count_queries = reports_conftest.count_queries  # the fixture, shared with the reports' tests


def _org(row) -> Organization:
    return _db.session.get(Organization, row.organization_id)


def test_each_feature_links_what_it_makes(db):
    event = hall_event(registration_open=True)
    exhibitor = apply(event, organization="Công ty TNHH Sao Khuê")
    entry = make_entry(make_contest(event), organization="SAO KHUE JSC")
    reg, _token = register(event, make_type(event), organization="Sao Khuê")
    fund = investor(event, organization="Quỹ Đầu tư Mekong")
    team = startup(event, organization="sao khue co., ltd")
    assert exhibitor.organization_id == entry.organization_id == reg.organization_id == team.organization_id
    assert _org(exhibitor).kind == OrganizationKind.startup
    assert _org(fund).kind == OrganizationKind.investor and fund.organization_id != exhibitor.organization_id


def test_a_registrants_employer_is_other_and_a_blank_one_is_none(db):
    event = open_event()
    rtype = make_type(event)
    reg, _token = register(event, rtype, organization="Sở Khoa học và Công nghệ TP.HCM")
    assert _org(reg).kind == OrganizationKind.other
    blank, _token = register(event, rtype, organization="  ")
    assert blank.organization_id is None


def test_a_change_of_name_moves_the_link(db):
    event = open_event()
    reg, _token = register(event, make_type(event), organization="Công ty A")
    first = reg.organization_id
    registration.update_details(reg, full_name=reg.full_name, phone=None, organization="Công ty B",
                                answers={})
    assert reg.organization_id != first and _org(reg).name == "Công ty B"
    exhibitor = apply(hall_event(registration_open=True), organization="Nông Sạch")
    from eventhub.booths import services as booths

    booths.update_application(exhibitor, organization="Học Vui", sector="ai", size="standard",
                              tax_code=MST)
    assert _org(exhibitor).name == "Học Vui" and _org(exhibitor).tax_code == MST


def test_erasing_a_registration_forgets_its_organization(db):
    event = open_event()
    reg, _token = register(event, make_type(event), organization="Công ty A")
    registration.erase_personal_data(reg)
    assert reg.organization is None and reg.organization_id is None


def test_the_registration_hot_path_costs_one_select_for_a_known_organization(db, count_queries):
    event = open_event()
    rtype = make_type(event)
    register(event, rtype, organization="Công ty Cổ phần Sao Việt")
    register(event, rtype)  # warm
    with count_queries() as without:
        register(event, rtype)
    with count_queries() as known:
        reg, _token = register(event, rtype, organization="CTCP Sao Viet")
    assert reg.organization_id is not None
    assert known.count - without.count <= 1


def test_the_api_reads_a_known_organization_with_the_event_and_makes_a_new_one(db, count_queries):
    from eventhub.registration.services import event_with_type

    event = open_event()
    rtype = make_type(event)
    register(event, rtype, organization="Công ty Cổ phần Sao Việt")
    sao_viet = db.session.scalar(db.select(Organization).filter_by(name="Công ty Cổ phần Sao Việt"))

    def preloaded_register(organization):
        found = event_with_type(event.slug, rtype.code, organization)
        return registration.register(event, preloaded=found, type_code=rtype.code, full_name="Lê Văn Bình",
                                     email=f"k{organization.encode().hex()}@example.vn",
                                     organization=organization, consent=True)[0]

    preloaded_register("Học Vui")  # warm, and a new name: made at once
    made = db.session.scalar(db.select(Registration).filter_by(organization="Học Vui"))
    assert _org(made).name == "Học Vui"
    with count_queries() as known:
        reg = preloaded_register("CTCP Sao Viet")
    assert reg.organization_id == sao_viet.id
    with count_queries() as new:
        fresh = preloaded_register("Nông Sạch Đà Lạt")
    assert _org(fresh).name == "Nông Sạch Đà Lạt" and fresh.organization_id != sao_viet.id
    with count_queries() as none:
        preloaded_register("")
    assert known.count == none.count < new.count  # the known one spent no statement of its own


def test_tax_codes_are_stored_normalized_and_checked(db):
    event = hall_event(registration_open=True)
    exhibitor = apply(event, organization="Sao Khuê", tax_code="MST: 0314 409 058")
    assert exhibitor.tax_code == MST and _org(exhibitor).tax_code == MST
    with pytest.raises(ValidationError) as caught:
        apply(event, organization="Nông Sạch", tax_code="0314409059")
    assert "tax_code" in caught.value.fields
    profile = investor(event, organization="Quỹ A", tax_code="0100112437")
    assert profile.tax_code == "0100112437" and _org(profile).tax_code == "0100112437"
    with pytest.raises(ValidationError) as caught:
        startup(event, organization="Quỹ B", tax_code="12345")
    assert "tax_code" in caught.value.fields


def test_link_all_links_rows_made_before_and_is_idempotent(db):
    event = hall_event(registration_open=True)
    exhibitor = apply(event, organization="Công ty TNHH Sao Khuê")
    reg, _token = register(event, make_type(event), organization="SAO KHUÊ")
    fund = investor(event, organization="Quỹ Mekong")
    for row in (exhibitor, reg, fund):
        row.organization_id = None
    db.session.commit()
    _db.session.execute(_db.delete(Organization))
    db.session.commit()
    assert services.link_all() == 3
    assert services.link_all() == 0
    db.session.expire_all()
    assert exhibitor.organization_id == reg.organization_id != fund.organization_id
    assert _org(exhibitor).kind == OrganizationKind.startup and _org(fund).kind == OrganizationKind.investor


def test_the_cli_links(app, db):
    event = open_event()
    reg, _token = register(event, make_type(event), organization="Công ty A")
    reg.organization_id = None
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["organizations", "link"])
    assert result.exit_code == 0 and "1" in result.output
    db.session.expire_all()
    assert reg.organization_id is not None


def test_the_migration_links_rows_that_existed(database_url, tmp_path):
    """Rows made before the organizations' revision get one organization per folded name when it runs."""
    url, drop = _fresh_database_url(database_url, tmp_path)
    try:
        app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            event = hall_event(registration_open=True)
            apply(event, organization="Công ty TNHH Sao Khuê")
            register(event, make_type(event), organization="Sao Khue Co., Ltd")
            register(event, make_type(event), organization="Đại học Bách khoa")
            register(event, make_type(event), organization="ﬃ" * 70)  # folds to 210 letters
            investor(event, organization="Quỹ Mekong")
            _db.session.remove()
            downgrade(directory=MIGRATIONS, revision="c7e9a1b3d5f7")
            upgrade(directory=MIGRATIONS)
            _db.session.remove()
            orgs = {org.name: org for org in _db.session.scalars(_db.select(Organization))}
            assert set(orgs) == {"Công ty TNHH Sao Khuê", "Đại học Bách khoa", "Quỹ Mekong", "ﬃ" * 70}
            assert all(len(org.name_key) <= 200 for org in orgs.values())  # PostgreSQL: varchar(200)
            assert orgs["Công ty TNHH Sao Khuê"].kind == OrganizationKind.startup
            assert orgs["Quỹ Mekong"].kind == OrganizationKind.investor
            assert orgs["Đại học Bách khoa"].kind == OrganizationKind.other
            linked = {name: org_id for name, org_id in _db.session.execute(
                _db.select(Registration.organization, Registration.organization_id))}
            assert linked["Sao Khue Co., Ltd"] == orgs["Công ty TNHH Sao Khuê"].id
            khue = orgs["Công ty TNHH Sao Khuê"].id
            assert _db.session.scalar(_db.select(Exhibitor.organization_id)) == khue
            assert _db.session.scalar(_db.select(Profile.organization_id)) == orgs["Quỹ Mekong"].id
            _db.session.remove()
            _db.engine.dispose()
    finally:
        drop()


def test_the_booth_form_says_a_wrong_tax_code_next_to_the_field(client, db):
    import re

    from tests.booths.factories import startup as founder
    from tests.factories import login

    event = hall_event()
    user = founder()
    login(client, user)
    url = f"/events/{event.slug}/booth-application"
    data = {"organization": "Công ty CP Gạo Ngon", "sector": "agritech", "size": "standard",
            "tax_code": "0314409059"}
    html = client.post(url, data=data).get_data(as_text=True)
    error = re.search(r'id="tax_code-error"[^>]*>\s*([^<]+)<', html)
    assert error and error.group(1).strip() == "Mã số thuế không hợp lệ."
    assert _db.session.scalar(_db.select(Exhibitor).where(Exhibitor.user_id == user.id)) is None
    assert client.post(url, data={**data, "tax_code": "0314 409 058"}).status_code == 302
    exhibitor = _db.session.scalar(_db.select(Exhibitor).where(Exhibitor.user_id == user.id))
    assert exhibitor.tax_code == MST
    assert 'value="0314409058"' in client.get(url).get_data(as_text=True)  # shown again to edit


def test_ten_colleagues_registering_at_once_make_one_organization(app, db):
    from eventhub.events.models import Event
    from tests.support.racing import race

    event = open_event()
    rtype = make_type(event)

    def registering(n):
        def job():
            reg, _token = registration.register(_db.session.get(Event, event.id), type_code=rtype.code,
                                                full_name="Lê Văn Đồng Nghiệp", email=f"dong{n}@moi.vn",
                                                organization="Công ty TNHH Mới Toanh", consent=True,
                                                notify=False)
            return reg.organization_id
        return job

    outcomes = race(app, [registering(n) for n in range(10)])
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int), outcomes
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Organization)) == 1
