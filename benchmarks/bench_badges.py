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
Prints seconds, pages/s, the peak RSS while each ran (sampled) and the process's peak so far
(resource.getrusage), and the ratio to the baseline's time. Aim (issue 4): within 1.25×, memory
bounded. Figures drift ±30 % between runs on these machines: compare ratios, not seconds.

    .venv/bin/python benchmarks/bench_badges.py [--n 1000] [--layouts a6 a4-4up]
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import random
import resource
import secrets
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


def timed(label: str, layout: str, render, n: int) -> dict:
    with peak_rss() as rss:
        started = time.perf_counter()
        pdf = render()
        seconds = time.perf_counter() - started
    pages = page_count(pdf)
    expected = n if layout == "a6" else -(-n // 4)
    assert pages == expected, f"{label} {layout}: {pages} pages, expected {expected}"
    return {"label": label, "layout": layout, "seconds": seconds, "pages": pages, "badges": n,
            "rss": rss["mb"], "maxrss": maxrss_mb(), "bytes": len(pdf)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="badges (registrations); 5000 for issue 4's aim")
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
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
        for layout in args.layouts:
            results.append(timed("baseline", layout, lambda layout=layout: baseline.render(persons, layout),
                                 args.n))
            results.append(timed("eventhub job", layout, lambda layout=layout: job.run(layout), args.n))
            # The same job with its chunks rendered by two processes (DOCUMENT_PROCESSES=2).
            results.append(timed("job, 2 procs", layout, lambda layout=layout: job.run(layout, 2), args.n))
    print(f"\nBulk badges, N = {args.n}, chunks of {CHUNK}; the baseline and 'eventhub job' in one process"
          f" (pid {os.getpid()}), 'job, 2 procs' with DOCUMENT_PROCESSES=2\n")
    print(f"{'scenario':<14}{'layout':<8}{'seconds':>9}{'pages':>7}{'pages/s':>9}{'badges/s':>10}"
          f"{'peak RSS MB':>13}{'maxrss MB':>11}{'PDF MB':>8}{'× baseline':>12}")
    base_times = {r["layout"]: r["seconds"] for r in results if r["label"] == "baseline"}
    for r in results:
        ratio = r["seconds"] / base_times[r["layout"]]
        print(f"{r['label']:<14}{r['layout']:<8}{r['seconds']:>9.1f}{r['pages']:>7}"
              f"{r['pages'] / r['seconds']:>9.1f}{r['badges'] / r['seconds']:>10.1f}{r['rss']:>13.0f}"
              f"{r['maxrss']:>11.0f}{r['bytes'] / 2**20:>8.1f}{ratio:>11.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
