"""Krippendorff's alpha with the interval metric: how much the judges agree. Pure.

Units are entries, coders are judges, values are totals. Only units with at least two values count
(pairable values). alpha = 1 − D_o / D_e, with

    D_o = 1/n Σ_u 1/(m_u − 1) Σ_{i≠j in u} (v_i − v_j)²
    D_e = 1/(n(n − 1)) Σ_{i≠j over all pairable values} (v_i − v_j)²

where n is the number of pairable values. None when fewer than two units are pairable or every value
is the same (D_e = 0): there is nothing to measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def _pair_sum(values: list[float]) -> float:
    """Σ over ordered pairs i ≠ j of (v_i − v_j)², in O(m): 2(mΣv² − (Σv)²)."""
    m = len(values)
    s = sum(values)
    s2 = sum(v * v for v in values)
    return 2.0 * (m * s2 - s * s)


def krippendorff_alpha_interval(units: Mapping[object, Iterable[float]]) -> float | None:
    pairable = [list(map(float, vs)) for vs in units.values()]
    pairable = [vs for vs in pairable if len(vs) >= 2]
    if len(pairable) < 1:
        return None
    n = sum(len(vs) for vs in pairable)
    if n < 2:
        return None
    d_o = sum(_pair_sum(vs) / (len(vs) - 1) for vs in pairable) / n
    everything = [v for vs in pairable for v in vs]
    d_e = _pair_sum(everything) / (n * (n - 1))
    if d_e <= 1e-12:
        return None
    return 1.0 - d_o / d_e
