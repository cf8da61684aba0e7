"""Surveys' part of other features' pages: "Tell us how it was" on the registrant's page."""

from __future__ import annotations

from .services import awaiting, make_answer_token


def registration_page(reg, token) -> dict | None:
    """The open surveys the registrant was invited to, each with its personal link; None: no panel."""
    found = awaiting(reg)
    if not found:
        return None
    return {"surveys": [(survey, make_answer_token(survey.id, reg.id), answered)
                        for survey, answered in found]}
