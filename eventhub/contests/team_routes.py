"""Pages for teams and the public: the contest page, entering, my entries, the deck, people's choice."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..access import get_or_404
from ..downloads import file_response
from ..errors import EventHubError, ValidationError
from ..extensions import limiter
from ..forms import Form, apply_errors
from ..ratelimits import vote_limit_per_ip, vote_limit_per_token, vote_token_key
from ..registration.routes import load_by_manage_token
from . import entries, floor_results, invitations, voting
from .access import entries_of_user, is_team_member
from .blueprint import bp, form_id
from .floor_judging import is_pairwise_round
from .floor_spots import clean_booth_code, set_booth_code
from .forms import BoothForm, DeckForm, EntryForm, OrganizerEntryForm, parse_team
from .models import Contest, Entry
from .recipients import award_label
from .results import contest_results, result_items


@bp.app_context_processor
def _contest_helpers():
    return {"award_label": award_label}


@bp.get("/contests/<int:id>")
def show(id: int):
    contest = get_or_404(Contest, id)
    pairwise = is_pairwise_round(contest)  # ranked by comparisons on the floor, not score sheets
    results = None
    if contest.is_published:
        results = (floor_results.result_items(floor_results.pairwise_report(contest)) if pairwise
                   else result_items(contest_results(contest)))
    tallies = voting.tally(contest) if voting.voting_closed(contest) else None
    return render_template("contests/show.html", contest=contest, event=contest.event, results=results,
                           tallies=tallies, open=entries.submissions_open(contest), pairwise=pairwise)


@bp.route("/contests/<int:id>/enter", methods=["GET", "POST"])
@login_required
def enter(id: int):
    contest = get_or_404(Contest, id)
    form = EntryForm()
    if form.validate_on_submit():
        try:
            entry = entries.submit_entry(contest, _entry_data(form), user=current_user)
        except ValidationError as exc:
            apply_errors(form, _rename(exc))
        else:
            flash(_("Your entry is submitted. Upload your pitch deck below."), "success")
            return redirect(url_for("contests.entry", id=entry.id))
    return render_template("contests/entry_form.html", contest=contest, form=form, entry=None,
                           open=entries.submissions_open(contest))


def _entry_data(form: EntryForm) -> dict:
    return {"title": form.title.data, "summary": form.summary.data, "organization": form.organization.data,
            "team": parse_team(form.team.data),
            "links": [line.strip() for line in (form.links.data or "").splitlines() if line.strip()]}


def _rename(exc: ValidationError) -> ValidationError:
    """`team.0.email` and `links.1` are shown next to their text areas."""
    fields: dict[str, list[str]] = {}
    for name, messages in (exc.fields or {}).items():
        fields.setdefault(name.split(".", 1)[0], []).extend(messages)
    return ValidationError(fields)


@bp.get("/my/entries")
@login_required
def my_entries():
    return render_template("contests/my_entries.html", entries=entries_of_user(current_user),
                           invitations=invitations.pending_for(current_user))


@bp.post("/my/invitations/<int:id>/accept")
@login_required
def accept_pending_invitation(id: int):
    """The Accept button of an invitation listed on "my entries": the same service and rules as the
    e-mailed link."""
    member = invitations.invitation_for(id, current_user)  # CSRF: checked for every POST by CSRFProtect
    if member is None:
        abort(404)
    try:
        entry = invitations.accept_member(member, current_user)
    except EventHubError as exc:
        flash(exc.describe(), "danger")
        return redirect(url_for("contests.my_entries"))
    flash(_("You are now on the team of %(title)s.", title=entry.title), "success")
    return redirect(url_for("contests.entry", id=entry.id))


def _team_entry(entry_id: int) -> Entry:
    entry = get_or_404(Entry, entry_id)
    if not (is_team_member(current_user, entry)
            or permissions.can_manage_contest(current_user, entry.contest)):
        abort(403)
    return entry


@bp.get("/entries/<int:id>")
@login_required
def entry(id: int):
    entry = _team_entry(id)
    return render_template("contests/entry.html", entry=entry, contest=entry.contest, deck_form=DeckForm(),
                           open=entries.submissions_open(entry.contest))


@bp.route("/entries/<int:id>/edit", methods=["GET", "POST"])
@login_required
def edit_entry(id: int):
    entry = _team_entry(id)
    organizer = permissions.can_manage_contest(current_user, entry.contest)
    form = (OrganizerEntryForm if organizer else EntryForm)(obj=None if request.method == "POST" else entry)
    if request.method == "GET":
        creator_email = next((m.email for m in entry.members if m.user_id == entry.created_by_id), None)
        form.team.data = "\n".join(f"{m.full_name}, {m.email}" for m in entry.members
                                   if m.email != creator_email)
        form.links.data = "\n".join(entry.links or [])
    if form.validate_on_submit():
        try:
            if organizer:  # refused before anything is saved
                clean_booth_code(form.booth_code.data, "booth_code")
            entries.update_entry(entry, _entry_data(form), user=current_user)
            if organizer:
                set_booth_code(entry, form.booth_code.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, _rename(exc))
        except EventHubError as exc:
            flash(exc.describe(), "danger")
        else:
            flash(_("Your entry is saved."), "success")
            return redirect(url_for("contests.entry", id=entry.id))
    return render_template("contests/entry_form.html", contest=entry.contest, form=form, entry=entry,
                           open=entries.submissions_open(entry.contest),
                           booth_form=BoothForm(obj=entry) if organizer else None)


@bp.post("/entries/<int:id>/deck")
@login_required
def upload_deck(id: int):
    entry = _team_entry(id)
    form = DeckForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.stream.read(entries.MAX_DECK_BYTES + 1) if upload is not None else b""
        try:
            entries.upload_deck(entry, data, upload.filename if upload is not None else None,
                                user=current_user,
                                by_organizer=permissions.can_manage_contest(current_user, entry.contest))
        except ValidationError as exc:
            apply_errors(form, exc)
        except EventHubError as exc:
            form.file.errors = [exc.describe()]
        else:
            flash(_("Your pitch deck is uploaded."), "success")
            return redirect(url_for("contests.entry", id=entry.id))
    return render_template("contests/entry.html", entry=entry, contest=entry.contest, deck_form=form,
                           open=entries.submissions_open(entry.contest)), 422


@bp.post("/entries/<int:id>/withdraw")
@login_required
def withdraw(id: int):
    entry = _team_entry(id)
    entries.withdraw(entry, user=current_user)
    flash(_("Your entry is withdrawn."), "info")
    return redirect(url_for("contests.my_entries"))


@bp.get("/entries/<int:id>/deck.pdf")
@login_required
def deck(id: int):
    entry = get_or_404(Entry, id)
    if not permissions.can_view_entry(current_user, entry):
        abort(403)
    if not entry.deck_key:
        abort(404)
    blind = entry.contest.blind and not (permissions.can_manage_contest(current_user, entry.contest)
                                         or is_team_member(current_user, entry))
    return file_response(entries.deck_for(entry, blind_viewer=blind), "application/pdf",
                         entries.deck_filename_for(entry, blind_viewer=blind))


@bp.route("/r/<token>/vote", methods=["GET", "POST"])
@limiter.limit(vote_limit_per_ip, methods=["POST"])
@limiter.limit(vote_limit_per_token, key_func=vote_token_key, methods=["POST"])
def vote(token: str):
    """People's choice from the registration's manage link."""
    reg = load_by_manage_token(token)
    if request.method == "POST":
        try:
            voting.cast_vote_by_ids(reg, form_id("contest_id"), form_id("entry_id"))
        except EventHubError as exc:
            flash(exc.describe() if not exc.fields else _("Choose an entry of this contest."), "danger")
        else:
            flash(_("Thank you, your vote is counted."), "success")
        return redirect(url_for("contests.vote", token=token))
    sections = []
    for contest in voting.votable_contests(reg):
        sections.append({"contest": contest, "entries": voting.ballot(contest),
                         "vote": voting.vote_of(contest, reg), "open": voting.voting_open(contest),
                         "tally": voting.tally(contest) if voting.voting_closed(contest) else None})
    return render_template("contests/vote.html", reg=reg, event=reg.event, token=token, sections=sections,
                           checked_in=voting.is_checked_in(reg))


@bp.route("/contests/invitations/<token>", methods=["GET", "POST"])
@login_required
def accept_invitation(token: str):
    """The page of the e-mailed team invitation: accepted with a button, by the invited address only,
    once it is proven (the banner on every page offers the confirmation link again)."""
    try:
        member = invitations.member_for_token(token)
    except ValidationError as exc:
        return render_template("contests/invitation.html", error=exc.fields["token"][0], member=None,
                               form=None), 404
    problem = invitations.refusal(member, current_user)
    if member.accepted_at is not None and member.user_id == current_user.id:
        return redirect(url_for("contests.entry", id=member.entry_id))
    form = Form()
    if problem is None and form.validate_on_submit():
        try:
            entry = invitations.accept(token, current_user)
        except EventHubError as exc:
            problem = exc.describe()
        else:
            flash(_("You are now on the team of %(title)s.", title=entry.title), "success")
            return redirect(url_for("contests.entry", id=entry.id))
    return render_template("contests/invitation.html", error=problem, member=member, form=form,
                           contest=member.entry.contest), 403 if problem else 200
