"""The survey's figures, pure: averages, distributions, the Net Promoter Score, counts of choices.

NPS: the share of promoters (9–10) minus the share of detractors (0–6), in percentage points, over all
who answered the question; passives (7–8) count in the total only. Nothing answered: no score (None)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RATING_RANGE = range(1, 6)
NPS_RANGE = range(0, 11)


def average(values: Iterable[float]) -> float | None:
    numbers = list(values)
    return sum(numbers) / len(numbers) if numbers else None


def distribution(values: Iterable[int], scale: range = RATING_RANGE) -> dict[int, int]:
    """How many gave each value of the scale (every value present, zero when nobody gave it)."""
    counted = Counter(values)
    return {value: counted.get(value, 0) for value in scale}


@dataclass(frozen=True)
class Nps:
    score: float | None
    promoters: int
    passives: int
    detractors: int

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors


def nps(values: Iterable[int]) -> Nps:
    promoters = passives = detractors = 0
    for value in values:
        if value >= 9:
            promoters += 1
        elif value >= 7:
            passives += 1
        else:
            detractors += 1
    total = promoters + passives + detractors
    score = (promoters - detractors) * 100 / total if total else None
    return Nps(score, promoters, passives, detractors)


def choice_counts(values: Iterable[str], choices: Sequence[str]) -> dict[str, int]:
    """How many chose each listed choice, in the listed order (a choice removed since is not shown)."""
    counted = Counter(values)
    return {choice: counted.get(choice, 0) for choice in choices}


def response_rate(responses: int, invited: int) -> float | None:
    """Answered over invited, 0–1; nobody invited: none."""
    return responses / invited if invited else None


def averages_by_group(rows: Iterable[tuple[str, int, float]]) -> dict[str, dict[int, float]]:
    """{group: {question id: average}} of (group, question id, value) rows."""
    sums: dict[str, dict[int, list[float]]] = {}
    for group, question_id, value in rows:
        sums.setdefault(group, {}).setdefault(question_id, []).append(value)
    return {group: {qid: sum(vals) / len(vals) for qid, vals in by_question.items()}
            for group, by_question in sums.items()}
