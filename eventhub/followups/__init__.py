"""What came of the meetings and awards: asking both sides 30 and 90 days on (issue 19)."""
