"""Organizations' keys and texts within their columns however a name folds, a tax code typed on a form for a
name a merge taught, the audit entry saying who typed a code an organization took, and organizers'
corrections of the name, kind and tax code."""

from __future__ import annotations

import pytest

from eventhub.audit.models import AuditEntry
from eventhub.errors import ValidationError
from eventhub.extensions import db as _db
from eventhub.organizations import services
from eventhub.organizations.errors import NameTaken, OrganizationMerged, TaxCodeTaken
from eventhub.organizations.models import (
    NAME_KEY_LENGTH,
    NAME_LENGTH,
    SEARCH_TEXT_LENGTH,
    Organization,
    OrganizationKind,
)
from tests.booths.factories import apply, hall_event, startup
from tests.factories import make_user

MST = "0314409058"
OTHER_MST = "0100112437"


def _count() -> int:
    return _db.session.scalar(_db.select(_db.func.count()).select_from(Organization))


def _entries(action: str) -> list[AuditEntry]:
    return list(_db.session.scalars(_db.select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)))


# --- lengths -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ﬃ" * 70, "⑽" * 100, "Công ty TNHH " + "ﬃ " * 62, "x" * 500])
def test_a_name_folding_longer_than_its_column_is_cut_to_it(db, name):
    org = services.resolve(name, kind="startup")
    _db.session.commit()  # PostgreSQL refused a key longer than varchar(200): a 500 on every form
    assert len(org.name_key) <= NAME_KEY_LENGTH and len(org.name) <= NAME_LENGTH
    assert len(org.search_text) <= SEARCH_TEXT_LENGTH
    assert services.resolve(name) is org  # the cut key finds it again
    assert _count() == 1


def test_merge_after_merge_the_search_text_stays_bounded_and_keeps_the_name_and_code(db):
    survivor = services.resolve("Nông Nghiệp Sạch Việt", kind="startup")
    _db.session.commit()
    for n in range(12):
        old = services.resolve(f"Tên cũ thứ {n} của Nông Nghiệp Sạch Việt, viết rất dài dòng", kind="startup")
        _db.session.commit()
        services.merge(old, survivor)
        assert len(survivor.search_text) <= SEARCH_TEXT_LENGTH
    # a full text still takes the code it is given later, and organizers find it by that code
    assert services.resolve("Nông Nghiệp Sạch Việt JSC", MST) is survivor
    _db.session.commit()
    assert len(survivor.search_text) <= SEARCH_TEXT_LENGTH
    assert services.search(MST)[0] == [survivor]
    assert services.search("nong nghiep sach viet")[0] == [survivor]
    assert services.search("ten cu thu 0")[0] == [survivor]  # the first former names are still there


# --- a tax code for a name a merge taught ---------------------------------------------------------------

def _merged_nong_sach(into_code: str | None = None):
    old = services.resolve("Nông Sạch", kind="startup")
    into = services.resolve("Nông Nghiệp Sạch Việt", into_code, kind="startup")
    _db.session.commit()
    services.merge(old, into)
    return old, into


def test_a_merged_name_typed_with_a_tax_code_leads_to_the_survivor(db):
    _old, into = _merged_nong_sach()
    assert services.resolve("CTCP Nông Sạch", MST, kind="startup") is into  # not a new organization
    _db.session.commit()
    assert into.tax_code == MST and _count() == 2
    assert services.resolve("Nong Sach") is into and services.resolve("", MST) is into


def test_a_merged_name_whose_survivor_has_another_code_is_another_organization(db):
    _old, into = _merged_nong_sach(OTHER_MST)
    other = services.resolve("Nông Sạch", MST, kind="startup")
    _db.session.commit()
    assert other is not into and other.tax_code == MST and into.tax_code == OTHER_MST
    assert _count() == 3


def test_re_saving_an_application_after_the_merge_keeps_it_with_the_survivor(db):
    event = hall_event(registration_open=True)
    exhibitor = apply(event, organization="Nông Sạch")
    into = services.resolve("Nông Nghiệp Sạch Việt", kind="startup")
    _db.session.commit()
    services.merge(services.get(exhibitor.organization_id), into)
    from eventhub.booths import services as booths

    booths.update_application(exhibitor, organization="Nông Sạch", sector="ai", size="standard",
                              tax_code=MST)
    assert exhibitor.organization_id == into.id and into.tax_code == MST


# --- who typed the code ---------------------------------------------------------------------------------

