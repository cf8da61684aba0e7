"""The warm pool that renders bulk badges on several processes (eventhub/documents_pool.py): kept and
reused between jobs, the same pages as one process, replaced when a worker dies, gone when idle, after a
fork, and when its owner dies."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pytest

from eventhub import documents_pool, jobs, storage
from eventhub.badges import services as badges
from eventhub.jobs.models import Job, JobState
from tests.factories import make_type, make_user, open_event, register

NAMES = [f"Nguyễn Văn Khách {i:03d}" for i in range(9)]


@pytest.fixture(scope="module", autouse=True)
def _no_pool_left():
    yield
    badges.POOL.shutdown()


@pytest.fixture
def two_processes(app, monkeypatch):
    """DOCUMENT_PROCESSES=2 and chunks of 4: 9 badges are three chunks over two workers."""
    monkeypatch.setattr(badges, "CHUNK_SIZE", 4)
    monkeypatch.setitem(app.config, "DOCUMENT_PROCESSES", 2)


@pytest.fixture
def people(db):
    event = open_event()
    rtype = make_type(event)
    for name in NAMES:
        register(event, rtype, full_name=name, organization="Công ty Sáng tạo Sài Gòn", notify=False)
    return event, make_user("organizer")


def _job(db, event, organizer, layout="a6") -> Job:
    job_id = jobs.start("badges", actor=organizer, event=event, event_id=event.id, layout=layout).id
    db.session.expire_all()  # the job ran in a session of its own
    return db.session.get(Job, job_id)


def _done(db, event, organizer, layout="a6") -> bytes:
    job = _job(db, event, organizer, layout)
    assert job.state == JobState.done, job.error
    return storage.get(job.result_key)


def _pages(pdf: bytes) -> list[tuple]:
    """Page by page: its size, its text, where each character stands and how large, its images."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(round(float(page.width), 2), round(float(page.height), 2), page.extract_text(),
                 [(char["text"], round(char["x0"], 2), round(char["top"], 2), round(char["size"], 2))
                  for char in page.chars],
                 [(round(i["x0"], 2), round(i["top"], 2), i["srcsize"]) for i in page.images])
                for page in document.pages]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie of ours is gone too, once reaped
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z"


