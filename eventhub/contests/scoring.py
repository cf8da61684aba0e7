"""Contest results, exactly as api.md says. Pure: plain data in, plain data out (no Flask, no DB).

- A judge's total for an entry: 100 × Σ weight·score/max ÷ Σ weight (0–100).
- raw_mean: the mean of the judges' totals for the entry.
- normalized (zscore): per judge z = (total − m_j) / s_j with the population standard deviation of
  that judge's totals over every entry they scored (z = 0 where s_j = 0); the entry's normalized is
  the mean of its z. With scoring raw, normalized = raw_mean.
- Order by normalized desc, then raw_mean desc; equal on both share a rank and the next rank skips
  (1, 2, 2, 4). Entries without scores come last with rank None.

Nothing is rounded here; only the comparison for ties ignores differences below 1e-9, and a judge's
spread below 1e-9 (rounding noise on a 0–100 scale) counts as s = 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

TIE_DECIMALS = 9
# Totals lie on 0–100; a judge whose totals are all equal can still get a standard deviation of
# ~1e-15 from rounding (7.5·8 + 5·2 and 7.5·6 + 5·5 differ in the last bit), and dividing by that
# would turn equal totals into z-scores of ±1. Such a spread is s = 0.
ZERO_STD = 1e-9


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: float
    max_score: float


@dataclass(frozen=True)
class Sheet:
    """One judge's submitted scores for one entry."""

    entry_id: int
    judge_id: int
    scores: Mapping[str, float]


@dataclass(frozen=True)
class Result:
    rank: int | None
    entry_id: int
    raw_mean: float | None
    normalized: float | None
    scores_count: int


def total(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> float:
    """A judge's weighted total for one entry, on 0–100."""
    weight_sum = math.fsum(c.weight for c in criteria)
    if weight_sum <= 0:
        raise ValueError("criteria weights must sum to more than 0")
    return 100.0 * math.fsum(c.weight * float(scores[c.key]) / c.max_score for c in criteria) / weight_sum


def judge_stats(totals: Iterable[float]) -> tuple[float, float]:
    """Mean and population standard deviation."""
    values = list(totals)
    mean = math.fsum(values) / len(values)
    variance = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(variance)


def compute_totals(criteria: Sequence[Criterion], sheets: Iterable[Sheet]) -> list[tuple[int, int, float]]:
    """(entry_id, judge_id, total) for every sheet; the same sums as `total`, with the factors
    100·weight/max/Σweight worked out once."""
    weight_sum = math.fsum(c.weight for c in criteria)
    if weight_sum <= 0:
        raise ValueError("criteria weights must sum to more than 0")
    factors = [(c.key, c.weight / c.max_score) for c in criteria]
    scale = 100.0 / weight_sum
    return [(s.entry_id, s.judge_id, scale * math.fsum(f * float(s.scores[k]) for k, f in factors))
            for s in sheets]


def z_scores(totals: Sequence[tuple[int, int, float]]) -> dict[tuple[int, int], float]:
    """{(entry_id, judge_id): z} with each judge's own mean and population std."""
    per_judge: dict[int, list[float]] = {}
    for _entry, judge, value in totals:
        per_judge.setdefault(judge, []).append(value)
    stats = {judge: judge_stats(values) for judge, values in per_judge.items()}
    out = {}
    for entry, judge, value in totals:
        mean, std = stats[judge]
        out[(entry, judge)] = 0.0 if std < ZERO_STD else (value - mean) / std
    return out


def results(entry_ids: Iterable[int], criteria: Sequence[Criterion], sheets: Iterable[Sheet],
            scoring: str = "zscore") -> list[Result]:
    """Ranked results for every entry in `entry_ids` (sheets for other entries are ignored)."""
    entries = list(dict.fromkeys(entry_ids))
    wanted = set(entries)
    totals = [t for t in compute_totals(criteria, sheets) if t[0] in wanted]
    return rank_totals(entries, totals, scoring)


def rank_totals(entries: Sequence[int], totals: Sequence[tuple[int, int, float]],
                scoring: str = "zscore", zs: dict[tuple[int, int], float] | None = None) -> list[Result]:
    """`zs`: the z-scores of `totals` when the caller has them already."""
    if scoring != "zscore":
        zs = {}
    elif zs is None:
        zs = z_scores(totals)
    by_entry: dict[int, list[tuple[float, float]]] = {}
    for entry, judge, value in totals:
        by_entry.setdefault(entry, []).append((value, zs.get((entry, judge), 0.0)))
    scored, unscored = [], []
    for entry in entries:
        pairs = by_entry.get(entry)
        if not pairs:
            unscored.append(Result(None, entry, None, None, 0))
            continue
        raw_mean = math.fsum(p[0] for p in pairs) / len(pairs)
        normalized = math.fsum(p[1] for p in pairs) / len(pairs) if scoring == "zscore" else raw_mean
        scored.append((normalized, raw_mean, entry, len(pairs)))
    # Equal means equal to 9 decimals: 70 reached through different sums differs in the 15th digit.
    scored.sort(key=lambda r: (-round(r[0], TIE_DECIMALS), -round(r[1], TIE_DECIMALS), r[2]))
    ranked: list[Result] = []
    previous = None
    rank = 0
    for position, (normalized, raw_mean, entry, count) in enumerate(scored, start=1):
        key = (round(normalized, TIE_DECIMALS), round(raw_mean, TIE_DECIMALS))
        if previous != key:
            rank = position
            previous = key
        ranked.append(Result(rank, entry, raw_mean, normalized, count))
    return ranked + unscored


def valid_number(value) -> bool:
    """A finite int or float that is not a bool (JSON true is not a score)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer too large for a float
        return False
