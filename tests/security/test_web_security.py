"""The web's own defences: CSRF on every form, security headers, cookies, no inline script or style."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from eventhub import create_app
from eventhub.accounts import throttle
from eventhub.extensions import db as _db
from eventhub.extensions import limiter
from tests.support.world import build_world, sign_in, url_for_rule

UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "*")
REFERRER_POLICIES = ("same-origin", "strict-origin-when-cross-origin", "no-referrer")


def _form_posts(app):
    """Every (rule, method) that a browser form could send: not the API, which takes no cookies."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith("/api/v1"):
            continue
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            yield rule, method


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_every_form_post_without_a_csrf_token_is_refused(app, db, csrf_on):
    world = build_world()
    client = app.test_client()
    sign_in(client, world.users["global_organizer"])  # the best-placed victim
    checked, problems = 0, []
    for rule, method in _form_posts(app):
        url = url_for_rule(app, rule, world)
        response = client.open(url, method=method, data={"full_name": "x", "email": "x@example.vn"})
        checked += 1
        if response.status_code != 400:
            problems.append(f"{method} {rule.rule}: {response.status_code} without a CSRF token")
    assert checked >= 30
    assert not problems, "\n".join(problems)


def test_a_wrong_csrf_token_is_refused_and_the_right_one_accepted(app, db, csrf_on):
    world = build_world()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "the log-in form carries a CSRF token"
    user = world.users["participant"]
    wrong = client.post("/login", data={"email": user.email, "password": "correct-horse-42",
                                        "csrf_token": token.group(1)[:-2] + "xx"})
    assert wrong.status_code == 400
    right = client.post("/login", data={"email": user.email, "password": "correct-horse-42",
                                        "csrf_token": token.group(1)})
    assert right.status_code == 302


def test_the_api_takes_no_cookies_so_it_needs_no_csrf_token(app, db, csrf_on):
    world = build_world()
    client = app.test_client()
    sign_in(client, world.users["global_organizer"])  # a browser session: must not authenticate the API
    response = client.post(f"/api/v1/events/{world.event.slug}/registration-types", json={"code": "x"})
    assert response.status_code == 401  # not 400 (CSRF) and not 201 (the cookie counted)
    body = client.post("/api/v1/auth/tokens", json={}).get_json()
    assert body["error"]["code"] != "csrf"


# --- headers ---------------------------------------------------------------------------------------------