def _wait_until(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.parametrize("layout", badges.LAYOUTS)
def test_the_pool_gives_page_for_page_what_one_process_gives(app, db, people, two_processes, layout):
    event, organizer = people
    on_two = _done(db, event, organizer, layout)
    app.config["DOCUMENT_PROCESSES"] = 1
    on_one = _done(db, event, organizer, layout)
    assert len(_pages(on_two)) == (9 if layout == "a6" else 3)
    assert _pages(on_two) == _pages(on_one)


def test_a_second_job_reuses_the_warm_pool_and_gives_the_same_pdf(db, people, two_processes):
    event, organizer = people
    first = _done(db, event, organizer)
    started, workers = badges.POOL.started, badges.POOL.worker_pids()
    assert len(workers) == 2 and os.getpid() not in workers
    # below the web workers: a bulk print leaves the cores to the gate's answers first
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert all(os.getpriority(os.PRIO_PROCESS, pid) >= mine + 5 for pid in workers)
    second = _done(db, event, organizer)
    assert badges.POOL.started == started  # the same pool, the same processes
    assert badges.POOL.worker_pids() == workers
    assert _pages(second) == _pages(first)


def test_a_killed_worker_is_replaced_and_the_next_job_completes(db, people, two_processes):
    event, organizer = people
    first = _done(db, event, organizer)
    workers = badges.POOL.worker_pids()
    os.kill(workers[0], signal.SIGKILL)
    assert _wait_until(lambda: _gone(workers[0]))
    again = _done(db, event, organizer)
    assert not set(badges.POOL.worker_pids()) & set(workers)  # a new pool
    assert _pages(again) == _pages(first)


def render_or_die(chunk: list[dict], layout: str) -> bytes:
    """badges.render_badges, but the worker dies (as if killed) at a chunk whose organization names a
    file that is not there yet (it is made first: it dies once), or always at a chunk of "/dev/null"."""
    for badge in chunk:
        marker = badge["organization"]
        if marker == "/dev/null":
            os._exit(1)
        if marker.startswith("/") and not os.path.exists(marker):
            Path(marker).touch()
            os._exit(1)
    return badges.render_badges(chunk, layout)


def test_a_worker_dying_mid_job_is_replaced_and_the_job_completes(db, people, two_processes, monkeypatch,
                                                                   tmp_path):
    event, organizer = people
    expected = _pages(_done(db, event, organizer))
    marker = tmp_path / "died-once"
    reg = db.session.scalars(db.select(badges.Registration).filter_by(event_id=event.id)
                             .order_by(badges.Registration.sort_key.desc())).first()  # the last chunk
    reg.organization = str(marker)
    db.session.commit()
    monkeypatch.setattr(badges, "render_badges", render_or_die)  # by name: the workers import this module
    started = badges.POOL.started
    pdf = _done(db, event, organizer)
    assert marker.exists()  # a worker died at that chunk…
    assert badges.POOL.started == started + 1  # …a new pool rendered what was not delivered
    pages = _pages(pdf)
    assert len(pages) == len(NAMES)
    assert pages[:-1] == expected[:-1]  # the chunks before it, as before
    assert reg.full_name in " ".join(pages[-1][2].split())  # and the one that was rendered again


def test_workers_that_keep_dying_fail_the_job_with_a_message(db, people, two_processes, monkeypatch):
    event, organizer = people
    for reg in db.session.scalars(db.select(badges.Registration).filter_by(event_id=event.id)):
        reg.organization = "/dev/null"
    db.session.commit()
    monkeypatch.setattr(badges, "render_badges", render_or_die)
    job = _job(db, event, organizer)
    assert job.state == JobState.failed
    assert job.error == str(badges.RendererStopped.default_message)
    assert job.result_key is None


def test_an_idle_pool_is_shut_down_and_made_again_when_needed(db, people, two_processes, monkeypatch):
    event, organizer = people
    monkeypatch.setattr(documents_pool, "IDLE_SECONDS", 0.2)
    first = _done(db, event, organizer)
    workers = badges.POOL.worker_pids()
    assert _wait_until(lambda: badges.POOL.worker_pids() == [] and all(map(_gone, workers)))
    assert _pages(_done(db, event, organizer)) == _pages(first)


def test_a_forked_child_does_not_use_its_parents_pool(db, people, two_processes):
    event, organizer = people
    _done(db, event, organizer)
    assert badges.POOL.worker_pids()
    pid = os.fork()
    if pid == 0:  # the child: the parent's executor is not here (its threads did not come along)
        os._exit(0 if badges.POOL.worker_pids() == [] else 1)
    assert os.waitpid(pid, 0)[1] == 0
    assert badges.POOL.worker_pids()  # the parent's pool is untouched


def test_workers_end_when_their_owner_dies_without_cleaning_up(tmp_path):
    script = (
        "import os, sys\n"
        "from eventhub import documents_pool\n"
        "pool = documents_pool.DocumentPool()\n"
        "pool.warm(2)\n"
        "print(*pool.worker_pids(), flush=True)\n"
        "os._exit(0)\n"  # as a gunicorn worker ends: no atexit, no shutdown
    )
    output = tmp_path / "output"
    with output.open("w") as out:  # a file, not a pipe: the workers hold it open while they live
        subprocess.run([sys.executable, "-c", script], stdout=out, stderr=subprocess.STDOUT, timeout=300,
                       cwd=Path(__file__).resolve().parents[2], check=True)
    workers = [int(pid) for pid in output.read_text().split()[-2:]]
    assert len(workers) == 2, output.read_text()
    assert _wait_until(lambda: all(map(_gone, workers)))


def test_chunks_keep_both_processes_busy_to_the_end():
    assert badges.chunk_size(1000, 1) == badges.CHUNK_SIZE
    for total in range(8 * badges.MIN_CHUNK, 6000, 37):
        size = badges.chunk_size(total, 2)
        assert size % 4 == 0 and badges.MIN_CHUNK <= size <= badges.CHUNK_SIZE
        sizes = [min(size, total - start) for start in range(0, total, size)]
        assert len(sizes) >= 8  # four or more for each process
        # Handed out in turn, the two processes' shares differ by less than one chunk's half.
        shares = [sum(sizes[0::2]), sum(sizes[1::2])]
        assert abs(shares[0] - shares[1]) <= size / 2, (total, size)


def test_chunks_merged_as_they_come_keep_their_order_and_bookmarks():
    from pypdf import PdfReader

    from eventhub.printing import PdfAppender, render_pdf

    parts = [render_pdf(f"<h1>Phần {i}</h1><p>Trang {i}</p>") for i in range(3)]
    one = PdfAppender()
    one.append(parts[0])
    assert one.getvalue() == parts[0]  # one chunk: as it is
    for outline in (True, False):
        merged = PdfAppender(outline=outline)
        for part in parts:
            merged.append(part)
        reader = PdfReader(io.BytesIO(merged.getvalue()))
        assert [" ".join(page.extract_text().split()) for page in reader.pages] == [
            f"Phần {i} Trang {i}" for i in range(3)]
        assert [item.title for item in reader.outline] == ([f"Phần {i}" for i in range(3)] if outline else [])
