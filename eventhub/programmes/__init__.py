"""Programmes (issue 19): a multi-year plan of the department with yearly targets for report figures,
read against what the series report of each year counts."""
