"""Surveys after an event or one of its workshops (issue 19): questions, invitations, one response each."""
