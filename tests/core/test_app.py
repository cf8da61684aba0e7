"""The application shell: factory, configuration, health, errors, headers, database settings."""

import pytest
from sqlalchemy import text

from eventhub import create_app
from eventhub.errors import Conflict
from eventhub.extensions import db


def test_healthz_answers_ok_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_gone(tmp_path):
    app = create_app({"ENV_CONFIG": "testing",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}}})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] != "ok"


def test_production_refuses_the_default_secret_key(monkeypatch):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_CONFIG": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app({"ENV_CONFIG": "production", "SECRET_KEY": "a-real-secret-from-the-env",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    app = create_app({"ENV_CONFIG": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.db'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_unknown_page_is_html_404_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_unknown_page_in_english(client):
    response = client.get("/no-such-page?lang=en")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_api_method_not_allowed_is_json(client):
    response = client.put("/api/v1/events")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_unexpected_errors_become_a_clean_500_page_and_json(database_url):
    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret internal detail")

    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500
    assert "secret internal detail" not in page.get_data(as_text=True)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == "internal_error"
    assert "secret" not in api.get_data(as_text=True)


def test_service_errors_keep_their_code(app):
    with app.test_request_context("/api/v1/x"):
        from eventhub.errors import handle_eventhub_error

        response = handle_eventhub_error(Conflict("taken", code="slug_taken"))
        assert response.status_code == 409
        assert response.get_json() == {"error": {"code": "slug_taken", "message": "taken"}}


def test_security_headers_on_every_page(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_pages_load_no_outside_assets(client):
    html = client.get("/").get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "")
    assert "https://" not in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert client.get("/static/vendor/bootstrap/bootstrap.min.css").status_code == 200


def test_nul_bytes_in_forms_queries_and_paths_are_refused_cleanly(client, db):
    assert client.get("/events/a%00b").status_code == 400
    assert client.get("/?q=%00").status_code == 400
    response = client.post("/login", data={"email": "a\x00@example.vn", "password": "x"})
    assert response.status_code == 400
    assert "không được phép" in response.get_data(as_text=True)


def test_event_form_refuses_years_out_of_range(client, db):
    from tests.factories import login, make_user

    login(client, make_user("organizer"))
    html = client.post("/events/new", data={
        "name": "Xa xưa", "slug": "xa-xua", "kind": "other", "starts_at": "0001-01-01T00:00",
        "ends_at": "0001-01-02T00:00"}).get_data(as_text=True)
    assert 'id="starts_at-error"' in html
