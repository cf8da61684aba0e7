"""The pages crowds read (home, an event's page) write nothing, so on PostgreSQL they run without BEGIN and
ROLLBACK (extensions.reads_only): two round trips fewer. Pages that write still get their transaction."""

from __future__ import annotations

from sqlalchemy import event as sa_event

from tests.factories import login, make_type, make_user, open_event


def _begins(db, client, path: str) -> tuple[int, str]:
    """(how many of the request's statements ran inside a transaction the driver began, the page)."""
    inside: list[bool] = []

    def on_statement(conn, cursor, statement, *_args):
        driver = conn.connection.dbapi_connection
        # psycopg sends BEGIN before a statement unless autocommit is on; sqlite3 begins only for writes
        inside.append(not getattr(driver, "autocommit", False))

    sa_event.listen(db.engine, "before_cursor_execute", on_statement)
    try:
        response = client.get(path)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", on_statement)
    assert response.status_code == 200
    return sum(inside), response.get_data(as_text=True)


def test_the_event_page_and_the_home_page_read_without_a_transaction_on_postgresql(client, db):
    event = open_event(name="Ngày hội Khởi nghiệp Quận 3")
    make_type(event, name="Khách tham quan", capacity=40)
    postgres = db.engine.dialect.name == "postgresql"
    for path in (f"/events/{event.slug}", "/"):
        begins, html = _begins(db, client, path)
        assert "Ngày hội Khởi nghiệp Quận 3" in html
        if postgres:
            assert begins == 0, path
    assert "40" in _begins(db, client, f"/events/{event.slug}?lang=en")[1]
    # signed in: the user is read first, in a transaction; the page is the same and still right
    login(client, make_user("organizer"))
    _begins_signed_in, html = _begins(db, client, f"/events/{event.slug}")
    assert "Khách tham quan" in html
    # and a page that writes keeps its transaction (the registration form's POST commits as ever)
    response = client.get("/events/nonexistent-slug")
    assert response.status_code == 404
