"""Badges: the printed name badge of every registration, one on demand at the desk or all in a bulk job.

`services` builds badge data from registrations, draws it with the shared WeasyPrint set-up of
`eventhub.printing` and runs the bulk badge job; `fitting` sizes names to the badge; `routes` are the
organizers' and staff's pages.
"""
