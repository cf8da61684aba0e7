"""Investor matchmaking: profiles, recommendations, meeting requests, the schedule, outcomes."""
