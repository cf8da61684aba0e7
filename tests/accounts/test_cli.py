"""The users CLI of api.md: create accounts with roles, give per-event roles."""

from eventhub.accounts.models import EventRole, Role, User
from eventhub.events.models import Event
from eventhub.registration.models import Registration, RegistrationType
from tests.factories import make_event, make_user


def test_users_create_with_role_and_name(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "Khoa@Example.vn", "--password", "secret-pass", "--role", "organizer",
        "--name", "Lê Minh Khoa"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role, user.full_name) == ("khoa@example.vn", Role.organizer, "Lê Minh Khoa")


def test_users_create_refuses_bad_input_with_a_message(app, db):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "create", "a@example.vn", "--password", "short"])
    assert short.exit_code != 0 and "password" in short.output
    bad_role = runner.invoke(args=["users", "create", "a@example.vn", "--password", "long-enough",
                                   "--role", "king"])
    assert bad_role.exit_code != 0
    runner.invoke(args=["users", "create", "a@example.vn", "--password", "long-enough"])
    again = runner.invoke(args=["users", "create", "A@example.vn", "--password", "long-enough"])
    assert again.exit_code != 0 and "Đã có tài khoản" in again.output
    assert len(db.session.scalars(db.select(User)).all()) == 1


def test_users_grant_event_role(app, db):
    user = make_user()
    event = make_event()
    result = app.test_cli_runner().invoke(args=["users", "grant", user.email, "--event", event.slug,
                                                "--role", "staff"])
    assert result.exit_code == 0, result.output
    grant = db.session.scalar(db.select(EventRole))
    assert (grant.user_id, grant.event_id, grant.role.value) == (user.id, event.id, "staff")


def test_demo_loads_the_2020_series_once(app, db, demo):
    counts = (db.session.scalar(db.select(db.func.count(User.id))),
              db.session.scalar(db.select(db.func.count(Registration.id))))
    again = app.test_cli_runner().invoke(args=["demo", "--visitors", "0.01"])  # on the loaded demo
    assert again.exit_code == 0, again.output
    assert (db.session.scalar(db.select(db.func.count(User.id))),
            db.session.scalar(db.select(db.func.count(Registration.id)))) == counts
    slugs = set(db.session.scalars(db.select(Event.slug)))
    assert {"startup-week-2020", "regional-startup-day-2020", "ai-day-2020"} <= slugs
    roles = dict(db.session.execute(db.select(User.role, db.func.count(User.id)).group_by(User.role)).all())
    assert roles[Role.participant] >= 150 and roles[Role.investor] >= 25
    week = db.session.scalar(db.select(Event).filter_by(slug="startup-week-2020"))
    by_type = dict(db.session.execute(
        db.select(RegistrationType.code, db.func.count(Registration.id)).join(Registration)
        .where(RegistrationType.event_id == week.id).group_by(RegistrationType.code)).all())
    assert by_type["startup"] == 150 and by_type["investor"] == 25 and by_type["visitor"] == 30
