"""Every route of the app × every role, with the answer each must get.

Routes come from `app.url_map`, so a route added later cannot escape: it fails here until EXPECT says
who may use it. Denied answers are exact (302 to the log-in page, 401, 403, 404); allowed answers must
be a success or a form's own answer (no 401/403/404, no redirect to log in, no 5xx), or exactly `ok`.
"""

from __future__ import annotations

import pytest

from eventhub.extensions import db
from tests.support.access_matrix import (
    ALL,
    API_DESK,
    API_MANAGE,
    API_PUBLIC,
    API_SIGNED_IN,
    AT_DESK,
    BY_MANAGE_LINK,
    GLOBAL_ORGANIZER,
    MANAGE,
    PUBLIC,
    ROUTES,
    SIGNED_IN,
    Access,
    ask,
    check,
    rule_for,
)
from tests.support.database import empty_tables
from tests.support.world import (
    LOGGED_IN,
    MANAGERS,
    ROLES,
    build_world,
)

# endpoint (or "endpoint METHOD") → who may. Add your routes here.
EXPECT: dict[str, Access] = {
    "static": PUBLIC,
    "health.healthz": PUBLIC,
    "events.home": PUBLIC,
    "events.show": PUBLIC,
    "events.create": GLOBAL_ORGANIZER,
    "events.edit": MANAGE,
    "events.manage": MANAGE,
    "events.revoke_role": MANAGE,
    "events.audit": MANAGE,
    "events.failed_emails": GLOBAL_ORGANIZER,  # the outbox names no event: the department's organizers
    "events.retry_failed_emails": Access(frozenset({"global_organizer"}), ok=302),
    "accounts.login": PUBLIC,
    "accounts.logout": SIGNED_IN,
    "accounts.signup": PUBLIC,
    "accounts.forgot_password": PUBLIC,
    "accounts.reset_password": PUBLIC,
    "accounts.profile": SIGNED_IN,
    "accounts.export_data": SIGNED_IN,
    "accounts.delete_account": SIGNED_IN,
    "accounts.signup_sent": PUBLIC,
    # The signed link and the account's own sign-in together (the link is the participant's): the owner
    # of the mailbox must not confirm somebody else's account by a click (test_proven_address).
    "accounts.verify_email": Access(frozenset({"participant"})),
    "accounts.verify_email POST": Access(frozenset({"participant"}), ok=302),  # then to the profile
    "accounts.resend_verification": SIGNED_IN,
    "accounts.change_email": SIGNED_IN,
    "api_tokens.me": API_SIGNED_IN,
    # Organizers' messages (issue 18): the unsubscribe link is the credential (a signed address).
    "messaging.unsubscribe_page": PUBLIC,
    "messaging.unsubscribe": PUBLIC,
    "api_messages.create": API_MANAGE,
    "api_messages.list_messages": API_MANAGE,
    "api_messages.show": API_MANAGE,
    "api_messages.cancel": API_MANAGE,
    "messaging.index": MANAGE,  # the organizers' pages of an event's messages
    # Follow-ups of outcomes (issue 19): the e-mailed link is the credential (a signed row id). The world's
    # meeting is scheduled, not held: a click is refused as no longer standing (409) – to anyone holding
    # the link. The organizers' page, its XLSX and the API: managers.
    "followups.answer_page": PUBLIC,
    "followups.answer": Access(ALL, ok=409),
    "followups.event_page": MANAGE,
    "followups.event_xlsx": MANAGE,
    "api_followups.list_followups": API_MANAGE,
    # Surveys (issue 19): the organizers' pages and API; the invitation's signed link is the respondent's
    # credential (an empty answer to the world's required question is refused with its field: 422).
    "surveys.index": MANAGE,
    "surveys.create": MANAGE,
    "surveys.show": MANAGE,
    "surveys.send": Access(MANAGERS, ok=302),
    "surveys.close": Access(MANAGERS, ok=302),
    "surveys.export": MANAGE,
    "surveys.answer": PUBLIC,
    "surveys.answer POST": Access(ALL, ok=422),
    "api_surveys.create_survey": API_MANAGE,
    "api_surveys.list_surveys": API_MANAGE,
    "api_surveys.get_survey": API_MANAGE,
    "api_surveys.send_survey": API_MANAGE,
    "api_surveys.survey_results_api": API_MANAGE,
    "api_surveys.answer_survey": Access(ALL, ok=422),
    "messaging.compose": MANAGE,
    "messaging.show": MANAGE,
    "messaging.cancel": MANAGE,
    "registration.agenda": PUBLIC,
    "registration.agenda_ics": PUBLIC,
    "registration.register": PUBLIC,
    "registration.manage": BY_MANAGE_LINK,
    "registration.cancel": BY_MANAGE_LINK,
    "registration.my_data": BY_MANAGE_LINK,
    "registration.edit": BY_MANAGE_LINK,
    "registration.erase": BY_MANAGE_LINK,
    "registration.choose_sessions": BY_MANAGE_LINK,
    "registration.my_sessions_ics": BY_MANAGE_LINK,
    "registration.ticket_png": BY_MANAGE_LINK,
    "registration.confirm_email": BY_MANAGE_LINK,  # the e-mailed confirmation link is the credential
    "registration.lost_link": PUBLIC,
    "registration.attendance": BY_MANAGE_LINK,  # the reminder's "will you come?" page (manage link)
    "registration_admin.types": MANAGE,
    "registration_admin.new_type": MANAGE,
    "registration_admin.edit_type": MANAGE,
    "registration_admin.new_question": MANAGE,
    "registration_admin.edit_question": MANAGE,
    "registration_admin.set_question_active": MANAGE,
    "registration_admin.registrations": MANAGE,
    "registration_admin.registration": MANAGE,
    "registration_admin.new_registration": MANAGE,
    "registration_admin.decide": MANAGE,
    "registration_admin.export_csv": MANAGE,
    "registration_admin.export_xlsx": MANAGE,
    "registration_admin.sessions": MANAGE,
    "registration_admin.new_session": MANAGE,
    "registration_admin.edit_session": MANAGE,
    "checkin.desk": AT_DESK,
    # The staff menu's desk: a choice of the events whose gate the person may work (an event's organizer
    # works the gate of that event too, so the other event's organizer is let in to a list of theirs).
    "checkin.gate_home": Access(AT_DESK.allow | {"other_organizer"}),
    "checkin.scan": AT_DESK,
    "checkin.check_in_by_hand": AT_DESK,
    "checkin.set_gate": AT_DESK,
    "checkin.stats": AT_DESK,
    # The offline desk (issue 17): the kit and the batch with the desk's session; its manifest and service
    # worker are plain files that browsers fetch on their own (a manifest without cookies).
    "checkin.offline_kit": AT_DESK,
    "checkin.check_in_batch": AT_DESK,  # the empty body: 422, after the permission check
    "checkin.service_worker": PUBLIC,
    "checkin.manifest": PUBLIC,
    "checkin.door": AT_DESK,  # a workshop's door: the desk's door mode for one session
    "checkin.door_scan": AT_DESK,
    "checkin.session_attendance": AT_DESK,  # who came in at a session's door (names)
    # Undoing a check-in is the organizers' call, not the gate's.
    "checkin.undo": MANAGE,
    "badges.bulk_badges": MANAGE,
    "badges.print_badge": AT_DESK,  # the desk reprints a lost badge
    "jobs.show": MANAGE,  # who started it (the organizer) or a manager of its event
    "jobs.result": MANAGE,
    "jobs.status": MANAGE,
    # API: cookies never authenticate it; no token → 401.
    "api-docs.openapi_json": API_PUBLIC,
    "api_tokens.create_token": API_PUBLIC,  # the log-in of the API (e-mail + password)
    "api_tokens.revoke_current_token": API_SIGNED_IN,
    "api_events.list_events": API_PUBLIC,
    "api_events.get_event": API_PUBLIC,
    "api_events.create_event": Access(frozenset({"global_organizer"}), anonymous=401),
    "api_events.patch_event": API_MANAGE,
    "api_registration_setup.list_types": API_PUBLIC,
    "api_registration_setup.list_sessions": API_PUBLIC,
    "api_registration_setup.sessions_calendar": API_PUBLIC,
    "api_registration_setup.create_type": API_MANAGE,
    "api_registration_setup.add_question": API_MANAGE,
    "api_registration_setup.create_session": API_MANAGE,
    "api_registrations.register": API_PUBLIC,
    "api_registrations.resend_links": API_PUBLIC,
    "api_registrations.list_registrations": API_MANAGE,
    "api_registrations.export_csv": API_MANAGE,
    "api_registrations.export_xlsx": API_MANAGE,
    "api_registrations.get_registration": API_MANAGE,
    "api_registrations.approve": API_MANAGE,
    "api_registrations.reject": API_MANAGE,
    "api_registrations.cancel": API_MANAGE,
    "api_registrations.attendance": API_MANAGE,
    "api_checkin.check_in": API_DESK,
    "api_checkin.undo": API_MANAGE,
    "api_checkin.stats": API_DESK,
    "api_checkin.offline_kit": API_DESK,
    "api_checkin.check_in_batch": API_DESK,
    "api_checkin.session_check_in": API_DESK,
    "api_checkin.session_attendance": API_DESK,
    "api_badges.start_badges": API_MANAGE,
    "api_badges.get_badge": API_DESK,
    "api_jobs.get_job": API_MANAGE,
    "api_jobs.get_result": API_MANAGE,
    # --- reports: an event's report for its managers; the series' for the department's organizers.
    "reports.event_dashboard": MANAGE,
    "reports.event_pdf": MANAGE,
    "reports.event_xlsx": MANAGE,
    "reports.series_dashboard": GLOBAL_ORGANIZER,
    "reports.series_pdf": GLOBAL_ORGANIZER,
    "reports.series_xlsx": GLOBAL_ORGANIZER,
    "api_reports.event_report": API_MANAGE,
    "api_reports.event_report_pdf": API_MANAGE,
    "api_reports.event_report_xlsx": API_MANAGE,
    # Without `year` the global organizer gets 422; everybody else is refused before the query is read.
    "api_reports.series_report": Access(frozenset({"global_organizer"}), anonymous=401),
    "api_reports.series_report_pdf": Access(frozenset({"global_organizer"}), anonymous=401),
    "api_reports.series_report_xlsx": Access(frozenset({"global_organizer"}), anonymous=401),
}

