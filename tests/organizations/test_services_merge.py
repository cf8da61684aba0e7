"""Merging what the matching missed: everything moves to the survivor (whatever table points to
organizations), the figures follow, the refusals are 409s; likely duplicates and "not the same"."""

from __future__ import annotations

import pytest

from eventhub.audit.models import AuditEntry
from eventhub.extensions import db as _db
from eventhub.organizations import services
from eventhub.organizations.errors import MergeIntoItself, OrganizationMerged, SameOrganization
from eventhub.organizations.models import DistinctPair, Organization, OrganizationKind
from eventhub.reports.distinct import distinct_figures
from tests.booths.factories import apply, hall_event
from tests.contests.factories import make_contest, make_entry
from tests.factories import make_type, make_user, register
from tests.matchmaking.factories import startup
from tests.support.racing import race

MST = "0314409058"


@pytest.fixture
def two(db):
    """"Nông Sạch" and "Nông Nghiệp Sạch Việt" are one startup the matching could not join: each has an
    exhibitor application, a contest entry, a matchmaking profile and a registration at one event."""
    event = hall_event(registration_open=True)
    contest, rtype = make_contest(event), make_type(event)
    rows = {}
    for name in ("Nông Sạch", "Nông Nghiệp Sạch Việt"):
        rows[name] = [apply(event, organization=name), make_entry(contest, organization=name),
                      startup(event, organization=name), register(event, rtype, organization=name)[0]]
    old = services.get(rows["Nông Sạch"][0].organization_id)
    into = services.get(rows["Nông Nghiệp Sạch Việt"][0].organization_id)
    return {"event": event, "old": old, "into": into, "rows": rows}


def _ids(rows) -> set:
    for row in rows:
        _db.session.refresh(row)
    return {row.organization_id for row in rows}


def test_a_merge_moves_every_row_to_the_survivor(two):
    old, into = two["old"], two["into"]
    actor = make_user("organizer")
    survivor = services.merge(old, into, actor=actor)
    assert survivor is into
    assert _ids(two["rows"]["Nông Sạch"]) == _ids(two["rows"]["Nông Nghiệp Sạch Việt"]) == {into.id}
    assert old.merged_into_id == into.id and old.merged_at is not None
    assert "nong sach" in into.search_text  # found by its former name
    entry = _db.session.scalar(_db.select(AuditEntry).where(AuditEntry.action == "organization.merged"))
    assert entry.object_id == str(into.id) and entry.actor_id == actor.id
    assert entry.changes == {"merged_id": old.id, "merged_name": "Nông Sạch"}


def test_the_distinct_counts_follow_a_merge(two):
    before = distinct_figures([two["event"].id])
    assert before["exhibitors"] == 2
    services.merge(two["old"], two["into"])
    after = distinct_figures([two["event"].id])
    assert after["exhibitors"] == 1


def test_the_tax_code_and_kind_go_to_the_survivor(db):
    old = services.resolve("Sao Khuê", MST, kind="startup")
    into = services.resolve("Phần mềm SK")
    db.session.commit()
    services.merge(old, into)
    assert into.tax_code == MST and into.kind == OrganizationKind.startup
    assert services.resolve("", MST) is into  # the code leads to the survivor now
    # A survivor with a code of its own keeps it; the merged one's still leads to it.
    other = services.resolve("Sao Khuê Hà Nội", "0100112437")
    db.session.commit()
    services.merge(into, other)
    assert other.tax_code == "0100112437"
    assert services.resolve("x", MST) is other


def test_organizations_merged_before_follow_a_second_merge(db):
    a, b, c = (services.resolve(name) for name in ("Alpha", "Beta", "Gamma"))
    db.session.commit()
    services.merge(a, b)
    services.merge(b, c)
    db.session.refresh(a)
    assert a.merged_into_id == c.id  # re-pointed: one hop to the survivor
    assert services.resolve("alpha") is c


def test_a_table_added_later_moves_too(db):
    """The rows to move are found from the foreign keys, so a feature's new table needs no change here."""
    import sqlalchemy as sa

    table = sa.Table("org_notes_test", _db.metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("organization_id", sa.ForeignKey("organizations.id")))
    try:
        table.create(_db.engine)
        old, into = services.resolve("Cũ"), services.resolve("Mới")
        db.session.commit()
        _db.session.execute(table.insert().values(id=1, organization_id=old.id))
        db.session.commit()
        services.merge(old, into)
        assert _db.session.scalar(sa.select(table.c.organization_id)) == into.id
    finally:
        _db.session.rollback()
        table.drop(_db.engine)
        _db.metadata.remove(table)


