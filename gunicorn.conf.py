"""gunicorn's settings for EventHub: `gunicorn wsgi:app` started in this folder reads this file (or give
`--config gunicorn.conf.py`). Command-line options (workers, threads, bind) still come first.

Why the hooks (issue 22): a worker that had rendered a PDF sometimes died with SIGSEGV on its way out.
WeasyPrint's per-thread fonts (a Pango font map, a fontconfig configuration, HarfBuzz faces, held by cffi
in a reference cycle) outlive the request thread that made them and were freed by the garbage collector
during the interpreter's teardown, with the mail and job threads possibly still running. Now a stopping
worker, before anything is torn down: lets its request threads end, stops its mail thread (the e-mail
being sent is finished, the rest of the round given back to the queue) and its job threads (a job gets a
few seconds to end, else goes back to the queue for another process), frees the PDF objects while every
library is whole, closes its database connections, flushes its log – and then ends at once (os._exit):
nothing is left for the teardown. A crash anywhere still prints every thread's stack (faulthandler).
"""

from __future__ import annotations

import faulthandler
import gc
import logging
import os
import sys

# No `eventhub` import at the top: this file is read by the master too, which must not load WeasyPrint's
# libraries (fontconfig, Pango) and fork its workers from that state. The hooks below run in the workers,
# after the app is loaded, and import what they use there (as the CLI does).

graceful_timeout = 30  # what a stopping worker has for its requests and the steps below (SIGKILL after)
MAIL_STOP = 12  # seconds for the e-mail being sent (MAIL_TIMEOUT is 10)
JOB_GRACE, JOB_GIVE_BACK = 8, 6  # a running job: seconds to end, then to go back to the queue

log = logging.getLogger("gunicorn.error")


def post_fork(server, worker) -> None:
    faulthandler.enable(file=sys.stderr, all_threads=True)


def post_worker_init(worker) -> None:
    """The mail thread and the job runner start with the worker, and take up what stopped ones gave back."""
    from eventhub.jobs import runner
    from eventhub.mail import outbox

    app = _app_of(worker)
    if app is None:
        return
    outbox.start_delivery(app)
    try:
        with app.app_context():
            runner.resume_queued(start_runner=True)
    except Exception:  # the database is away: the worker serves anyway, the mail round retries each minute
        log.exception("Worker %s could not take up the queued jobs at its start", worker.pid)


def worker_exit(server, worker) -> None:
    """Stops the worker's threads and frees what they hold, then ends the worker (see above)."""
    app = _app_of(worker)
    if app is None:
        return  # it never loaded the app: gunicorn's own exit (and exit code) as usual
    from eventhub import printing
    from eventhub.extensions import db
    from eventhub.jobs import runner
    from eventhub.mail import outbox

    stopping = sys.exc_info()[1]  # the SystemExit that ends the worker, with its code
    pool = getattr(worker, "tpool", None)
    if pool is not None:
        pool.shutdown(wait=True)  # the request threads end (gthread has already let their requests finish)
    mail_stopped = outbox.stop_delivery(app, timeout=MAIL_STOP)
    jobs_stopped = runner.stop_threads(app, grace=JOB_GRACE, give_back=JOB_GIVE_BACK)
    if not (mail_stopped and jobs_stopped):
        log.warning("Worker %s stops with a background thread still running (mail stopped: %s, jobs: %s)",
                    worker.pid, mail_stopped, jobs_stopped)
    printing.release_resources()
    gc.collect()  # WeasyPrint's objects of ended threads are freed now, not during the teardown
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    if isinstance(stopping, SystemExit) and stopping.code in (0, None):
        log.info("Worker %s stopped cleanly", worker.pid)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # everything above is the cleanup; the interpreter's teardown has nothing left to do


def _app_of(worker):
    """The worker's EventHub app once loaded (None before, or for another app: the benchmarks' bare
    Flask baseline is served from this folder too, and has no mail or job threads to start)."""
    app = getattr(worker, "wsgi", None)
    return app if getattr(app, "import_name", None) == "eventhub" and hasattr(app, "app_context") else None