# --- features that landed later (contests, booths, certificates, matchmaking, reports) ----------------

JUDGE = frozenset({"judge"})
INVESTOR = frozenset({"investor"})
# Global role "participant" (startups, partners): the ones who may apply for a booth or have a startup
# profile; judges, investors and global organizers are other kinds of accounts.
PARTICIPANT_ROLE = frozenset({"participant", "staff", "organizer", "other_organizer"})
NO_PROFILE = tuple((r, 404) for r in PARTICIPANT_ROLE)  # signed in, but no meeting of theirs to see

EXPECT.update({
    # contests: organizers run them; the judge scores only assigned entries (test_judges_* below)
    "api_contests.list_contests": API_PUBLIC,
    "api_contests.get_contest": API_PUBLIC,
    "api_contests.create_contest": API_MANAGE,
    "api_contests.patch_contest": API_MANAGE,
    "api_contests.add_judges": API_MANAGE,
    "api_contests.assign": API_MANAGE,
    "api_contests.add_assignment": API_MANAGE,
    "api_contests.remove_assignment": API_MANAGE,
    "api_contests.list_conflicts": API_MANAGE,
    "api_contests.add_conflict": Access(MANAGERS | JUDGE, anonymous=401),  # a judge declares their own
    "api_contests.decide_conflict": API_MANAGE,
    "api_contests.list_entries": API_MANAGE,
    "api_contests.submit_entry": API_SIGNED_IN,  # any account may enter (422: an empty body)
    "api_contests.get_entry": Access(MANAGERS | JUDGE, anonymous=401),  # the judge: an assigned entry
    "api_contests.patch_entry": API_MANAGE,  # and its team (not a role here)
    "api_contests.upload_file": API_MANAGE,
    "api_contests.get_deck": Access(MANAGERS | JUDGE, anonymous=401, ok=404),  # no deck uploaded
    "api_contests.put_scores": Access(JUDGE, anonymous=401),  # organizers do not score
    "api_contests.set_award": API_MANAGE,
    "api_contests.promote": API_MANAGE,
    "api_contests.publish": API_MANAGE,
    "api_contests.unpublish": API_MANAGE,
    "api_contests.results": Access(MANAGERS, anonymous=403),  # public once published
    "api_contests.votes": Access(MANAGERS, anonymous=403),  # public once voting closed
    # pairwise judging on the floor: the contest's judges only (the world's contest is a rubric one: 409)
    "api_contests.next_entry": Access(JUDGE, anonymous=401, ok=409),
    "api_contests.post_vote": Access(JUDGE, anonymous=401),
    "api_contests.undo_vote": Access(JUDGE, anonymous=401, ok=409),
    "api_contests.judge_assignments": API_SIGNED_IN,  # each sees their own
    "contests.show": PUBLIC,
    "contests.event_contests": MANAGE,
    "contests.manage": MANAGE,
    "contests.settings": MANAGE,
    "contests.add_judges": MANAGE,
    "contests.assign": MANAGE,
    "contests.edit_assignment": MANAGE,
    "contests.add_conflict": MANAGE,  # judges recuse themselves on their score sheet (contests.recuse)
    "contests.decide_conflict": MANAGE,
    "contests.promote": MANAGE,
    "contests.publish": MANAGE,
    "contests.awards": MANAGE,
    "contests.results": MANAGE,
    "contests.export": MANAGE,
    # the organizer's floor pages of a pairwise contest (the world's contest is a rubric one: 404 to them)
    "contests.floor_admin": Access(MANAGERS, ok=404),
    "contests.floor_admin_export": Access(MANAGERS, ok=404),
    "contests.floor_admin_overview": MANAGE,  # the event's pairwise contests (none in the world)
    "contests.entry_booth": MANAGE,  # where an entry is shown on the floor: organizers only
    "contests.entry": MANAGE,  # and its team; judges see entries through their score sheets
    "contests.edit_entry": MANAGE,
    "contests.upload_deck": MANAGE,
    "contests.withdraw": MANAGE,
    "contests.deck": Access(MANAGERS | JUDGE, ok=404),  # no deck uploaded: nobody gets one
    "contests.enter": SIGNED_IN,
    "contests.my_entries": SIGNED_IN,
    # The invitation in the world is to the participant's address: only they may accept it.
    "contests.accept_invitation": Access(frozenset({"participant"})),
    # The Accept button on "my entries": the participant's own (proven) address only; to anyone else the
    # invitation is not found.
    "contests.accept_pending_invitation": Access(frozenset({"participant"}), others=404, ok=302),
    "contests.judge_home": SIGNED_IN,  # each sees their own assignments (none for non-judges)
    # The judge's walk on the floor: judges of the event's contests only, organizers included in the refusal
    # (they have their own floor pages). The world's contest is a rubric one: the walk says there is no
    # floor judging, a category's walk sends the judge home, and a posted form names no category (404).
    "contests.floor_walk": Access(JUDGE, ok=200),
    "contests.contest_floor_walk": Access(JUDGE, ok=302),
    "contests.floor_first": Access(JUDGE, ok=404),
    "contests.floor_vote": Access(JUDGE, ok=404),
    "contests.floor_skip": Access(JUDGE, ok=404),
    "contests.floor_undo": Access(JUDGE, ok=404),
    "contests.score_sheet": Access(JUDGE),  # the assigned judge only, not even organizers
    "contests.recuse": Access(JUDGE),
    "contests.vote": BY_MANAGE_LINK,  # a registration's manage link is the ballot
    # booths
    "api_booths.list_booths": API_PUBLIC,
    "api_booths.get_floorplan": API_PUBLIC,
    "api_booths.list_exhibitors": API_PUBLIC,
    "api_booths.put_floorplan": API_MANAGE,
    "api_booths.place": API_MANAGE,
    "api_booths.assign": API_MANAGE,
    "api_booths.review": API_MANAGE,
    "api_booths.apply": Access(PARTICIPANT_ROLE, anonymous=401),
    "booths.directory": PUBLIC,
    "booths.floor_map": PUBLIC,
    "booths.exhibitor_list_pdf": PUBLIC,
    "booths.booth_sign": PUBLIC,
    "booths.exhibitor": Access(MANAGERS, anonymous=404, others=404),  # not approved yet: not public
    "booths.logo": Access(ALL, ok=404),  # the application has no logo
    "booths.my_application": Access(PARTICIPANT_ROLE),
    "booths.withdraw": Access(LOGGED_IN, ok=404),  # none of them applied: nothing to withdraw
    "booths_admin.applications": MANAGE,
    "booths_admin.application": MANAGE,
    "booths_admin.allocation_page": MANAGE,
    "booths_admin.run": MANAGE,
    "booths_admin.confirm": MANAGE,
    "booths_admin.place": MANAGE,
    "booths_admin.swap": MANAGE,
    "booths_admin.floorplan_csv": MANAGE,
    "booths_admin.edit_floorplan": MANAGE,
    "booths_admin.clear_assignment": MANAGE,
    # certificates: verification is public; the holder's PDF by their manage link or signed link
    "api_certificates.get_certificate": API_PUBLIC,
    "api_certificates.get_certificate_pdf": API_MANAGE,
    "api_certificates.list_certificates": API_MANAGE,
    "api_certificates.issue": API_MANAGE,
    "api_certificates.revoke": API_MANAGE,
    "certificates_public.verify": PUBLIC,
    "certificates_public.lookup": PUBLIC,  # the form to type a serial in
    "certificates_public.ob_issuer": PUBLIC,
    "certificates_public.ob_badge": PUBLIC,
    "certificates_public.ob_assertion": PUBLIC,
    "certificates_public.holder_pdf": BY_MANAGE_LINK,
    "certificates_public.download": Access(ALL, ok=404),  # no signed ?t=: nobody (test_signed_links)
    "certificates.index": MANAGE,
    "certificates.pdf": MANAGE,
    "certificates.revoke": MANAGE,
    "certificates.issue": MANAGE,
    "certificates.send_mail": MANAGE,
    "certificates.upload_asset": MANAGE,
    "certificates.asset": MANAGE,
    "certificates.edit_template": MANAGE,
    "certificates.preview": MANAGE,
    "certificates.reset_template": MANAGE,
    # matchmaking: the investor has a profile and a meeting; the other participants have none yet
    "api_matchmaking.get_my_profile": Access(INVESTOR, anonymous=401),
    "api_matchmaking.put_my_profile": API_SIGNED_IN,  # 422 for an empty body, before the kind check
    "api_matchmaking.get_recommendations": Access(INVESTOR, anonymous=401),
    "api_matchmaking.post_meeting_request": Access(INVESTOR, anonymous=401),
    "api_matchmaking.accept_request": Access(INVESTOR, anonymous=401),  # the request is to them
    "api_matchmaking.decline_request": Access(INVESTOR, anonymous=401),
    "api_matchmaking.my_meetings": Access(INVESTOR, anonymous=401),
    "api_matchmaking.my_meetings_ics": Access(INVESTOR, anonymous=401),
    "api_matchmaking.post_outcome": Access(INVESTOR, anonymous=401),  # their meeting
    "api_matchmaking.get_slots": API_MANAGE,
    "api_matchmaking.put_slots": API_MANAGE,
    "api_matchmaking.run_schedule": API_MANAGE,
    "matchmaking.calendar_feed": PUBLIC,  # the signed feed link is the credential
    "matchmaking.index": Access(INVESTOR | PARTICIPANT_ROLE),  # the others: 302 to make a profile
    "matchmaking.browse": Access(INVESTOR | PARTICIPANT_ROLE),
    "matchmaking.inbox": Access(INVESTOR | PARTICIPANT_ROLE),
    "matchmaking.agenda_page": Access(INVESTOR | PARTICIPANT_ROLE),
    "matchmaking.profile": Access(INVESTOR | PARTICIPANT_ROLE),
    "matchmaking.request_meeting": Access(INVESTOR | PARTICIPANT_ROLE),
    "matchmaking.agenda_ics": Access(INVESTOR, per_role=NO_PROFILE),
    "matchmaking.agenda_pdf": Access(INVESTOR, per_role=NO_PROFILE),
    "matchmaking.outcome": Access(INVESTOR, per_role=NO_PROFILE),
    "matchmaking.answer": Access(INVESTOR, per_role=NO_PROFILE),
    "matchmaking_admin.slots_page": MANAGE,
    "matchmaking_admin.meetings": MANAGE,
    "matchmaking_admin.move": MANAGE,
    "matchmaking_admin.lock": MANAGE,
    "matchmaking_admin.cancel": MANAGE,
    "matchmaking_admin.run_schedule": MANAGE,
    # reports: an event's for its managers, the series' for global organizers
    "reports.event_dashboard": MANAGE,
    "reports.event_pdf": MANAGE,
    "reports.event_xlsx": MANAGE,
    "reports.series_dashboard": GLOBAL_ORGANIZER,
    "reports.series_pdf": GLOBAL_ORGANIZER,
    "reports.series_xlsx": GLOBAL_ORGANIZER,
    "api_reports.event_report": API_MANAGE,
    "api_reports.event_report_pdf": API_MANAGE,
    "api_reports.event_report_xlsx": API_MANAGE,
    "api_reports.series_report": Access(frozenset({"global_organizer"}), anonymous=401),
    "api_reports.series_report_pdf": Access(frozenset({"global_organizer"}), anonymous=401),
    "api_reports.series_report_xlsx": Access(frozenset({"global_organizer"}), anonymous=401),
    # programmes (issue 19): the department's organizers, like the series report they are read against
    "programmes.index": GLOBAL_ORGANIZER,
    "programmes.create": GLOBAL_ORGANIZER,
    "programmes.edit": GLOBAL_ORGANIZER,
    "programmes.show": GLOBAL_ORGANIZER,
    "programmes.pdf": GLOBAL_ORGANIZER,
    "api_programmes.create_programme": Access(frozenset({"global_organizer"}), anonymous=401),
    "api_programmes.list_programmes": Access(frozenset({"global_organizer"}), anonymous=401),
    "api_programmes.get_programme": Access(frozenset({"global_organizer"}), anonymous=401),
    "api_programmes.programme_report": Access(frozenset({"global_organizer"}), anonymous=401),
    # organizations' pages (issue 19): one record across every event, so the department's organizers
    "organizations.index": GLOBAL_ORGANIZER,
    "organizations.duplicates": GLOBAL_ORGANIZER,
    "organizations.show": GLOBAL_ORGANIZER,
    "organizations.merge": GLOBAL_ORGANIZER,  # an empty post: the form again, its field said (422)
    "organizations.edit": GLOBAL_ORGANIZER,  # an empty post: the form again, the name required (422)
    "organizations.distinct": Access(frozenset({"global_organizer"}), ok=302),  # back to the duplicates
    # organizations' API (issue 19): the same people; an empty merge or distinct body is a 422 to them
    "api_organizations.list_organizations": Access(frozenset({"global_organizer"}), anonymous=401, ok=200),
    "api_organizations.get_organization": Access(frozenset({"global_organizer"}), anonymous=401, ok=200),
    # an empty body changes nothing: the organization as it is
    "api_organizations.update_organization": Access(frozenset({"global_organizer"}), anonymous=401, ok=200),
    "api_organizations.merge_organization": Access(frozenset({"global_organizer"}), anonymous=401, ok=422),
    "api_organizations.mark_distinct": Access(frozenset({"global_organizer"}), anonymous=401, ok=422),
})

