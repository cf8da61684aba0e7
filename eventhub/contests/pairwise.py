"""Pairwise judging on the exhibition floor (issue 20): the Crowd-BT model. Pure: plain data in, plain
data out (no Flask, no DB).

A judge walks from booth to booth and says which of two entries, the one they saw before and the one
in front of them, was better. Each entry has a Gaussian belief N(mu, sigma2) about its quality on a
Bradley–Terry scale; each judge has a Beta(alpha, beta) belief about how often they agree with the
truth (alpha / (alpha + beta)), so a judge who keeps voting against the consensus counts for less.
One vote updates the two entries and the judge by moment matching; the next booth for a judge is the
one whose comparison with their current entry is expected to teach the model the most.

After X. Chen, P. N. Bennett, K. Collins-Thompson, E. Horvitz, "Pairwise ranking aggregation in a
crowdsourced setting", WSDM 2013 (Crowd-BT), and its use in Gavel (A. Athalye, HackMIT;
github.com/anishathalye/gavel, gavel/crowd_bt.py), whose update, information gain and constants this
follows (checked against a transcription of its formulas: equal to 1e-9 on random inputs). Written
anew with numerically stable logistic forms: exp(mu) of Gavel overflows for large means, the logistic
of a difference does not.

Two departures from Gavel's choice, both optional parameters of choose_next: the judge's side of the
information gain weighs fifty times more when choosing (JUDGE_WEIGHT = 5 instead of GAMMA = 0.1; the
update is unchanged), so a judge whose reliability is still uncertain is also sent to comparisons that
test them, and a backwards judge is found out; and booths other judges are at or walking to (`busy`,
Gavel's "busy" items) are avoided while others remain.

How much the active choice saves over random booths depends on the judges; see
benchmarks/bench_pairwise.py: with honest, fairly sharp judges random needs a sixth to a third more
votes for the same Kendall tau; with a backwards judge, or noisy judges, the two are nearly level, the
active choice slightly ahead (and it finds the backwards judge out). The walk limits what any choice
can do: a judge visits only booths they have not seen, so with as many votes as entries every judge
sees every booth, and only the order is chosen.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

# The paper's/Gavel's settings.
GAMMA = 0.1  # weight of what a vote teaches about the judge against what it teaches about the entries
LAMBDA = 1.0  # regularisation; Gavel keeps it only as a constant (its update has no term for it)
KAPPA = 0.0001  # a variance never shrinks below this factor in one step: it stays positive
MU_PRIOR = 0.0
SIGMA2_PRIOR = 1.0
ALPHA_PRIOR = 10.0  # a new judge is trusted: 10 / 11 ≈ 91 % agreement with the truth
BETA_PRIOR = 1.0
EPSILON = 0.25  # Gavel's epsilon-greedy exploration; used only when choose_next gets a Random
TOLERANCE = 0.05  # gains within 5 % of the best count as equal, and the nearer booth wins
# Weight of the judge's information in choose_next's gain (GAMMA in the update and in Gavel's choice):
# with GAMMA the choice favours close contests, where a backwards judge looks like a coin flip and keeps
# reliability ~0.88 after 40 votes each; with 5 the choice also asks them foregone ones, and their
# reliability falls to ~0.55 (~0.2 after 60): their votes count less, then reversed
# (benchmarks/bench_pairwise.py).
# 1 changes nothing yet, 3 finds them out only halfway, 10 costs tau with honest judges.
JUDGE_WEIGHT = 5.0


@dataclass(frozen=True)
class Entry:
    """An entry's belief: quality ~ N(mu, sigma2)."""

    id: int
    mu: float = MU_PRIOR
    sigma2: float = SIGMA2_PRIOR


@dataclass(frozen=True)
class Judge:
    """A judge's reliability ~ Beta(alpha, beta)."""

    id: int
    alpha: float = ALPHA_PRIOR
    beta: float = BETA_PRIOR

    @property
    def reliability(self) -> float:
        """The expected probability that this judge's vote follows the truth."""
        return self.alpha / (self.alpha + self.beta)


@dataclass(frozen=True)
class JudgeState:
    """What choose_next needs to know about a judge besides the model."""

    judge: Judge
    seen: frozenset[int] = frozenset()
    conflicts: frozenset[int] = frozenset()  # their own team's entry, a declared interest, …


@dataclass(frozen=True)
class Vote:
    """One judge's answer: `winner_id` was better than `loser_id`."""

    judge_id: int
    winner_id: int
    loser_id: int


