"""Organizations' services: one record per organization however its name is written, the tax code first,
the kind that only rises, search in Vietnamese order, and two people making the same new one at once."""

from __future__ import annotations

import pytest

from eventhub.extensions import db as _db
from eventhub.organizations import services
from eventhub.organizations.models import Organization, OrganizationKind
from eventhub.vietnamese import collation_key
from tests.support.racing import race

SAO_KHUE_MST = "0314409058"  # valid check digit
OTHER_MST = "0100112437"


def _count() -> int:
    return _db.session.scalar(_db.select(_db.func.count()).select_from(Organization))


def test_names_written_differently_are_one_organization(db):
    first = services.resolve("Công ty TNHH Sao Khuê", kind="startup")
    for name in ("SAO KHUÊ", "Sao Khue Co., Ltd", "  CTCP  Sao Khuê ", "Sao Khuê JSC"):
        assert services.resolve(name) is first, name
    assert services.resolve("Sao Mai") is not first
    db.session.commit()
    assert _count() == 2
    assert first.name == "Công ty TNHH Sao Khuê"  # the name as first written, kept as people see it
    assert first.name_key == "sao khue"


def test_blank_names_make_nothing(db):
    assert services.resolve(None) is None
    assert services.resolve("   ") is None
    assert services.resolve("", "123") is None  # not a valid tax code either
    assert _count() == 0


def test_a_tax_code_alone_is_enough(db):
    org = services.resolve("", "MST: 0314 409 058")
    assert org is not None and org.tax_code == SAO_KHUE_MST and org.name == SAO_KHUE_MST


def test_the_tax_code_comes_before_the_name(db):
    taxed = services.resolve("Sao Khuê", SAO_KHUE_MST, kind="startup")
    # Another name, the same code: the same organization.
    assert services.resolve("Phần mềm SK", "0314-409-058") is taxed
    # The same name with another code: another company that happens to share the name.
    other = services.resolve("Sao Khuê", OTHER_MST)
    assert other is not taxed and other.tax_code == OTHER_MST
    # The name alone leads to the oldest of them.
    assert services.resolve("sao khue") is taxed


def test_an_untaxed_organization_takes_the_code_given_later(db):
    untaxed = services.resolve("Công ty CP Nông Sạch")
    db.session.commit()
    assert untaxed.tax_code is None
    assert services.resolve("Nông Sạch JSC", SAO_KHUE_MST) is untaxed
    db.session.commit()
    assert untaxed.tax_code == SAO_KHUE_MST and _count() == 1
    assert SAO_KHUE_MST in untaxed.search_text  # organizers find it by its code too


def test_the_name_prefers_the_record_without_a_code(db):
    taxed = services.resolve("Học Vui", SAO_KHUE_MST)
    # A second "Học Vui" without a code is made only when none exists; with a taxed one it is that one.
    assert services.resolve("HỌC VUI") is taxed
    untaxed = Organization(name="Học Vui", name_key="hoc vui", search_text="hoc vui")
    db.session.add(untaxed)
    db.session.commit()
    assert services.resolve("Hoc Vui") is untaxed


def test_the_kind_only_rises(db):
    org = services.resolve("Đại học Bách khoa")
    assert org.kind == OrganizationKind.other
    services.resolve("Đại học Bách khoa", kind="startup")
    assert org.kind == OrganizationKind.startup
    services.resolve("Đại học Bách khoa", kind="other")
    services.resolve("Đại học Bách khoa", kind="investor")
    assert org.kind == OrganizationKind.startup


def test_a_merged_name_leads_to_the_survivor(db):
    old = services.resolve("Ví Xanh")
    survivor = services.resolve("GreenWallet", OTHER_MST)
    db.session.commit()
    services.merge(old, survivor)
    assert services.resolve("VÍ XANH") == survivor
    assert services.get_live(old.id) == survivor
    assert _count() == 2  # nothing new made


