"""Organizations: one record for a startup, team, fund or employer across events and years."""