def _csp(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class _InlineFinder(HTMLParser):
    """Inline script bodies, style attributes and on… handlers: what the CSP would block."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "script":
            kind = dict(attrs).get("type", "")
            self._in_script = "src" not in names and kind not in ("application/json", "application/ld+json")
        if "style" in names:
            self.problems.append(f"<{tag} style=…>")
        self.problems += [f"<{tag} {n}=…>" for n in names if n.startswith("on")]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")


def _pages(app, world):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in rule.methods and not rule.rule.startswith(("/api/", "/static")):
            yield rule.rule, url_for_rule(app, rule, world)


def test_every_page_sends_the_security_headers_and_has_no_inline_script_or_style(app, db):
    world = build_world()
    client = app.test_client()
    sign_in(client, world.users["global_organizer"])  # sees every page
    problems, html_pages = [], 0
    for rule, url in _pages(app, world):
        response = client.get(url)
        where = f"GET {rule} ({response.status_code})"
        headers = response.headers
        if headers.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{where}: no nosniff")
        framed = "'none'" not in _csp(response).get("frame-ancestors", [])
        if headers.get("X-Frame-Options") != "DENY" and framed:
            problems.append(f"{where}: may be framed")
        if headers.get("Referrer-Policy") not in REFERRER_POLICIES:
            problems.append(f"{where}: referrer policy {headers.get('Referrer-Policy')}")
        csp = _csp(response)
        for directive in ("script-src", "style-src", "default-src"):
            sources = csp.get(directive, csp.get("default-src", []))
            if not sources or any(s in UNSAFE for s in sources):
                problems.append(f"{where}: {directive} {sources}")
        if csp.get("frame-ancestors") != ["'none'"]:
            problems.append(f"{where}: frame-ancestors {csp.get('frame-ancestors')}")
        if response.mimetype == "text/html":
            html_pages += 1
            finder = _InlineFinder()
            finder.feed(response.get_data(as_text=True))
            problems += [f"{where}: {p}" for p in finder.problems]
    assert html_pages >= 30
    assert not problems, "\n".join(problems)


def test_error_pages_and_api_answers_carry_the_headers_too(client):
    for url in ("/no-such-page", "/api/v1/events/no-such-event", "/api/v1/openapi.json"):
        response = client.get(url)
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url


# --- production: HSTS and cookies ------------------------------------------------------------------------

@pytest.fixture
def production(tmp_path):
    app = create_app({"ENV_CONFIG": "production", "SECRET_KEY": "a-long-production-secret-" * 2,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}",
                      "RATELIMIT_STORAGE_URI": "memory://", "MAIL_DELIVERY": "eager",
                      "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"), "MAIL_SERVER": None,
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "JOBS_EAGER": True})
    with app.app_context():
        _db.create_all()
        from tests.factories import make_user

        make_user("participant", email="prod@example.vn")
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _cookie_attributes(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";")]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts[1:]}


def test_production_sends_hsts_and_secure_httponly_samesite_cookies(production):
    client = production.test_client()
    page = client.get("/login")
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert "includeSubDomains" in page.headers["Strict-Transport-Security"]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    signed_in = client.post("/login", data={"email": "prod@example.vn", "password": "correct-horse-42",
                                            "remember": "y", "csrf_token": token})
    assert signed_in.status_code == 302
    cookies = signed_in.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    attributes = _cookie_attributes(session_cookie)
    assert "secure" in attributes and "httponly" in attributes
    assert attributes.get("samesite", "").lower() in ("lax", "strict")
    for cookie in cookies:  # the remember-me cookie too, when there is one
        attributes = _cookie_attributes(cookie)
        assert "secure" in attributes and "httponly" in attributes, cookie


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_production_refuses_the_default_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_CONFIG": "production", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})


# --- rate limits -----------------------------------------------------------------------------------------

@pytest.fixture
def tight_limits(app):
    keys = ("LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_IP", "REGISTRATION_LIMIT_PER_EMAIL",
            "REGISTRATION_LIMIT_PER_IP", "LOGIN_FAILURES_PER_ACCOUNT_AND_IP")
    previous = {k: app.config[k] for k in keys}
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes", LOGIN_LIMIT_PER_IP="1000 per 15 minutes",
                      REGISTRATION_LIMIT_PER_EMAIL="3 per hour", REGISTRATION_LIMIT_PER_IP="1000 per hour",
                      LOGIN_FAILURES_PER_ACCOUNT_AND_IP="3 per 15 minutes")  # sign-in: failures only
    limiter.reset()
    with app.app_context():
        throttle.reset()
    yield
    app.config.update(previous)
    limiter.reset()
    with app.app_context():
        throttle.reset()


def _limited(world, name):
    """(method, url, form or json body, is_api) of each limited action, with the same e-mail each time."""
    slug, code = world.event.slug, world.rtype.code
    person = {"full_name": "Khách Lạ", "email": "same@example.vn", "consent": "y"}
    return {
        "log-in": ("/login", {"email": "participant@example.vn", "password": "wrong-guess"}, False),
        "password reset": ("/password/forgot", {"email": "participant@example.vn"}, False),
        "account sign-up": ("/signup", {"email": "same@example.vn", "full_name": "Khách",
                                        "password": "x", "password_confirm": "y"}, False),
        "event registration": (f"/events/{slug}/register/{code}", person, False),
        "API token": ("/api/v1/auth/tokens", {"email": "participant@example.vn", "password": "guess"}, True),
        "API registration": (f"/api/v1/events/{slug}/registrations",
                             {"type": code, "full_name": "Khách", "email": "same@example.vn",
                              "consent": True}, True),
    }[name]


@pytest.mark.parametrize("name", ["log-in", "password reset", "account sign-up", "event registration",
                                  "API token", "API registration"])
def test_guessing_and_flooding_is_stopped_with_429_and_retry_after(app, db, tight_limits, name):
    world = build_world()
    client = app.test_client()
    url, body, is_api = _limited(world, name)
    answers = []
    for _ in range(4):
        response = client.post(url, json=body) if is_api else client.post(url, data=body)
        answers.append(response.status_code)
    assert answers[:3].count(429) == 0, answers
    assert answers[3] == 429, answers
    assert int(response.headers["Retry-After"]) > 0
    if is_api:
        assert response.get_json()["error"]["code"] == "rate_limited"
    # another person (another e-mail) on the same address is not locked out
    other = dict(body, email="someone-else@example.vn")
    again = client.post(url, json=other) if is_api else client.post(url, data=other)
    assert again.status_code != 429


@pytest.fixture
def tight_vote_limits(app):
    previous = {k: app.config[k] for k in ("VOTE_LIMIT_PER_TOKEN", "VOTE_LIMIT_PER_IP")}
    app.config.update(VOTE_LIMIT_PER_TOKEN="3 per hour", VOTE_LIMIT_PER_IP="1000 per hour")
    limiter.reset()
    yield
    app.config.update(previous)
    limiter.reset()


def test_vote_flooding_from_one_manage_link_is_stopped_with_429(app, db, tight_vote_limits):
    world = build_world()
    client = app.test_client()
    answers = [client.post(f"/r/{world.manage_token}/vote", data={}).status_code for _ in range(4)]
    assert 429 not in answers[:3] and answers[3] == 429, answers
    last = client.post(f"/r/{world.manage_token}/vote", data={})
    assert int(last.headers["Retry-After"]) > 0
    # another visitor voting from the same venue address is not locked out
    assert client.post(f"/r/{world.other_token}/vote", data={}).status_code != 429
