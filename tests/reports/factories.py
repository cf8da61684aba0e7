"""Rows of the other features, made through their own models, for the report's figures."""

from __future__ import annotations

import contextlib
import importlib
import itertools
from datetime import datetime, timedelta

from eventhub.extensions import db
from tests.factories import HCMC, make_user

_n = itertools.count(1)

# The other features' tables must be in the metadata before the session's app creates the schema.
for _models in ("contests.models", "certificates.models", "matchmaking.models", "booths.models"):
    with contextlib.suppress(ModuleNotFoundError):  # a feature not landed yet: its figure counts 0
        importlib.import_module(f"eventhub.{_models}")


def make_contest(event, name: str = "Cuộc thi Khởi nghiệp Sáng tạo"):
    from eventhub.contests.models import Contest

    contest = Contest(event_id=event.id, code=f"c{next(_n)}", name=name)
    db.session.add(contest)
    db.session.commit()
    return contest


def make_entry(contest, *, withdrawn: bool = False, title: str | None = None):
    from eventhub.contests.models import Entry, EntryStatus

    entry = Entry(contest_id=contest.id, title=title or f"Dự án Nông nghiệp thông minh {next(_n)}",
                  status=EntryStatus.withdrawn if withdrawn else EntryStatus.submitted)
    db.session.add(entry)
    db.session.commit()
    return entry


def make_certificate(event, *, revoked: bool = False, kind: str = "participation"):
    from eventhub.certificates.models import Certificate, CertificateKind, CertificateStatus

    n = next(_n)
    cert = Certificate(event_id=event.id, kind=CertificateKind(kind), serial=f"RPT{n:08d}",
                       holder_key=f"holder-{n}", holder_name=f"Nguyễn Thị Ánh {n}",
                       status=CertificateStatus.revoked if revoked else CertificateStatus.valid,
                       revoked_at=datetime(2026, 12, 20, tzinfo=HCMC) if revoked else None)
    db.session.add(cert)
    db.session.commit()
    return cert


def make_profile(event, kind: str, organization: str | None = None):
    from eventhub.matchmaking.models import Profile, ProfileKind

    user = make_user("investor" if kind == "investor" else "participant")
    profile = Profile(event_id=event.id, user_id=user.id, kind=ProfileKind(kind),
                      organization=organization or f"Quỹ Đầu tư Sài Gòn {next(_n)}")
    db.session.add(profile)
    db.session.commit()
    return profile


def make_request(event, sender, recipient, *, status: str = "accepted"):
    from eventhub.matchmaking.models import MeetingRequest, RequestStatus

    request = MeetingRequest(event_id=event.id, from_profile_id=sender.id, to_profile_id=recipient.id,
                             pair_low=min(sender.id, recipient.id), pair_high=max(sender.id, recipient.id),
                             status=RequestStatus(status))
    db.session.add(request)
    db.session.commit()
    return request


def make_meeting(event, investor, startup, *, investor_held=None, startup_held=None, stage=None,
                 cancelled: bool = False, table: int | None = None):
    """An accepted request and its meeting, with the outcome each side reported."""
    from eventhub.matchmaking.models import FollowUp, Meeting, MeetingStatus

    request = make_request(event, startup, investor)
    starts = datetime(2026, 12, 14, 14, 0, tzinfo=HCMC)
    meeting = Meeting(event_id=event.id, request_id=request.id, investor_profile_id=investor.id,
                      startup_profile_id=startup.id, starts_at=starts, ends_at=starts + timedelta(minutes=20),
                      table_number=table or next(_n),
                      status=MeetingStatus.cancelled if cancelled else MeetingStatus.scheduled,
                      investor_held=investor_held, startup_held=startup_held,
                      stage=FollowUp(stage) if stage else None)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def make_exhibitor(event, status: str = "approved", organization: str | None = None):
    """An exhibitor application of its own account, in `status`."""
    from eventhub.booths.models import Exhibitor, ExhibitorStatus

    user = make_user("participant")
    exhibitor = Exhibitor(event_id=event.id, user_id=user.id, status=ExhibitorStatus(status),
                          organization=organization or f"Công ty Khởi nghiệp Xanh {next(_n)}",
                          sector="agritech", size="3x3", contact_email=user.email)
    db.session.add(exhibitor)
    db.session.commit()
    return exhibitor
