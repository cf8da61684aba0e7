"""The judge's phone on the exhibition floor (pairwise judging, issue 20): where to walk next, "which was
better?", skip, undo. One page per event – its categories share one walk (floor_walk.py) – and four POST
forms that redirect back to it (a reload never posts again).

A double tap must not count twice: the vote's retry is the service's (the same vote within the minute is
recorded once); "done here", skip and undo name what the page showed (the entry, the vote), and a form
whose state has moved on since is ignored – the page then shows where the walk is now.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import hooks
from ..access import get_or_404
from ..dbtypes import utcnow
from ..errors import EventHubError, ValidationError
from ..events.services import get_event
from . import floor_judging, floor_walk
from .blueprint import bp, form_id
from .errors import JudgingClosed
from .models import Contest


def _walk_url(event, category: int = 0, again: bool = False):
    return url_for("contests.floor_walk", slug=event.slug, category=category or None,
                   again=1 if again else None)


def _back(event):
    """Back to the page the form was on (one category, or comparing seen booths again)."""
    return redirect(_walk_url(event, form_id("category"), request.form.get("again") == "1"), code=303)


def _judge_event(slug: str):
    """The event, for a judge of one of its contests; 403 for anyone else."""
    event = get_event(slug)
    if not floor_walk.judges_event(event, current_user):
        abort(403)
    return event


@bp.get("/events/<slug>/floor-judging", endpoint="floor_walk")
@login_required
def walk_page(slug: str):
    event = _judge_event(slug)
    only = request.args.get("category", type=int) or 0
    contests = floor_walk.floor_contests(event, current_user)
    if only and only not in {c.id for c in contests}:
        return redirect(_walk_url(event))
    again = request.args.get("again") == "1"
    walk = (floor_walk.walk(event, current_user, only=only, again=again, contests=contests)
            if contests else None)
    stop = walk.stop if walk else None
    # The map while there is somewhere to walk to (an entry without a booth: where the judge is).
    map_html = hooks.floor_map_html(event, target=stop.spot.code if stop.spot else None,
                                    here=walk.here.code if walk.here else None) if stop else ""
    return render_template("contests/floor/walk.html", event=event, walk=walk, stop=stop, map_html=map_html,
                           category=only, again=again)


@bp.get("/contests/<int:id>/floor-judging")
@login_required
def contest_floor_walk(id: int):
    """One category's walk: the event's page kept to this contest."""
    contest = get_or_404(Contest, id)
    if not contest.has_judge(current_user):
        abort(403)
    if not floor_judging.is_pairwise_round(contest):
        return redirect(url_for("contests.judge_home"))
    return redirect(_walk_url(contest.event, contest.id))


def _posted_contest(event) -> Contest:
    """The judge's open category named by the form; 404 for an id that is none of theirs on this event."""
    contest = floor_walk.open_contest(event, current_user, form_id("contest"))
    if contest is None:
        if form_id("contest") in {c.id for c in floor_walk.floor_contests(event, current_user)}:
            raise JudgingClosed()
        abort(404)
    return contest


def _post(slug: str, action):
    """One of the page's forms: `action(event, contest)` – a service call on the judge's category the form
    names, answering what to say – then back to the page (303). A refusal is said in words above the page,
    which shows the walk as it is."""
    event = _judge_event(slug)
    try:
        message = action(event, _posted_contest(event))
    except ValidationError:
        flash(_("That was already done or is no longer on your walk; here is where you are now."), "info")
    except EventHubError as exc:
        flash(exc.describe(), "warning")
    else:
        if message:
            flash(message, "success")
    return _back(event)


def _form(name: str):
    """Makes `action(event, contest)` the page's form POST /events/<slug>/floor-judging/<name> (endpoint
    contests.floor_<name>, the action's own name): judges only, through _post."""
    def register(action):
        def view(slug: str):
            return _post(slug, action)
        bp.add_url_rule(f"/events/<slug>/floor-judging/{name}", f"floor_{name}", login_required(view),
                        methods=["POST"])
        return action
    return register


@_form("first")
def floor_first(event, contest):
    stop = floor_judging.current_stop(contest, current_user)
    if stop is None or stop.previous is not None or stop.entry.id != form_id("entry"):
        return None  # a second tap: the walk has moved on already
    floor_judging.finish_first(contest, current_user, choose=False)
    return _("Noted. On to the next booth.")


@_form("vote")
def floor_vote(event, contest):
    floor_judging.vote(contest, current_user, form_id("winner"), form_id("loser"))
    return _("Your vote is recorded.")


@_form("skip")
def floor_skip(event, contest):
    floor_judging.skip(contest, current_user, form_id("entry"))
    return _("Skipped. Here is another booth.")


@_form("undo")
def floor_undo(event, contest):
    last = floor_walk.undoable_vote(event, current_user, utcnow())
    if last is None or last.id != form_id("vote") or last.contest_id != contest.id:
        flash(_("You have no vote to undo now."), "info")  # a second tap, or the minute is over
        return None
    floor_judging.undo_last(contest, current_user)
    return _("Your last vote is taken back: compare these two again.")