# The create_event API answers 422 to an empty body before it asks who is calling: signed-in people
# who may not create events see 422 for an empty body, and 403 for a valid one (test_api_create_event).
EXPECT["api_events.create_event"] = Access(LOGGED_IN, anonymous=401)


def _expectation(endpoint: str, method: str) -> Access:
    access = EXPECT.get(f"{endpoint} {method}") or EXPECT.get(endpoint)
    if access is None:
        pytest.fail(f"No permission expectation for {endpoint} ({method}): add it to EXPECT in "
                    f"tests/security/test_permission_matrix.py (who may use it, what the others get).")
    return access


def _may_have_changed(rule, response) -> bool:
    """After a success the next role gets a fresh world; a refused form (422, 409, a page shown again
    with its errors) changed nothing."""
    if rule.rule.startswith("/api/"):
        return response.status_code < 300
    return response.status_code in (301, 302, 303) or response.mimetype != "text/html"


class SharedWorld:
    """One world for as long as nothing changes it: refusals change nothing and pages (GET) are read
    only, so a new world is built only after an allowed request that may have written."""

    def __init__(self):
        self.world = None
        self.dirty = True

    def get(self):
        if self.dirty or self.world is None:
            db.session.rollback()
            empty_tables()
            db.session.expunge_all()
            self.world = build_world()
            self.dirty = False
        return self.world


