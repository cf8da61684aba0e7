"""The demo's certificates: winners, judges and speakers of the 2020 events; a second run adds nothing."""

from __future__ import annotations

from eventhub.certificates.models import Certificate, CertificateKind


def test_the_demo_issues_certificates_once(db, demo):
    kinds = set(db.session.scalars(db.select(Certificate.kind).distinct()))
    assert {CertificateKind.award, CertificateKind.judge} <= kinds
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) > 0
    assert demo.added_by_second_run[Certificate.__tablename__] == 0
