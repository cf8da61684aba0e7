"""Recommendations: contactable profiles of the other side that pass the hard gates, best fit first."""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db
from . import fit
from .labels import reasons_text
from .models import Profile, ProfileKind
from .settings import usd_to_vnd


@dataclass
class Recommendation:
    profile: Profile
    score: float
    reasons: tuple[fit.Reason, ...]

    @property
    def profile_id(self) -> int:
        return self.profile.id

    @property
    def organization(self) -> str:
        return self.profile.organization

    @property
    def reason_texts(self) -> list[str]:
        return reasons_text(self.reasons)


def investor_side(profile: Profile, rate: int) -> fit.InvestorSide:
    return fit.InvestorSide(
        sectors=frozenset(profile.sectors or ()), stages=frozenset(profile.stages or ()),
        ticket_min_vnd=fit.to_vnd(profile.ticket_min or 0, profile.currency.value, rate),
        ticket_max_vnd=fit.to_vnd(profile.ticket_max or 0, profile.currency.value, rate),
        countries=frozenset(profile.countries or ()))


def startup_side(profile: Profile, rate: int) -> fit.StartupSide:
    return fit.StartupSide(sector=profile.sector or "", stage=profile.stage.value if profile.stage else "",
                           amount_vnd=fit.to_vnd(profile.amount or 0, profile.currency.value, rate),
                           country=profile.country or "VN")


def pair_fit(a: Profile, b: Profile, rate: int | None = None) -> fit.Fit | None:
    """The fit of an investor and a startup profile, in either order (None: a gate fails)."""
    rate = rate or usd_to_vnd()
    investor, startup = (a, b) if a.is_investor else (b, a)
    if not investor.is_investor or startup.is_investor:
        return None
    return fit.fit(investor_side(investor, rate), startup_side(startup, rate))


def recommendations(profile: Profile) -> list[Recommendation]:
    """For a profile's owner: the other side's contactable profiles that fit, by score descending."""
    other_kind = ProfileKind.startup if profile.is_investor else ProfileKind.investor
    others = db.session.scalars(db.select(Profile).where(
        Profile.event_id == profile.event_id, Profile.kind == other_kind, Profile.contactable.is_(True),
        Profile.user_id != profile.user_id))
    rate = usd_to_vnd()
    by_id = {other.id: other for other in others}
    ranked = fit.rank((other.id, pair_fit(profile, other, rate)) for other in by_id.values())
    return [Recommendation(by_id[key], found.score, found.reasons) for key, found in ranked]


def browse(profile: Profile, *, sector: str | None = None, stage: str | None = None) -> list[Profile]:
    """Every contactable profile of the other side, filtered by sector and stage (no gates)."""
    other_kind = ProfileKind.startup if profile.is_investor else ProfileKind.investor
    found = db.session.scalars(db.select(Profile).where(
        Profile.event_id == profile.event_id, Profile.kind == other_kind,
        Profile.contactable.is_(True)).order_by(Profile.organization, Profile.id))
    result = []
    for other in found:
        sectors = other.sectors if other.is_investor else [other.sector]
        stages = other.stages if other.is_investor else [other.stage.value if other.stage else ""]
        if sector and sector not in (sectors or []):
            continue
        if stage and stage not in (stages or []):
            continue
        result.append(other)
    return result
