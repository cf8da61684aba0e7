"""The department's organizers' pages of organizations: the list (search, kind, pages), an organization's
history across the series, correcting its name, kind and tax code, merging one into another (with a
confirmation saying what moves), and the likely duplicates side by side. The rules are
organizations.services'; these pages ask and show."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..errors import EventHubError
from ..forms import apply_errors
from ..paging import Page
from . import services, views
from .errors import OrganizationNotFound
from .forms import MAX_ID, EditForm, MergeForm, SearchForm

bp = Blueprint("organizations", __name__)

PER_PAGE = 50
DUPLICATES_SHOWN = 100  # pairs on the duplicates page (most likely first); decided pairs make room
CANDIDATES_SHOWN = 10  # search results offered as the organization to keep


def _allowed() -> None:
    if not permissions.can_manage_organizations(current_user):
        abort(403)


def _organization(org_id: int):
    _allowed()
    try:
        return services.get(org_id)
    except OrganizationNotFound:
        abort(404)


@bp.get("/organizations")
@login_required
def index():
    _allowed()
    form = SearchForm(formdata=request.args)
    q = (form.q.data or "")[:200]
    page = request.args.get("page", 1, type=int) or 1
    page = min(max(page, 1), 10_000)
    found, total = services.search(q, kind=form.kind_filter(), page=page, per_page=PER_PAGE)
    listing = Page(views.rows(found), page, PER_PAGE, total)
    return render_template("organizations/list.html", form=form, listing=listing,
                           filters={k: v for k, v in {"q": q, "kind": form.kind_filter()}.items() if v},
                           duplicates=views.duplicate_count(DUPLICATES_SHOWN),
                           duplicates_max=DUPLICATES_SHOWN)


@bp.get("/organizations/duplicates")
@login_required
def duplicates():
    _allowed()
    pairs = services.likely_duplicates(limit=DUPLICATES_SHOWN)
    shown = views.rows([org for pair in pairs for org in pair[:2]], with_holdings=True)
    sides = [(shown[2 * i], shown[2 * i + 1], score) for i, (_a, _b, score) in enumerate(pairs)]
    return render_template("organizations/duplicates.html", pairs=sides, shown_max=DUPLICATES_SHOWN)


@bp.get("/organizations/<int:org_id>")
@login_required
def show(org_id: int):
    org = _organization(org_id)
    row = views.rows([org], with_holdings=True)[0]
    return render_template("organizations/show.html", org=org, row=row, former=services.former(org),
                           years=views.history(org), form=MergeForm(formdata=None))


@bp.route("/organizations/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    org = _organization(org_id)
    if org.is_merged:
        flash(_("“%(name)s” has already been merged into another organization.", name=org.name), "warning")
        return redirect(url_for("organizations.show", org_id=org.id))
    form = EditForm(data={"name": org.name, "kind": org.kind.value, "tax_code": org.tax_code or ""})
    if form.validate_on_submit():
        try:
            services.update(org, actor=current_user, name=form.name.data, kind=form.kind.data,
                            tax_code=form.tax_code.data)
        except EventHubError as exc:  # a field's error (422), or the code or name another one has (409)
            apply_errors(form, exc)
            if not exc.fields:
                form.form_errors.append(exc.describe())
        else:
            flash(_("The organization “%(name)s” is saved.", name=org.name), "success")
            return redirect(url_for("organizations.show", org_id=org.id))
    status = 422 if request.method == "POST" and (form.errors or form.form_errors) else 200
    return render_template("organizations/edit.html", org=org, form=form), status


@bp.route("/organizations/<int:org_id>/merge", methods=["GET", "POST"])
@login_required
def merge(org_id: int):
    org = _organization(org_id)
    back = request.form.get("back") == "duplicates"
    if org.is_merged:
        flash(_("“%(name)s” has already been merged into another organization.", name=org.name), "warning")
        return _back(back, org)
    form = MergeForm()
    into = None
    if form.validate_on_submit():
        into = _survivor_for(form, org)
        if into is not None and form.confirm.data == "yes":
            return _merge(org, into, back)
    if back and request.method == "POST":  # the duplicates page's buttons: say why, and go back there
        flash(" ".join(e for errors in form.errors.values() for e in errors) or _("Nothing was merged."),
              "danger")
        return redirect(url_for("organizations.duplicates"))
    q = (request.args.get("q") or "")[:200]
    candidates = [o for o in services.search(q, per_page=CANDIDATES_SHOWN + 1)[0] if o.id != org.id][
        :CANDIDATES_SHOWN] if q.strip() else []
    confirming = views.rows([org, into], with_holdings=True) if into is not None else None
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template("organizations/merge.html", org=org, form=form, q=q, into=into,
                           candidates=views.rows(candidates), confirming=confirming), status


def _back(to_duplicates: bool, org):
    return redirect(url_for("organizations.duplicates") if to_duplicates else
                    url_for("organizations.show", org_id=org.id))


def _survivor_for(form: MergeForm, org):
    """The live organization the form names, or None with the reason at the field."""
    try:
        into = services.get_live(form.into_id)
    except OrganizationNotFound:
        form.into.errors.append(_("No organization has this number."))
        return None
    if into.id == org.id:
        form.into.errors.append(_("This is the organization itself: choose the one to keep."))
        return None
    return into


def _merge(org, into, back: bool):
    name, into_id = org.name, into.id
    try:
        services.merge(org, into, actor=current_user)
    except EventHubError as exc:
        flash(exc.describe(), "danger")
        return _back(back, org)
    flash(_("“%(name)s” is merged into “%(into)s”: what it held now belongs to “%(into)s”.",
            name=name, into=into.name), "success")
    return redirect(url_for("organizations.duplicates") if back else
                    url_for("organizations.show", org_id=into_id))


@bp.post("/organizations/<int:org_id>/distinct")
@login_required
def distinct(org_id: int):
    org = _organization(org_id)
    other_id = request.form.get("other", "")
    try:
        other = services.get(int(other_id)) if other_id.isascii() and other_id.isdigit() \
            and 1 <= int(other_id) <= MAX_ID else None
        if other is None:
            raise OrganizationNotFound()
        services.mark_distinct(org, other, actor=current_user)
    except EventHubError as exc:
        flash(exc.describe(), "danger")
    else:
        flash(_("“%(a)s” and “%(b)s” are marked as two different organizations; they are not shown as "
                "likely duplicates again.", a=org.name, b=other.name), "success")
    return redirect(url_for("organizations.duplicates"))
