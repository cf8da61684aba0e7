"""The contest pages: one blueprint, routes split by who uses them."""

from . import (  # noqa: F401  (they attach their routes)
    admin_routes,
    floor_admin_routes,
    floor_routes,
    judge_routes,
    team_routes,
)
from .blueprint import bp

__all__ = ["bp"]
