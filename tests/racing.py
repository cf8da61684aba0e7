"""Two people acting at once: jobs started together, each in its own thread, app context and session."""

from __future__ import annotations

import threading

from eventhub.errors import EventHubError
from eventhub.extensions import db as _db


def race(app, jobs) -> list:
    """Runs each job at the same moment; returns each one's result, refusal code or "crash: …"."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = job()
            except EventHubError as exc:
                outcomes[index] = exc.code
            except Exception as exc:  # any other error is the failure we look for
                outcomes[index] = f"crash: {exc!r}"
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
