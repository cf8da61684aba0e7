"""Krippendorff's alpha with the interval metric: how much the judges agree. Pure.

Units are entries, coders are judges, values are totals. Only units with at least two values count
(pairable values). alpha = 1 − D_o / D_e, with

    D_o = 1/n Σ_u 1/(m_u − 1) Σ_{i≠j in u} (v_i − v_j)²
    D_e = 1/(n(n − 1)) Σ_{i≠j over all pairable values} (v_i − v_j)²

where n is the number of pairable values. None when fewer than two units are pairable or every value
is the same (D_e = 0, within rounding): there is nothing to measure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

# Totals that differ by less than this fraction of their size are the same total written two ways
# (100/3 summed in another order): a spread that small is rounding, not disagreement.
RELATIVE_TOLERANCE = 1e-9


def _pair_sum(values: list[float]) -> float:
    """Σ over ordered pairs i ≠ j of (v_i − v_j)² = 2m Σ(v_i − mean)², in O(m).

    From deviations, not as 2(mΣv² − (Σv)²): that form subtracts two nearly equal large numbers and,
    for totals such as 100/3, leaves rounding noise as big as the result (alpha 1.018, 0.838, 1.263).
    """
    m = len(values)
    mean = math.fsum(values) / m
    return 2.0 * m * math.fsum((v - mean) ** 2 for v in values)


def krippendorff_alpha_interval(units: Mapping[object, Iterable[float]]) -> float | None:
    # A value that is not a finite number is a missing value, as in the reference implementation.
    values_by_unit = [[v for v in map(float, vs) if math.isfinite(v)] for vs in units.values()]
    pairable = [vs for vs in values_by_unit if len(vs) >= 2]
    if len(pairable) < 2:
        return None
    everything = [v for vs in pairable for v in vs]
    n = len(everything)
    scale = max(abs(v) for v in everything)
    d_e = _pair_sum(everything) / (n * (n - 1))
    # D_e is a mean squared difference: compare it with the square of the tolerated difference.
    if scale == 0 or d_e <= (RELATIVE_TOLERANCE * scale) ** 2:
        return None
    d_o = math.fsum(_pair_sum(vs) / (len(vs) - 1) for vs in pairable) / n
    return 1.0 - d_o / d_e
