"""Every booth route × every role of the security world (tests/security), with the answer each gets."""

from __future__ import annotations

import pytest

from tests.support import access_matrix as matrix
from tests.support import world as security_world
from tests.support.database import empty_tables
from tests.support.world import ROLES

from .security_world import add_booths, expectations

# The world's partner organizer, gate staff and plain participant hold participant accounts.
STARTUP_ROLES = ("participant", "staff", "organizer", "other_organizer")
EXPECT = expectations(matrix.Access, public=matrix.PUBLIC, manage=matrix.MANAGE,
                      api_public=matrix.API_PUBLIC, api_manage=matrix.API_MANAGE,
                      roles_with_participant_accounts=STARTUP_ROLES)
ROUTES = [(e, m) for e, m in matrix.ROUTES if e.startswith(("booths", "api_booths"))]


@pytest.fixture
def booth_world(db):
    security_world.WORLD_HOOKS.append(add_booths)
    try:
        yield security_world.build_world
    finally:
        security_world.WORLD_HOOKS.remove(add_booths)


def test_every_booth_route_has_an_expectation():
    assert ROUTES and {e for e, _m in ROUTES} == set(EXPECT)


@pytest.mark.parametrize(("endpoint", "method"), ROUTES, ids=[f"{e}-{m}" for e, m in ROUTES])
def test_every_booth_route_answers_every_role_as_expected(app, db, booth_world, endpoint, method):
    access = EXPECT[endpoint]
    rule = matrix.rule_for(app, endpoint, method)
    problems = []
    order = [r for r in ROLES if r not in access.allow]
    order += [r for r in ROLES if r in access.allow]
    world = booth_world()
    for role in order:
        response = matrix.ask(app, world, rule, method, role)
        problem = matrix.check(response, role, access, method, f"{method} {rule.rule}")
        if problem:
            problems.append(problem)
        if role in access.allow and method != "GET":
            db.session.rollback()
            empty_tables()
            db.session.expunge_all()
            world = booth_world()
    assert not problems, "\n".join(problems)
