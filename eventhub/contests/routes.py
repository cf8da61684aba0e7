"""The contest pages: one blueprint, routes split by who uses them."""

from . import admin_routes, judge_routes, team_routes  # noqa: F401  (they attach their routes)
from .blueprint import bp

__all__ = ["bp"]
