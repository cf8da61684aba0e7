"""A generated exhibition hall: zones side by side, rows of booths back to back. Pure.

Used by the demo and the benchmark. Each zone has double rows of booths (two rows touching at their
backs, then an aisle), booths in a row touching at their sides, so neighbours share edges as on a
real floor.
"""

from __future__ import annotations

from itertools import cycle

# size → (width, height) in grid units (1 unit = 1 m)
SIZES = {"small": (2, 3), "standard": (3, 3), "large": (6, 3)}
ROW_HEIGHT = 3
AISLE = 3


def zone_booths(zone_code: str, origin: tuple[int, int], sizes: list[str], per_row: int) -> list[dict]:
    """Booths of one zone, `per_row` to a row, in the order of `sizes`."""
    booths = []
    x0, y0 = origin
    for index, size in enumerate(sizes):
        row = index // per_row
        y = y0 + row * ROW_HEIGHT + (row // 2) * AISLE
        x = x0 + sum(SIZES[s][0] for s in sizes[row * per_row:index])
        booths.append({"code": f"{zone_code}{index + 1:02d}", "zone": zone_code, "x": x, "y": y,
                       "w": SIZES[size][0], "h": SIZES[size][1], "size": size})
    return booths


def hall(zones: list[dict], *, booths_per_zone: int = 30, mix: dict[str, int] | None = None,
         per_row: int = 8, columns: int = 3) -> dict:
    """A floor plan {"zones", "booths"}: zones laid out `columns` to a row of the hall."""
    mix = mix or {"standard": 20, "small": 6, "large": 4}
    pattern = _spread(mix, booths_per_zone)
    width = max(sum(SIZES[s][0] for s in pattern[start:start + per_row])
                for start in range(0, len(pattern), per_row)) + 2
    rows = -(-booths_per_zone // per_row)
    height = rows * ROW_HEIGHT + (rows // 2) * AISLE + 2
    plan_zones, booths = [], []
    for index, zone in enumerate(zones):
        column, line = index % columns, index // columns
        x, y = column * (width + AISLE), line * (height + AISLE)
        plan_zones.append({**zone, "x": x, "y": y, "w": width, "h": height})
        booths += zone_booths(zone["code"], (x + 1, y + 1), pattern, per_row)
    return {"zones": plan_zones, "booths": booths}


def _spread(mix: dict[str, int], total: int) -> list[str]:
    """`total` sizes with the proportions of `mix`, large booths spread over the rows."""
    counts = {size: count * total // sum(mix.values()) for size, count in mix.items()}
    counts["standard"] = counts.get("standard", 0) + total - sum(counts.values())
    order = []
    pools = {size: count for size, count in counts.items()}
    for size in cycle(["large", "standard", "standard", "small", "standard", "standard"]):
        if len(order) == total:
            break
        if pools.get(size, 0) > 0:
            pools[size] -= 1
            order.append(size)
        elif not any(pools.values()):
            break
    return order
