"""Bulk badges, as a ratio of bare WeasyPrint rendering the same badge HTML, in one process.

For each layout (a6, a4-4up), timed back to back in the same process:
  baseline  WeasyPrint alone: the badge template (templates/print/badge.html and its CSS) filled
            from plain dicts with a plain Jinja environment – no database, no application code –
            with the best practice of performance.md: one FontConfiguration and pre-parsed CSS,
            QR codes by segno.make_qr as PNG, chunks of 200 badges appended into one PDF by pypdf.
  eventhub  the "badges" job's task function with a JobContext, on N confirmed registrations
            made through the services (notify=False) in a temporary SQLite database: the query in
            Vietnamese given-name order, the badge data, text fitting, rendering in chunks, the
            merge, the print log and storing the result.
  2 procs   the same job with DOCUMENT_PROCESSES=2: its chunks rendered by the warm pool of
            eventhub/documents_pool.py while this process merges them. The pool is started (and its
            workers warmed) once, by the first such run ("2 procs, pool starting", not in the ratios):
            a long-running worker process keeps it.
Prints seconds, CPU seconds (this process, and its worker processes: the pool's and the forkserver's),
pages/s, the peak RSS while each ran (sampled) and the process's peak so far (resource.getrusage),
the ratio to the baseline's time, and at the end the two ratios of issue 21:
  speed-up   job on 1 process / job on 2 processes (aim ≥ 1.8× on two cores);
  overhead   job on 1 process / raw WeasyPrint (aim ≤ 1.1×; issue 4 asked for ≤ 1.25×).
With --repeat k, each layout's three runs are repeated k times, alternating, and the ratios are the
medians. When other work shares the cores, wall times cannot show a parallel speed-up: the
"CPU-bound estimate" is the one-process job's CPU over the two-process job's on two idle cores:
max(this process's CPU, all CPU / 2) of what ran while chunks were rendered, plus the serial tail
(this process's CPU after the last chunk came: the merge and the file). Figures drift ±30 % between
runs on these machines: compare ratios, not seconds.

    .venv/bin/python benchmarks/bench_badges.py [--n 1000] [--layouts a6 a4-4up] [--repeat 1]
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import random
import resource
import secrets
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LAYOUTS = ("a6", "a4-4up")
CHUNK = 200
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Tôn Nữ", "Công Tằng Tôn Nữ"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Thanh", "Quốc", "Hoàng", "Thị Quý", "Hữu", "Thu", "Bảo", "Khánh"]
GIVEN = ["An", "Ánh", "Bình", "Châu", "Dũng", "Đức", "Hà", "Khánh", "Linh", "Trúc", "Quý", "Yến",
         "Phương", "Thảo", "Huyền", "Dương", "Nguyên", "Trâm", "Hùng", "Tâm"]
ORGS = ["Công ty TNHH Giải pháp Công nghệ Sáng tạo Sài Gòn", "Trường Đại học Bách khoa – ĐHQG-HCM",
        "Quỹ Đầu tư Khởi nghiệp Mekong", "", "Sở Khoa học và Công nghệ TP.HCM", "VinUni Startup Lab"]
TYPES = [("visitor", "Khách tham quan"), ("investor", "Nhà đầu tư"), ("speaker", "Diễn giả")]
PALETTE = ("#1565c0", "#2e7d32", "#c62828")
EVENT_NAME, EVENT_DATES = "Ngày hội Khởi nghiệp Đổi mới Sáng tạo TP.HCM 2026", "14/12/2026"


def people(n: int) -> list[dict[str, str]]:
    """N people with Vietnamese names, organizations, types and ticket-like codes (seeded)."""
    rng = random.Random(2026)
    return [{"full_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
             "organization": rng.choice(ORGS), "type": i % len(TYPES),
             "ticket_code": base64.b32encode(rng.randbytes(20)).decode()} for i in range(n)]


# --- memory -------------------------------------------------------------------------------------

def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@contextmanager
def peak_rss():
    """Samples the resident set every 20 ms; yields a dict whose "mb" is the peak while inside."""
    found = {"mb": _rss_mb()}
    stop = threading.Event()

    def sample():
        while not stop.wait(0.02):
            found["mb"] = max(found["mb"], _rss_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join()
        found["mb"] = max(found["mb"], _rss_mb())


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# --- CPU ------------------------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, reaped children's CPU seconds) of a process, from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rpartition(")")[2].split()
    except OSError:
        return None
    utime, stime, cutime, cstime = (int(field) for field in fields[11:15])
    return int(fields[1]), (utime + stime) / _TICK, (cutime + cstime) / _TICK


def cpu_seconds() -> tuple[float, float]:
    """(this process's CPU, the CPU of every process under it – worker pools, the forkserver and the
    children it has reaped), in seconds. Differences of two readings are what a run used."""
    stats = {int(name): _stat(int(name)) for name in os.listdir("/proc") if name.isdigit()}
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        if stat is not None:
            children.setdefault(stat[0], []).append(pid)
    me = os.getpid()
    own = time.process_time()
    below, todo = _stat(me)[2], list(children.get(me, ()))
    while todo:
        pid = todo.pop()
        stat = stats.get(pid)
        if stat is not None:
            below += stat[1] + stat[2]
            todo.extend(children.get(pid, ()))
    return own, below


def serial_tail(module) -> dict:
    """Wraps `module._render_chunks` (the job's renders, in order) so that a run can tell how much of
    this process's CPU came after the last chunk had been rendered: merging and storing what was left,
    which no other process can share. {"cpu": this process's CPU time when the last chunk came}."""
    original, mark = module._render_chunks, {}

    def render_chunks(*args, **kwargs):
        yield from original(*args, **kwargs)
        mark["cpu"] = time.process_time()

    module._render_chunks = render_chunks
    return mark


def estimate(one: dict, two: dict) -> float:
    """The speed-up two idle cores would give, from CPU times: the one-process run's CPU over the
    two-process run's – its parallel part shared by two cores (this process's part before the last
    chunk no less than itself), then its serial tail."""
    tail = two.get("tail", 0.0)
    parallel = max(two["cpu"] - tail, (two["cpu"] + two["workers"] - tail) / 2)
    return (one["cpu"] + one["workers"]) / (parallel + tail)


def load() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


# --- the baseline: WeasyPrint and the template, nothing of EventHub -----------------------------------

class Baseline:
    def __init__(self):
        import jinja2
        import segno
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        self.HTML, self.segno = HTML, segno
        templates = REPO / "templates" / "print"
        self.base_url = (REPO / "static").as_uri() + "/"
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=True,
                                      trim_blocks=True, lstrip_blocks=True)
        self.font_config = FontConfiguration()
        self.css = {layout: [CSS(filename=str(templates / name), base_url=self.base_url,
                                 font_config=self.font_config)
                             for name in ("badge.css", f"badge-{layout}.css")] for layout in LAYOUTS}

    @staticmethod
    def _size(text: str, ladder: tuple[float, ...], per_step: int) -> float:
        return ladder[min(len(text) // per_step, len(ladder) - 1)]

    def badge(self, person: dict) -> dict:
        code, name = TYPES[person["type"]]
        return {"full_name": person["full_name"], "organization": person["organization"], "type_name": name,
                "type_code": code, "ticket_code": person["ticket_code"], "colour": PALETTE[person["type"]],
                "event_name": EVENT_NAME, "event_dates": EVENT_DATES,
                "qr": self.segno.make_qr(person["ticket_code"], error="m").png_data_uri(scale=8, border=0),
                "name_pt": self._size(person["full_name"], (28, 24, 21, 18, 15.5, 13), 16),
                "org_pt": self._size(person["organization"], (13, 11, 9, 7), 40),
                "event_pt": 9, "label_pt": 16}

    def render(self, persons: list[dict], layout: str) -> bytes:
        from pypdf import PdfReader, PdfWriter

        parts = []
        for start in range(0, len(persons), CHUNK):
            html = self.env.get_template("badge.html").render(
                badges=[self.badge(p) for p in persons[start:start + CHUNK]], layout=layout)
            parts.append(self.HTML(string=html, base_url=self.base_url).write_pdf(
                stylesheets=self.css[layout], font_config=self.font_config))
        if len(parts) == 1:
            return parts[0]
        writer = PdfWriter()
        for part in parts:
            writer.append(PdfReader(io.BytesIO(part)))
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


# --- EventHub: the job on a database ----------------------------------------------------------------

class EventHubJob:
    def __init__(self, persons: list[dict], workdir: Path):
        os.environ["EVENTHUB_INSTANCE_PATH"] = str(workdir / "instance")
        from eventhub import create_app
        from eventhub.extensions import db

        self.db = db
        self.app = create_app({"ENV_CONFIG": "production", "SECRET_KEY": secrets.token_hex(16),
                               "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}",
                               "FILE_STORAGE_DIR": str(workdir / "files"), "RATELIMIT_ENABLED": False,
                               "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
        with self.app.app_context():
            self._populate(persons)
        from eventhub.badges import services

        self.mark = serial_tail(services)

    def _populate(self, persons: list[dict]) -> None:
        from eventhub.accounts.services import create_user
        from eventhub.events.services import create_event
        from eventhub.registration import catalog, services

        self.db.create_all()
        organizer = create_user("organizer@example.vn", "bench-password-42", "Ban Tổ Chức", role="organizer")
        event = create_event(slug="bench-badges", name=EVENT_NAME, kind="other", registration_open=True,
                             starts_at=datetime(2026, 12, 14, 1, tzinfo=UTC),
                             ends_at=datetime(2026, 12, 14, 10, tzinfo=UTC))
        for code, name in TYPES:
            catalog.create_type(event, code=code, name=name)
        for i, person in enumerate(persons):
            services.register(event, type_code=TYPES[person["type"]][0], full_name=person["full_name"],
                              email=f"khach{i}@example.vn", organization=person["organization"] or None,
                              consent=True, notify=False)
        self.event_id, self.organizer_id = event.id, organizer.id

    def warm_up(self, persons: list[dict]) -> None:
        from eventhub.badges.services import badge_data, render_badges

        render_badges([badge_data(full_name=p["full_name"], organization=p["organization"], type_name="Khách",
                                  type_code="visitor", ticket_code=p["ticket_code"], colour=PALETTE[0],
                                  event_name=EVENT_NAME, event_dates=EVENT_DATES) for p in persons], "a6")

    def run(self, layout: str, processes: int = 1) -> bytes:
        self.mark.clear()
        from eventhub import storage
        from eventhub.badges.services import badges_job
        from eventhub.jobs import JobContext
        from eventhub.jobs.models import Job

        self.app.config["DOCUMENT_PROCESSES"] = processes
        with self.app.app_context():
            params = {"event_id": self.event_id, "layout": layout, "type": None, "status": "confirmed"}
            job = Job(kind="badges", params=params, created_by_id=self.organizer_id, event_id=self.event_id)
            self.db.session.add(job)
            self.db.session.commit()
            badges_job(JobContext(job), **params)
            job = self.db.session.get(Job, job.id)
            self.db.session.refresh(job)
            assert job.total == job.done, (job.total, job.done)
            return storage.get(job.result_key)


# --- the run ----------------------------------------------------------------------------------------

def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def timed(label: str, layout: str, render, n: int, mark: dict | None = None) -> dict:
    with peak_rss() as rss:
        started, (cpu, workers) = time.perf_counter(), cpu_seconds()
        pdf = render()
        seconds = time.perf_counter() - started
        after = cpu_seconds()
    tail = after[0] - mark["cpu"] if mark and "cpu" in mark else 0.0
    pages = page_count(pdf)
    expected = n if layout == "a6" else -(-n // 4)
    assert pages == expected, f"{label} {layout}: {pages} pages, expected {expected}"
    return {"label": label, "layout": layout, "seconds": seconds, "pages": pages, "badges": n,
            "cpu": after[0] - cpu, "workers": after[1] - workers, "rss": rss["mb"], "maxrss": maxrss_mb(),
            "bytes": len(pdf), "load": load(), "tail": tail}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="badges (registrations); 5000 for issue 4's aim")
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
    parser.add_argument("--repeat", type=int, default=1, help="runs of each scenario, alternating")
    args = parser.parse_args(argv)
    persons = people(args.n)
    results = []
    with tempfile.TemporaryDirectory(prefix="eventhub-bench-badges-") as tmp:
        started = time.perf_counter()
        job = EventHubJob(persons, Path(tmp))
        print(f"set-up: {args.n} registrations in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        baseline = Baseline()
        # Warm both up: fonts loaded, stylesheets parsed, first-document costs paid.
        baseline.render(persons[:4], "a6")
        job.warm_up(persons[:4])
        # The first job on two processes starts the pool (and warms its workers); later jobs reuse it.
        first = args.layouts[0]
        results.append(timed("2 procs, pool starting", first, lambda: job.run(first, 2), args.n, job.mark))
        for _ in range(args.repeat):
            for layout in args.layouts:
                scenarios = (("baseline", lambda layout=layout: baseline.render(persons, layout)),
                             ("eventhub job", lambda layout=layout: job.run(layout)),
                             # The same job with its chunks rendered by two processes (DOCUMENT_PROCESSES=2).
                             ("job, 2 procs", lambda layout=layout: job.run(layout, 2)))
                results.extend(timed(label, layout, render, args.n, job.mark) for label, render in scenarios)
    print(f"\nBulk badges, N = {args.n}, chunks of {CHUNK}; the baseline and 'eventhub job' in one process"
          f" (pid {os.getpid()}), 'job, 2 procs' with DOCUMENT_PROCESSES=2 (the warm pool)\n")
    print(f"{'scenario':<24}{'layout':<8}{'seconds':>9}{'CPU s self+workers':>20}{'pages/s':>9}"
          f"{'badges/s':>10}{'peak RSS MB':>13}{'PDF MB':>8}{'× baseline':>12}  load")
    for r in results:
        base = statistics.median(b["seconds"] for b in results if b["label"] == "baseline"
                                 and b["layout"] == r["layout"])
        print(f"{r['label']:<24}{r['layout']:<8}{r['seconds']:>9.1f}{r['cpu']:>11.1f} + {r['workers']:<6.1f}"
              f"{r['pages'] / r['seconds']:>9.1f}{r['badges'] / r['seconds']:>10.1f}{r['rss']:>13.0f}"
              f"{r['bytes'] / 2**20:>8.1f}{r['seconds'] / base:>11.2f}×  {r['load']}")
    print()
    for layout in args.layouts:
        runs = {label: [r for r in results if r["label"] == label and r["layout"] == layout]
                for label in ("baseline", "eventhub job", "job, 2 procs")}
        rounds = list(zip(runs["baseline"], runs["eventhub job"], runs["job, 2 procs"], strict=True))
        speed_up = statistics.median(one["seconds"] / two["seconds"] for _b, one, two in rounds)
        overhead = statistics.median(one["seconds"] / base["seconds"] for base, one, _t in rounds)
        cpu_bound = statistics.median(estimate(one, two) for _b, one, two in rounds)
        tail = statistics.median(two["tail"] for _b, _o, two in rounds)
        cpu_overhead = statistics.median((one["cpu"] + one["workers"]) / (base["cpu"] + base["workers"])
                                         for base, one, _t in rounds)
        print(f"{layout}: 2 processes vs 1 process: {speed_up:.2f}× (aim ≥ 1.8×; CPU-bound estimate on two"
              f" idle cores {cpu_bound:.2f}×, serial tail {tail:.2f} s); 1 process vs raw WeasyPrint:"
              f" {overhead:.2f}× (aim ≤ 1.1×; in CPU time {cpu_overhead:.2f}×)")
    _release()
    return 0


def _release() -> None:
    """WeasyPrint's per-thread objects and the pool go while every library is whole: left to the
    interpreter's teardown, Pango's objects may be freed after their library (a segmentation fault)."""
    import gc

    from eventhub import printing
    from eventhub.badges import services as badge_services

    pool = getattr(badge_services, "POOL", None)  # none in the code before the warm pool (before/after)
    if pool is not None:
        pool.shutdown()
    printing.release_resources()
    gc.collect()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # everything is released and printed; the interpreter's teardown has nothing to do
