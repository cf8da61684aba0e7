"""Contests and judging."""