@dataclass(frozen=True)
class Model:
    """Every entry's and every judge's belief."""

    entries: Mapping[int, Entry] = field(default_factory=dict)
    judges: Mapping[int, Judge] = field(default_factory=dict)


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _digamma(x: float) -> float:
    """psi(x) for x > 0: recurrence up to x ≥ 6, then the asymptotic series (error ~1e-11)."""
    if x <= 0:
        raise ValueError("digamma needs x > 0")
    result = 0.0
    while x < 6.0:
        result -= 1.0 / x
        x += 1.0
    f = 1.0 / (x * x)
    series = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))
    return result + math.log(x) - 0.5 / x - series


def _betaln(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def divergence_gaussian(mu1: float, sigma2_1: float, mu2: float, sigma2_2: float) -> float:
    """KL(N(mu1, sigma2_1) ‖ N(mu2, sigma2_2))."""
    ratio = sigma2_1 / sigma2_2
    return (mu1 - mu2) ** 2 / (2 * sigma2_2) + (ratio - 1 - math.log(ratio)) / 2


def divergence_beta(alpha1: float, beta1: float, alpha2: float, beta2: float) -> float:
    """KL(Beta(alpha1, beta1) ‖ Beta(alpha2, beta2))."""
    return (_betaln(alpha2, beta2) - _betaln(alpha1, beta1)
            + (alpha1 - alpha2) * _digamma(alpha1)
            + (beta1 - beta2) * _digamma(beta1)
            + (alpha2 - alpha1 + beta2 - beta1) * _digamma(alpha1 + beta1))


def _updated_judge(alpha: float, beta: float, winner: Entry, loser: Entry) -> tuple[float, float, float]:
    """(alpha', beta', c): the judge's Beta matched to the first two moments of the posterior, and c,
    the probability before the vote that this judge says `winner` beats `loser`."""
    p = _logistic(winner.mu - loser.mu)
    q = 1.0 - p
    # E over the entries' Gaussians of P(winner truly better), to second order (the paper's C1):
    # e^w e^l (e^l − e^w) / (e^w + e^l)^3 = p q (q − p).
    c1 = p + 0.5 * (winner.sigma2 + loser.sigma2) * p * q * (q - p)
    c2 = 1.0 - c1
    c = (c1 * alpha + c2 * beta) / (alpha + beta)
    s = alpha + beta
    expt = (c1 * (alpha + 1) * alpha + c2 * alpha * beta) / (c * (s + 1) * s)
    expt_sq = ((c1 * (alpha + 2) * (alpha + 1) * alpha + c2 * (alpha + 1) * alpha * beta)
               / (c * (s + 2) * (s + 1) * s))
    variance = expt_sq - expt ** 2
    return (expt - expt_sq) * expt / variance, (expt - expt_sq) * (1 - expt) / variance, c


def _updated_entries(alpha: float, beta: float, winner: Entry, loser: Entry) -> tuple[Entry, Entry]:
    """Both entries after `winner` beat `loser` in the eyes of a judge with (alpha, beta)."""
    # alpha e^w / (alpha e^w + beta e^l): the chance of this vote from this judge; e^w / (e^w + e^l):
    # from a perfect one. Their difference moves the means: a vote from a judge trusted no more than
    # a coin (alpha = beta) moves nothing.
    p_judge = _logistic(winner.mu - loser.mu + math.log(alpha / beta))
    p_true = _logistic(winner.mu - loser.mu)
    step = p_judge - p_true
    # Same for the variances: ab/(a + b)^2 = p(1 − p).
    shrink = p_judge * (1 - p_judge) - p_true * (1 - p_true)
    return (replace(winner, mu=winner.mu + winner.sigma2 * step,
                    sigma2=winner.sigma2 * max(1 + winner.sigma2 * shrink, KAPPA)),
            replace(loser, mu=loser.mu - loser.sigma2 * step,
                    sigma2=loser.sigma2 * max(1 + loser.sigma2 * shrink, KAPPA)))


def update(winner: Entry, loser: Entry, judge: Judge) -> tuple[Entry, Entry, Judge]:
    """(winner, loser, judge) after `judge` said `winner` was better than `loser`."""
    if winner.id == loser.id:
        raise ValueError("an entry cannot beat itself")
    # Gavel's order: the entries move with the judge's reliability from before this vote.
    alpha, beta, _ = _updated_judge(judge.alpha, judge.beta, winner, loser)
    new_winner, new_loser = _updated_entries(judge.alpha, judge.beta, winner, loser)
    return new_winner, new_loser, replace(judge, alpha=alpha, beta=beta)


def expected_information_gain(judge: Judge, current: Entry, candidate: Entry, *,
                              judge_weight: float = GAMMA) -> float:
    """Expected KL divergence, posterior from prior, of asking `judge` to compare the two; the judge's
    part weighs `judge_weight` (GAMMA: the paper's and Gavel's gain)."""
    total = 0.0
    for winner, loser in ((current, candidate), (candidate, current)):
        alpha, beta, c = _updated_judge(judge.alpha, judge.beta, winner, loser)
        new_winner, new_loser = _updated_entries(judge.alpha, judge.beta, winner, loser)
        total += c * (divergence_gaussian(new_winner.mu, new_winner.sigma2, winner.mu, winner.sigma2)
                      + divergence_gaussian(new_loser.mu, new_loser.sigma2, loser.mu, loser.sigma2)
                      + judge_weight * divergence_beta(alpha, beta, judge.alpha, judge.beta))
    return total


def choose_next(judge_state: JudgeState, current_entry: Entry, candidates: Iterable[Entry], *,
                distance: Callable[[Entry], float] | None = None, tolerance: float = TOLERANCE,
                rng: random.Random | None = None, epsilon: float = EPSILON,
                busy: Collection[int] = frozenset(), judge_weight: float = JUDGE_WEIGHT) -> Entry | None:
    """The candidate to send the judge to next, or None when none is allowed.

    `busy`: entries other judges are at or walking to; chosen only when nothing else is left (as
    Gavel). `judge_weight`: see JUDGE_WEIGHT; GAMMA gives Gavel's choice."""
    allowed = [e for e in candidates
               if e.id != current_entry.id and e.id not in judge_state.conflicts]
    unseen = [e for e in allowed if e.id not in judge_state.seen]
    # Seen entries only once every other booth has been visited (Gavel never sends a judge back): a
    # judge asked about an entry twice tells the model less than about one they have not seen.
    pool = unseen or allowed
    # A queue at a booth costs the judges time, and two judges' votes on the same entry at once
    # teach less than on two entries; ranking-wise it is neutral in the benchmark.
    pool = sorted([e for e in pool if e.id not in busy] or pool, key=lambda e: e.id)
    if not pool:
        return None
    if rng is not None:
        # Gavel's epsilon-greedy step keeps a few comparisons away from the model's current beliefs,
        # and the shuffle breaks exact ties (every entry at the prior) randomly rather than by id,
        # so judges starting together do not all walk to the same booth.
        rng.shuffle(pool)
        if rng.random() < epsilon:
            return pool[0]
    gains = [expected_information_gain(judge_state.judge, current_entry, e, judge_weight=judge_weight)
             for e in pool]
    best = max(gains)
    if distance is None:
        return pool[gains.index(best)]
    # Walking costs the judge time that a few percent of information is not worth.
    near_best = [(distance(e), -g, i) for i, (e, g) in enumerate(zip(pool, gains, strict=True))
                 if g >= best * (1 - tolerance)]
    return pool[min(near_best)[2]]


def ranking(entries: Iterable[Entry]) -> list[Entry]:
    """Entries by mean, best first; equal means by id."""
    return sorted(entries, key=lambda e: (-e.mu, e.id))


def apply_vote(model: Model, vote: Vote) -> Model:
    """The model after one more vote (judges and entries not yet in it start at the prior)."""
    entries, judges = dict(model.entries), dict(model.judges)
    _apply(entries, judges, vote)
    return Model(entries, judges)


def replay(votes: Iterable[Vote], entry_ids: Iterable[int] = (), judge_ids: Iterable[int] = ()) -> Model:
    """The model after `votes` in order, from the prior; `entry_ids`/`judge_ids` start at the prior
    even without a vote. An undo is a replay without the last vote (the updates do not invert)."""
    entries = {i: Entry(i) for i in entry_ids}
    judges = {i: Judge(i) for i in judge_ids}
    for vote in votes:
        _apply(entries, judges, vote)
    return Model(entries, judges)


def _apply(entries: dict[int, Entry], judges: dict[int, Judge], vote: Vote) -> None:
    winner = entries.get(vote.winner_id) or Entry(vote.winner_id)
    loser = entries.get(vote.loser_id) or Entry(vote.loser_id)
    judge = judges.get(vote.judge_id) or Judge(vote.judge_id)
    entries[winner.id], entries[loser.id], judges[judge.id] = update(winner, loser, judge)
