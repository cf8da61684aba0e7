"""The permission matrix's vocabulary: who may (`Access`), every route of the app, asking a route as a role
of the world (tests/support/world.py) and checking the answer against the expectation."""

from __future__ import annotations

from dataclasses import dataclass

from eventhub import create_app
from tests.factories import token_headers
from tests.support.world import DESK, LOGGED_IN, MANAGERS, ROLES, sign_in, url_for_rule

ALL = frozenset(ROLES)
LOGIN = "login"  # a redirect to the log-in page


@dataclass(frozen=True)
class Access:
    """Who may use a route, and what everybody else gets."""

    allow: frozenset
    anonymous: int | str = LOGIN  # what anonymous gets when not allowed
    others: int = 403  # what signed-in people who are not allowed get
    ok: int | None = None  # the exact answer of the allowed, when one is certain
    per_role: tuple[tuple[str, int | str], ...] = ()  # a refused role whose answer differs from `others`

    def refusal(self, role: str) -> int | str:
        """The answer `role` gets when not allowed."""
        return dict(self.per_role).get(role, self.anonymous if role == "anonymous" else self.others)


PUBLIC = Access(ALL)
SIGNED_IN = Access(LOGGED_IN)
MANAGE = Access(MANAGERS)
AT_DESK = Access(DESK)
GLOBAL_ORGANIZER = Access(frozenset({"global_organizer"}))
API_PUBLIC = Access(ALL)
API_SIGNED_IN = Access(LOGGED_IN, anonymous=401)
API_MANAGE = Access(MANAGERS, anonymous=401)
API_DESK = Access(DESK, anonymous=401)
# The manage link is the credential: anybody holding it gets in (a wrong token: test_manage_links).
BY_MANAGE_LINK = PUBLIC


def _routes() -> list[tuple[str, str]]:
    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((rule.endpoint, method))
    return sorted(found)


ROUTES = _routes()


def ask(app, world, rule, method: str, role: str):
    """Asks the route as `role` in `world`; returns the response."""
    client = app.test_client()
    headers = {}
    is_api = rule.rule.startswith("/api/")
    if role != "anonymous":
        if is_api:
            headers = token_headers(world.users[role])
        else:
            sign_in(client, world.users[role])
    url = url_for_rule(app, rule, world, strict=True)
    body = {"json": {}} if is_api and method not in ("GET", "DELETE") else {}
    return client.open(url, method=method, headers=headers, **body)


def rule_for(app, endpoint: str, method: str):
    """The URL rule of `endpoint` that answers `method`."""
    return next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods)


def check(response, role: str, access: Access, method: str, label: str) -> str | None:
    """What is wrong with the answer `role` got, or None."""
    status = response.status_code
    location = response.headers.get("Location", "")
    got = f"{status}{' → ' + location if location else ''}"
    if status >= 500:
        return f"{label} as {role}: {got} (a server error)"
    if role in access.allow:
        if access.ok is not None:
            return None if status == access.ok else f"{label} as {role}: {got}, expected {access.ok}"
        if status in (401, 403, 404) or (status == 302 and "/login" in location):
            return f"{label} as {role}: denied ({got}) but the role may use it"
        return None
    wanted = access.refusal(role)
    if wanted == LOGIN:
        if not (status == 302 and "/login" in location):
            return f"{label} as {role}: {got}, expected a redirect to the log-in page"
    elif status != wanted:
        return f"{label} as {role}: {got}, expected {wanted}"
    return None