def test_an_organization_taking_a_typed_tax_code_is_audited_with_the_form_it_came_from(db):
    event = hall_event(registration_open=True)
    first = apply(event, organization="Nông Sạch")
    founder = startup()
    second = apply(event, founder, organization="CTCP Nông Sạch", tax_code="MST 0314 409 058")
    assert second.organization_id == first.organization_id
    [entry] = _entries("organization.tax_code_set")
    assert entry.object_type == "organization" and entry.object_id == str(first.organization_id)
    assert entry.actor_id == founder.id and entry.event_id == event.id
    assert entry.changes == {"tax_code": MST, "source": "exhibitors", "source_id": second.id}
    # a code that makes a new organization, or one the organization already has, is no such entry
    apply(event, organization="Học Vui", tax_code=OTHER_MST)
    apply(event, organization="Nông Sạch Farm", tax_code=MST)
    assert len(_entries("organization.tax_code_set")) == 1


# --- organizers' corrections ------------------------------------------------------------------------------

def test_an_organizer_corrects_the_tax_code_and_it_is_audited(db):
    organizer = make_user("organizer")
    org = services.resolve("Nông Sạch", MST, kind="startup")
    _db.session.commit()
    services.update(org, actor=organizer, tax_code="MST: 0100 112 437")
    assert org.tax_code == OTHER_MST
    assert services.search(OTHER_MST)[0] == [org] and services.search(MST)[0] == []
    assert services.resolve("Khác hẳn", MST) is not org  # the wrong code no longer leads to it
    services.update(org, actor=organizer, tax_code="")
    assert org.tax_code is None
    [corrected, cleared] = _entries("organization.updated")
    assert corrected.actor_id == organizer.id and corrected.object_id == str(org.id)
    assert corrected.changes == {"tax_code": [MST, OTHER_MST]}
    assert cleared.changes == {"tax_code": [OTHER_MST, None]}


def test_an_organizer_renames_and_changes_the_kind(db):
    org = services.resolve("NONG SACH", kind="other")
    _db.session.commit()
    services.update(org, name="  Công ty CP   Nông Nghiệp Sạch ", kind="investor")
    assert (org.name, org.name_key, org.kind) == ("Công ty CP Nông Nghiệp Sạch", "nong nghiep sach",
                                                 OrganizationKind.investor)
    assert services.search("nong nghiep")[0] == [org]
    assert services.resolve("Nông Nghiệp Sạch JSC") is org
    [entry] = _entries("organization.updated")
    assert entry.changes == {"name": ["NONG SACH", "Công ty CP Nông Nghiệp Sạch"],
                             "kind": ["other", "investor"]}
    services.update(org, name="Công ty CP Nông Nghiệp Sạch")  # nothing changes: no entry
    assert len(_entries("organization.updated")) == 1


@pytest.mark.parametrize("values, field", [
    ({"tax_code": "0314409059"}, "tax_code"), ({"tax_code": 314409058}, "tax_code"),
    ({"name": "   "}, "name"), ({"name": "x" * 201}, "name"), ({"name": None}, "name"),
    ({"kind": "fund"}, "kind"), ({"kind": ["startup"]}, "kind"),
])
def test_a_wrong_value_is_the_field_s_error(db, values, field):
    org = services.resolve("Nông Sạch", kind="startup")
    _db.session.commit()
    with pytest.raises(ValidationError) as caught:
        services.update(org, **values)
    assert list(caught.value.fields) == [field]
    assert _entries("organization.updated") == []


def test_a_code_or_name_another_organization_has_is_a_conflict(db):
    taxed = services.resolve("Sao Khuê", MST, kind="startup")
    untaxed = services.resolve("Học Vui", kind="startup")
    org = services.resolve("Nông Sạch", kind="startup")
    _db.session.commit()
    with pytest.raises(TaxCodeTaken) as caught:
        services.update(org, tax_code=MST)
    assert caught.value.status == 409 and "tax_code" in caught.value.fields
    with pytest.raises(NameTaken) as caught:
        services.update(org, name="HỌC VUI")
    assert caught.value.status == 409 and "name" in caught.value.fields
    # the name of a taxed one is fine (two companies may share a name), as is an organization's own code
    services.update(org, name="Sao Khuê")
    services.update(taxed, tax_code=MST)
    with pytest.raises(NameTaken) as caught:  # without its code it would be a second untaxed "Sao Khuê"
        services.update(taxed, tax_code=None)
    assert "tax_code" in caught.value.fields
    _db.session.expire_all()
    assert (taxed.tax_code, org.name, untaxed.name) == (MST, "Sao Khuê", "Học Vui")


def test_a_merged_organization_is_not_corrected(db):
    old, _into = _merged_nong_sach()
    with pytest.raises(OrganizationMerged):
        services.update(old, name="Nông Sạch mới")
