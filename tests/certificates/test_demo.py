"""The demo's certificates: winners, judges and speakers of the 2020 events; a second run adds nothing."""

from __future__ import annotations

from eventhub.certificates.models import Certificate, CertificateKind
from eventhub.demo import load_demo


def test_the_demo_issues_certificates_once(db):
    load_demo(visitors=0.01)
    kinds = set(db.session.scalars(db.select(Certificate.kind).distinct()))
    assert {CertificateKind.award, CertificateKind.judge} <= kinds
    count = db.session.scalar(db.select(db.func.count(Certificate.id)))
    assert count > 0
    load_demo(visitors=0.01)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == count
