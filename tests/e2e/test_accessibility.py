"""Accessibility, measured: axe-core (npm, package.json; a test tool, never served) runs in the browser on
the main pages – home (and the phone's menu), event, registration form, a registrant's manage page,
check-in desk (and a scan's result card), judge score sheet, floor map, certificate verification,
organizer cockpit – in Vietnamese and English, on a phone and a desk. No serious or critical violation
may remain.

Artifacts (git-ignored, kept by the CI): test-artifacts/axe/results.json (axe's results per page: every
violation and "needs review" in full, the rules passed and not applicable by name),
test-artifacts/axe/summary.txt (pages × violations by impact) and a screenshot of every page at both
sizes in test-artifacts/e2e/main_pages_pass_axe_in_both_languages_and_sizes/.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.checkin import services as checkin
from tests.factories import HCMC, PASSWORD, make_type, make_user, open_event, register

from .helpers import SIZES, judged_entry, new_context, sign_in

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORT = ROOT / "test-artifacts" / "axe"
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = {"critical", "serious"}


@pytest.fixture
def fair(db):
    """One event with something on every main page: a ticket type, a registrant, a checked-in guest with a
    certificate, the desk's staff, the organizer, a judge with an assigned entry and a floor plan."""
    from eventhub.booths import allocation
    from eventhub.booths import services as booths
    from eventhub.certificates import holders
    from eventhub.certificates import services as certificates
    from tests.support.feature_world import BOOTH_PLAN

    # Running today (the desk admits for real, the checked-in guest earns a certificate), judging open.
    now = datetime.now(HCMC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    event = open_event(slug="startup-week", name="Tuần lễ Khởi nghiệp Đổi mới sáng tạo TP.HCM",
                       starts_at=today, ends_at=today + timedelta(hours=23, minutes=59))
    visitor = make_type(event, code="visitor", name="Khách tham quan", capacity=500)
    staff = make_user("participant", email="cong@example.vn", full_name="Phạm Văn Cổng")
    grant_event_role(staff, event, "staff")
    organizer = make_user("participant", email="btc@example.vn", full_name="Lê Thị Ban Tổ Chức")
    grant_event_role(organizer, event, "organizer")
    reg, token = register(event, visitor, full_name="Nguyễn Thị Quý Trúc", email="truc@example.vn",
                           phone="0912 345 678", notify=False)
    guest, _ = register(event, visitor, full_name="Trần Văn Đức", email="duc@example.vn", notify=False)
    checkin.check_in_registration(event, guest, staff=staff)
    certificate = certificates.ensure_certificates(
        event, "participation", holders.holders_for(event, "participation", registration_ids=[guest.id]))[0]

    judge, entry = judged_entry(event, now=now, deadline=now + timedelta(days=3))

    placed = booths.replace_floorplan(event, BOOTH_PLAN)[0]  # one booth taken (its label on the colour)
    founder = make_user("participant", email="founder@saoviet.vn", full_name="Trần Sáng Lập")
    exhibitor = booths.apply(event, founder, organization="Công ty CP Sao Việt", sector="ai", size="standard",
                             preferences=[], notify=False)
    booths.review(exhibitor, "approve", notify=False)
    allocation.place(event, placed, exhibitor)
    other = make_user("participant", email="founder@tritue.vn", full_name="Võ Trí Tuệ")
    booths.apply(event, other, organization="Trí Tuệ Sài Gòn", sector="ai", size="standard", preferences=[],
                 notify=False)  # waiting for review: the cockpit has something to decide
    return {"slug": event.slug, "token": token, "ticket": reg.ticket_code, "serial": certificate.serial,
            "entry": entry.id, "visitor": visitor.code, "staff": staff.email, "organizer": organizer.email,
            "judge": judge.email}


def _pages(fair) -> list[tuple[str, str | None, str]]:
    """(name, who is signed in, path)."""
    slug = fair["slug"]
    return [
        ("home", None, "/"),
        ("event", None, f"/events/{slug}"),
        ("registration-form", None, f"/events/{slug}/register/{fair['visitor']}"),
        ("manage-registration", None, f"/r/{fair['token']}"),
        ("floor-map", None, f"/events/{slug}/floor-map"),
        ("certificate-verify", None, f"/verify/{fair['serial']}"),
        ("checkin-desk", "staff", f"/events/{slug}/checkin"),
        ("judge-score-sheet", "judge", f"/judge/entries/{fair['entry']}"),
        ("organizer-cockpit", "organizer", f"/events/{slug}/manage"),
    ]


def _axe(page) -> dict:
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
        return {url: r.url, timestamp: r.timestamp, testEngine: r.testEngine,
                testEnvironment: r.testEnvironment, violations: r.violations, incomplete: r.incomplete,
                passes: r.passes.map(rule => rule.id), inapplicable: r.inapplicable.map(rule => rule.id)};
    }""")


def _summary(results: dict) -> str:
    """One line a page: elements in violation by impact, then the rules (and "needs review" elements,
    which axe could not decide – e.g. text on a gradient – for a person to look at)."""
    lines = ["page\t" + "\t".join(IMPACTS) + "\trules\tneeds review"]
    totals = {impact: 0 for impact in IMPACTS}
    for key, result in results.items():
        counts = {impact: 0 for impact in IMPACTS}
        for violation in result["violations"]:
            counts[violation["impact"] or "minor"] += len(violation["nodes"])
            totals[violation["impact"] or "minor"] += len(violation["nodes"])
        rules = ", ".join(f"{v['id']}({v['impact']}×{len(v['nodes'])})" for v in result["violations"])
        review = ", ".join(f"{v['id']}×{len(v['nodes'])}" for v in result["incomplete"])
        lines.append("\t".join([key, *(str(counts[i]) for i in IMPACTS), rules or "-", review or "-"]))
    lines.append("\t".join([f"all {len(results)} pages", *(str(totals[i]) for i in IMPACTS)]))
    return "\n".join(lines) + "\n"


def test_main_pages_pass_axe_in_both_languages_and_sizes(browser, live, fair, shots):
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` (package.json lists axe-core)"
    _app, base = live
    results: dict[str, dict] = {}
    broken: list[str] = []  # pages that did not answer in their language (reported with the rest)
    for size in SIZES:
        phone = size == "phone"
        contexts: dict[str | None, object] = {}
        for name, who, path in _pages(fair):
            if who not in contexts:
                contexts[who] = new_context(browser, size)
                # Injected as an init script (outside the page's Content-Security-Policy, which refuses
                # inline scripts and stays in force: the pages are measured as they are served).
                contexts[who].add_init_script(path=str(AXE))
                if who is not None:
                    sign_in(contexts[who].new_page(), base, fair[who], PASSWORD)
            page = contexts[who].new_page()
            for lang in ("vi", "en"):
                response = page.goto(f"{base}{path}?lang={lang}")
                key = f"{lang} {size} {name}"
                if response.status != 200 or page.get_attribute("html", "lang") != lang:
                    broken.append(f"{key}: {path} answered {response.status} in "
                                  f"{page.get_attribute('html', 'lang')!r}")
                    continue
                if name == "floor-map":  # the map itself is measured, not a "not published yet"
                    assert page.locator("svg.floormap-svg .booth").count() == 2, key
                shots(page, key)
                results[key] = _axe(page)
                if name == "checkin-desk":  # the result card of a scan (accepted first, then refused)
                    page.fill("#ticket_code", fair["ticket"])
                    page.click("#scan-form button[type=submit]")
                    page.wait_for_selector("#checkin-result [data-result]")
                    shots(page, f"{key} scanned")
                    results[f"{key} scanned"] = _axe(page)
                if phone and name == "home":  # the phone's menu, opened: its links are measured too
                    page.click(".navbar-toggler")
                    page.wait_for_selector("#nav.show")
                    shots(page, f"{key} menu")
                    results[f"{key} menu"] = _axe(page)
            page.close()
        for context in contexts.values():
            context.close()

    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    summary = _summary(results) + "".join(f"not measured: {line}\n" for line in broken)
    (REPORT / "summary.txt").write_text(summary, encoding="utf-8")
    blocking = [f"{key}: {v['id']} ({v['impact']}) {v['help']} – "
                + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                            for node in v["nodes"][:5])
                for key, result in results.items() for v in result["violations"] if v["impact"] in BLOCKING]
    assert not broken, "pages not measured:\n" + "\n".join(broken)
    assert not blocking, "serious or critical accessibility violations:\n" + "\n".join(blocking)
