"""The respondent's page and the organizers' results at a phone's and a desk's size, in Vietnamese and
English: nothing wider than the screen, answering with taps works; screenshots kept in
test-artifacts/issue19/ for people to see."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventhub.surveys import services
from tests.e2e.helpers import new_context, sign_in
from tests.factories import PASSWORD

from .helpers import answers_for, event_survey, survey_world

pytestmark = pytest.mark.slow  # a real browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue19"


def _fits(page, name):
    assert page.locator("h1").count() == 1, name
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (name, width)


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_answering_and_reading_fit_the_screen(db, live_url, browser, size, lang):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    services.submit_answers(survey, world.regs["hoa"], answers_for(survey, rating=3, nps=6))
    context = new_context(browser, size)
    page = context.new_page()
    token = services.make_answer_token(survey.id, world.regs["truc"].id)
    page.goto(f"{live_url}/surveys/r/{token}?lang={lang}")
    _fits(page, "answer")
    page.screenshot(path=str(ARTIFACTS / f"surveys-answer-{size}-{lang}.png"), full_page=True)
    rating, nps, choice, _text = survey.questions
    page.locator(f'label[for="q{rating.id}-5"]').click()
    page.locator("form button[type=submit]").click()  # the NPS, required, is missing: its error beside it
    assert page.locator(f"#q{nps.id}-error").is_visible()
    _fits(page, "answer-refused")
    page.locator(f'label[for="q{nps.id}-9"]').click()
    page.locator(f'label[for="q{choice.id}-c2"]').click()
    page.locator("form button[type=submit]").click()
    assert page.locator(".survey-thanks").is_visible()
    assert services.response_of(survey.id, world.regs["truc"].id).answers[str(nps.id)] == 9
    sign_in(page, live_url, world.organizer.email, PASSWORD)
    page.goto(f"{live_url}/events/{world.event.slug}/surveys/{survey.id}?lang={lang}")
    _fits(page, "results")
    page.screenshot(path=str(ARTIFACTS / f"surveys-results-{size}-{lang}.png"), full_page=True)
    context.close()
