"""Imported by the forkserver of isolation.py only: WeasyPrint, the fonts and the base stylesheet are
loaded once there, so that every child forked from it starts warm."""

from __future__ import annotations

import logging

import pypdf  # noqa: F401  (children read the preview's page text with it)

from . import rendering

try:
    rendering.render_batch(rendering.Layout(html="<p>{{ serial }}</p>"), [{"serial": "warm-up"}])
except Exception:  # a child that starts cold still works
    logging.getLogger(__name__).exception("Could not warm up the certificate renderer")
