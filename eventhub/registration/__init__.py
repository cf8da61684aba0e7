"""Registration: types with capacity, questions, workshop sessions, tickets and the waiting list."""
