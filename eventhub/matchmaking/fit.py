"""How well an investor and a startup fit: hard gates, then a score from weighted overlaps.

Pure: plain data in, plain data out; no Flask, no database. Amounts are compared in VND, the
caller converting USD at its configured rate. Reasons are codes with their values, which the
pages and the API put into words in the reader's language (labels.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Weights of the overlaps; they sum to 1, so a score lies in [0, 1].
WEIGHTS = {"sector_focus": 0.35, "stage_focus": 0.25, "ticket_fit": 0.25, "country": 0.15}


@dataclass(frozen=True)
class InvestorSide:
    sectors: frozenset[str]
    stages: frozenset[str]
    ticket_min_vnd: int
    ticket_max_vnd: int
    countries: frozenset[str] = frozenset()  # empty: anywhere


@dataclass(frozen=True)
class StartupSide:
    sector: str
    stage: str
    amount_vnd: int
    country: str = "VN"


@dataclass(frozen=True)
class Reason:
    code: str  # "sector", "stage", "ticket", "country"
    value: str = ""


@dataclass(frozen=True)
class Fit:
    score: float
    reasons: tuple[Reason, ...]


def to_vnd(amount: int, currency: str, usd_to_vnd: int) -> int:
    return amount * usd_to_vnd if currency == "USD" else amount


def passes_gates(investor: InvestorSide, startup: StartupSide) -> bool:
    """api.md: the startup's sector among the investor's, its stage among theirs, its amount
    within [ticket_min, ticket_max] (both in VND)."""
    return (startup.sector in investor.sectors and startup.stage in investor.stages
            and investor.ticket_min_vnd <= startup.amount_vnd <= investor.ticket_max_vnd)


def _ticket_fit(investor: InvestorSide, amount: int) -> float:
    """1 at the middle of the ticket range, falling linearly to 0.5 at its ends."""
    low, high = investor.ticket_min_vnd, investor.ticket_max_vnd
    if high <= low:
        return 1.0
    middle, half = (low + high) / 2, (high - low) / 2
    return 1.0 - 0.5 * min(abs(amount - middle) / half, 1.0)


def fit(investor: InvestorSide, startup: StartupSide) -> Fit | None:
    """The fit of a pair, or None when a hard gate fails.

    A focused investor scores higher than one who takes every sector (1 / number of sectors),
    and likewise for stages; an amount near the middle of the ticket range fits better than one at
    its edge; an investor who invests in the startup's country (or anywhere) gets the last part.
    """
    if not passes_gates(investor, startup):
        return None
    parts = {
        "sector_focus": 1.0 / len(investor.sectors),
        "stage_focus": 1.0 / len(investor.stages),
        "ticket_fit": _ticket_fit(investor, startup.amount_vnd),
        "country": 1.0 if not investor.countries or startup.country in investor.countries else 0.0,
    }
    score = sum(WEIGHTS[name] * value for name, value in parts.items())
    reasons = [Reason("sector", startup.sector), Reason("stage", startup.stage), Reason("ticket")]
    if parts["country"]:
        reasons.append(Reason("country", startup.country))
    return Fit(round(score, 6), tuple(reasons))


def rank(pairs: Iterable[tuple[int, Fit | None]]) -> list[tuple[int, Fit]]:
    """The fitting (id, fit) pairs by score, best first; ties by id, so the order is stable."""
    return sorted(((key, f) for key, f in pairs if f is not None), key=lambda item: (-item[1].score, item[0]))