def test_refusals(db):
    a, b, c = (services.resolve(name) for name in ("Alpha", "Beta", "Gamma"))
    db.session.commit()
    with pytest.raises(MergeIntoItself) as caught:
        services.merge(a, a)
    assert caught.value.status == 409 and caught.value.code == "merge_into_itself"
    services.merge(a, b)
    for org, into in ((a, c), (c, a)):
        with pytest.raises(OrganizationMerged) as caught:
            services.merge(org, into)
        assert caught.value.status == 409 and caught.value.code == "organization_merged"
    with pytest.raises(SameOrganization):
        services.mark_distinct(b, b)
    assert _db.session.get(Organization, c.id).merged_into_id is None


def test_likely_duplicates_and_not_the_same(db):
    khue = services.resolve("Sao Khuê", kind="startup")
    typo = services.resolve("Sao Khuee", kind="startup")
    taxed = services.resolve("Học Vui", MST, kind="investor")
    untaxed = Organization(name="Học Vui", name_key="hoc vui", search_text="hoc vui", kind="startup")
    db.session.add(untaxed)
    services.resolve("Nông Sạch", kind="startup")
    services.resolve("Ví Xanh", kind="startup")
    db.session.commit()
    pairs = {(a.id, b.id): score for a, b, score in services.likely_duplicates()}
    assert pairs[min(taxed.id, untaxed.id), max(taxed.id, untaxed.id)] == 1.0
    assert (khue.id, typo.id) in pairs
    assert len(pairs) == 2
    actor = make_user("organizer")
    first = services.mark_distinct(typo, khue, actor=actor)
    assert services.mark_distinct(khue, typo, actor=actor).id == first.id  # idempotent
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(DistinctPair)) == 1
    assert [(a.id, b.id) for a, b, _s in services.likely_duplicates()] == [
        (min(taxed.id, untaxed.id), max(taxed.id, untaxed.id))]
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "organization.distinct")) == 1
    assert services.likely_duplicates(limit=0) == []


def test_two_opposite_merges_at_once_make_one(app, db):
    """A into B and B into A at the same moment: the rows are locked in id order, the second sees the
    first's merge and is refused – never both merged into each other."""
    a, b = services.resolve("Alpha"), services.resolve("Beta")
    db.session.commit()

    def merging(org_id, into_id):
        def job():
            return services.merge(services.get(org_id), services.get(into_id)).id
        return job

    outcomes = race(app, [merging(a.id, b.id), merging(b.id, a.id)])
    assert sorted(outcomes, key=str) == sorted([a.id if outcomes.count(a.id) else b.id,
                                                "organization_merged"], key=str), outcomes
    db.session.expire_all()
    live = db.session.scalars(db.select(Organization).where(Organization.merged_into_id.is_(None))).all()
    assert len(live) == 1


def test_a_backup_with_merged_organizations_restores(app, db, tmp_path):
    """A merged organization points to its survivor, which may have a higher id: the restore still
    inserts the survivor first (foreign keys are checked row by row)."""
    from eventhub import backup as backups
    from tests.faults.test_backup import _dump, _restore_into

    old, into = services.resolve("Cũ"), services.resolve("Mới")
    db.session.commit()
    services.merge(old, into)
    assert old.id < into.id
    archive = tmp_path / "eventhub.tar.gz"
    backups.backup(archive)
    before = _dump(_db.engine)["organizations"]
    other, _summary = _restore_into(f"sqlite:///{tmp_path / 'restored.db'}", archive, tmp_path / "files")
    with other.app_context():
        assert _dump(_db.engine)["organizations"] == before
        _db.session.remove()
        _db.engine.dispose()


def test_registrants_employers_are_not_compared_as_likely_duplicates(db):
    """Thousands of employers typed once are the noise of the comparison and no figure counts them."""
    services.resolve("Đại học Bách khoa")
    services.resolve("Dai hoc Bach khoaa")  # the same university, mistyped: nothing to merge by hand
    services.resolve("Bệnh viện Chợ Rẫy")
    services.resolve("Benh vien Cho Ray", MST)
    khue, typo = services.resolve("Sao Khuê", kind="startup"), services.resolve("Sao Khuee", kind="investor")
    db.session.commit()
    assert [(a.id, b.id) for a, b, _s in services.likely_duplicates()] == [(khue.id, typo.id)]
    rose = services.resolve("Đại học Bách khoa", kind="startup")  # a university's spin-off, say
    mistyped = services.resolve("Dai hoc Bach khoaa", kind="startup")
    db.session.commit()
    assert (rose.id, mistyped.id) in [(a.id, b.id) for a, b, _s in services.likely_duplicates()]
