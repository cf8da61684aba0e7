"""Two people acting at once: jobs started together, each in its own thread, app context and session;
or requests sent together over real HTTP to a threaded server (`server` in tests/support/fixtures.py)."""

from __future__ import annotations

import http.client
import json
import threading

from eventhub.errors import EventHubError
from eventhub.extensions import db as _db

JOIN_TIMEOUT = 120


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
        thread.join(timeout=JOIN_TIMEOUT)
    return outcomes


def race_requests(port: int, requests: list[tuple[str, str, dict | None, dict]]) -> list[tuple]:
    """Sends every (method, path, body, headers) at the same moment; returns (status, body) each.

    Each client connects first and waits at a barrier, so the requests leave together.
    """
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int, method: str, path: str, body: dict | None, headers: dict) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=JOIN_TIMEOUT)
        try:
            connection.connect()
            payload = json.dumps(body).encode() if body is not None else None
            barrier.wait(timeout=JOIN_TIMEOUT)
            connection.request(method, path, body=payload,
                               headers={"Content-Type": "application/json", **headers})
            response = connection.getresponse()
            raw = response.read()
            content_type = response.getheader("Content-Type", "")
            data = json.loads(raw) if content_type.startswith("application/json") else raw[:300]
            results[index] = (response.status, data)
        except Exception as exc:  # any client-side failure is a result the test reports
            results[index] = ("crash", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results