@pytest.fixture(scope="module")
def shared(app):
    with app.app_context():
        holder = SharedWorld()
        yield holder
        db.session.rollback()
        empty_tables()
        db.session.remove()


@pytest.mark.parametrize(("endpoint", "method"), ROUTES, ids=[f"{e}-{m}" for e, m in ROUTES])
def test_every_route_answers_every_role_as_expected(app, shared, endpoint, method):
    access = _expectation(endpoint, method)
    rule = rule_for(app, endpoint, method)
    problems = []
    # Who is turned away asks first; after an allowed request that may have changed something (not a
    # page, not a refused form) the next role, or route, gets a fresh world.
    order = [r for r in ROLES if r not in access.allow] + [r for r in ROLES if r in access.allow]
    for role in order:
        response = ask(app, shared.get(), rule, method, role)
        problem = check(response, role, access, method, f"{method} {rule.rule}")
        if problem:
            problems.append(problem)
        if role in access.allow and method != "GET" and _may_have_changed(rule, response):
            shared.dirty = True
    assert not problems, "\n".join(problems)


def test_the_table_names_no_route_that_does_not_exist():
    known = {e for e, _m in ROUTES} | {f"{e} {m}" for e, m in ROUTES}
    assert set(EXPECT) <= known, sorted(set(EXPECT) - known)