def test_two_people_naming_a_new_organization_at_once_make_one(app, db):
    def job():
        org = services.resolve("Công ty TNHH Giải Pháp Mới", kind="startup")
        _db.session.commit()
        return org.id

    for _round in range(3):
        outcomes = race(app, [job, job, job])
        assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int), outcomes
    assert _count() == 1


def test_two_people_giving_the_same_new_tax_code_at_once_make_one(app, db):
    names = iter(["Công ty A", "Công ty B"])

    def job():
        org = services.resolve(next(names), SAO_KHUE_MST)
        _db.session.commit()
        return org.id

    outcomes = race(app, [job, job])
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int), outcomes


def test_search_ignores_diacritics_and_sorts_in_vietnamese_order(db):
    names = ["Đông Á", "Dược Hậu Giang", "Ánh Dương", "An Khang", "Âu Lạc", "Zeta Labs", "Bình Minh"]
    for name in names:
        services.resolve(name, kind="startup")
    services.resolve("Quỹ Mekong", kind="investor")
    db.session.commit()
    found, total = services.search(kind="startup", per_page=50)
    assert total == len(names)
    assert [org.name for org in found] == sorted(names, key=collation_key)
    assert [org.name for org in found][:3] == ["An Khang", "Ánh Dương", "Âu Lạc"]  # a, á, â as Vietnamese
    assert [org.name for org in services.search("dong a")[0]] == ["Đông Á"]
    assert [org.name for org in services.search("DƯỢC hau")[0]] == ["Dược Hậu Giang"]
    assert [org.name for org in services.search("quy", kind="investor")[0]] == ["Quỹ Mekong"]
    page, total = services.search(kind="startup", page=2, per_page=3)
    assert total == 7 and [org.name for org in page] == [org.name for org in found[3:6]]
    assert services.search("100%_")[0] == []  # LIKE's wildcards are only letters here


def test_search_sorts_companies_by_their_own_name_not_their_legal_form(db):
    # 150 exhibitors registered as "Công ty CP …" would otherwise all stand under C.
    for name in ["Công ty CP Mekong Green", "CTCP Ánh Dương Edu", "Zeta Labs JSC", "Bình Minh Farm",
                 "Công ty TNHH Đông Á Pay"]:
        services.resolve(name, kind="startup")
    db.session.commit()
    found, _total = services.search(kind="startup")
    assert [org.name for org in found] == ["CTCP Ánh Dương Edu", "Bình Minh Farm", "Công ty TNHH Đông Á Pay",
                                           "Công ty CP Mekong Green", "Zeta Labs JSC"]


def test_search_finds_former_names_and_hides_merged(db):
    old = services.resolve("Hạt Ngọc Labs")
    survivor = services.resolve("Pearl Seed", OTHER_MST)
    db.session.commit()
    services.merge(old, survivor)
    found, total = services.search("hat ngoc")
    assert found == [survivor] and total == 1


def test_an_unknown_kind_is_a_field_error(db):
    from eventhub.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.search(kind="fund")
    assert "kind" in caught.value.fields


def test_get_live_and_get(db):
    from eventhub.organizations.errors import OrganizationNotFound

    for bad in (0, -1, 2**40, "1", True, None):
        with pytest.raises(OrganizationNotFound):
            services.get_live(bad)
    org = services.resolve("Sài Gòn Tech")
    db.session.commit()
    assert services.get(org.id) is org and services.get_live(org.id) is org


def test_clean_tax_code(db):
    from eventhub.errors import ValidationError

    assert services.clean_tax_code(None) is None and services.clean_tax_code("  ") is None
    assert services.clean_tax_code("MST 0314409058-002") == "0314409058-002"
    for bad in ("0314409059", "abc", "1" * 60, 314409058):
        with pytest.raises(ValidationError) as caught:
            services.clean_tax_code(bad)
        assert caught.value.fields == {"tax_code": ["Mã số thuế không hợp lệ."]}
