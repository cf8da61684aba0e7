"""The summary report on a demo-sized series, against bare baselines timed in the same process.

The 2020 series of domain.md, inserted in bulk into a temporary database: three events, 5,000
registrations and about 5,000 check-ins (some on two days), 5 sessions, 8 contests with 150 entries,
150 exhibitors, 25 investors and 150 startups with their meetings, 3,000 certificates. Timed:

  figures     services.series_report(2020): the twelve figures of every event and the charts' data
              (one grouped query per figure for all events, plus matchmaking's own per event),
              against a baseline of twelve bare `SELECT count(*)` on the same tables – the least
              any report could do – and the event dashboard page through the test client.
  pdf         the printable series report (pdf.render_report_pdf: data, charts, template, WeasyPrint
              with the shared fonts and stylesheets), against raw WeasyPrint rendering the very same
              HTML with a fresh FontConfiguration and stylesheet, as a one-off script would.

Prints the median of several runs and the ratio to its baseline. Figures drift ±30 % between runs on
these machines: compare ratios, not milliseconds.

    .venv/bin/python benchmarks/bench_reports.py [--db sqlite|postgres] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from reports_fixture import Series  # noqa: E402  (after the path)


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def paired_ms(fn, baseline, runs: int) -> tuple[float, float]:
    """Medians of `fn` and `baseline` run alternately, so that a change in the machine's load
    falls on both (the machine is shared and noisy)."""
    ours, base = [], []
    for _ in range(runs):
        for times, call in ((base, baseline), (ours, fn)):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(ours), statistics.median(base)


def bare_counts(db) -> None:
    """The baseline of the figures: one plain count per table the report reads."""
    for table in (
        "registrations",
        "checkins",
        "event_sessions",
        "session_choices",
        "contests",
        "contest_entries",
        "exhibitors",
        "certificates",
        "match_profiles",
        "meetings",
        "meeting_requests",
        "events",
    ):
        db.session.execute(db.text(f"SELECT count(*) FROM {table}")).scalar()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    import harness

    with tempfile.TemporaryDirectory(prefix="eventhub-bench-reports-") as tmp:
        if args.db == "sqlite":
            context = None
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        else:
            context = harness.database("postgres", migrate=False)
            url = context.__enter__()
        try:
            return run(Series(url, Path(tmp)), args)
        finally:
            if context is not None:
                context.__exit__(None, None, None)


def run(series: Series, args) -> int:
    from flask_login import FlaskLoginClient
    from sqlalchemy import event as sa_event
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from eventhub.accounts.models import User
    from eventhub.printing import BASE_URL, FETCHER, TEMPLATE_DIR, render_pdf
    from eventhub.reports import services
    from eventhub.reports.pdf import STYLESHEET, render_report_pdf, report_html

    app, db = series.app, series.db
    results = []
    with app.app_context():
        report = services.series_report(2020)
        print(f"  series 2020: {report.totals}", flush=True)
        services.series_report(2020)  # warm
        figures_ms, base_ms = paired_ms(
            lambda: services.series_report(2020), lambda: bare_counts(db), args.runs
        )
        results.append(("figures + charts' data, series (3 events)", figures_ms, "12 bare counts", base_ms))

        queries = []
        listener = lambda *a: queries.append(1)  # noqa: E731
        app.test_client_class = FlaskLoginClient
        organizer = db.session.scalar(db.select(User).where(User.role == "organizer"))
        client = app.test_client(user=organizer)
        client.get("/events/tuan-le-2020/report")
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        page_ms = median_ms(lambda: client.get("/events/tuan-le-2020/report"), args.runs)
        sa_event.remove(db.engine, "before_cursor_execute", listener)
        per_page = len(queries) / args.runs
        results.append((f"event dashboard page ({per_page:.0f} queries)", page_ms, "12 bare counts", base_ms))

        html = report_html(report, "vi")
        render_report_pdf(report)  # warm: fonts and stylesheet parsed once per process

        def raw() -> bytes:
            fonts = FontConfiguration()
            css = CSS(
                string=(TEMPLATE_DIR / STYLESHEET).read_text(encoding="utf-8"),
                base_url=BASE_URL,
                url_fetcher=FETCHER,
                font_config=fonts,
            )
            return HTML(string=html, base_url=BASE_URL, url_fetcher=FETCHER).write_pdf(
                stylesheets=[css], font_config=fonts
            )

        raw()
        render_ms, raw_ms = paired_ms(lambda: render_pdf(html, (STYLESHEET,)), raw, args.runs)
        results.append(("series PDF, rendering the HTML", render_ms, "raw WeasyPrint, same HTML", raw_ms))
        pdf_ms, raw_ms = paired_ms(lambda: render_report_pdf(services.series_report(2020)), raw, args.runs)
        results.append(
            ("series PDF, all (figures, charts, HTML, PDF)", pdf_ms, "raw WeasyPrint, same HTML", raw_ms)
        )
        pages = len(__import__("pypdf").PdfReader(__import__("io").BytesIO(render_report_pdf(report))).pages)

    print(
        f"\n{args.db}, {series.counts['registrations']:,} registrations, {series.counts['checkins']:,} "
        f"check-ins, PDF {pages} pages, median of {args.runs}\n"
    )
    print("| scenario | ms | baseline | baseline ms | × baseline |")
    print("|---|--:|---|--:|--:|")
    for name, ms, base_name, base in results:
        print(f"| {name} | {ms:.1f} | {base_name} | {base:.1f} | {ms / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
