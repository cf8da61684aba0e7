"""Check-in at the gate: scanning signed tickets, once per event day, live numbers."""
