"""Printed documents: badges (and later certificates), rendered with WeasyPrint from plain data.

`rendering` holds the shared WeasyPrint set-up (one font configuration and the parsed stylesheets per
process, a URL fetcher that serves only the project's static files); `badges` builds badge data from
registrations and runs the bulk badge job; `routes` are the organizers' and staff's HTML pages.
"""
