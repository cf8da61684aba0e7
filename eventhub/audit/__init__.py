"""Audit log: who changed what, and when. Every feature records through `audit.services.record`."""
