"""The invitation as a real SMTP server receives it: in each registrant's language with diacritics intact,
their personal link (which opens their survey), the unsubscribe link and the List-Unsubscribe headers."""

from __future__ import annotations

import re

from eventhub.mail import deliver_due
from eventhub.messaging.unsubscribes import unsubscribe
from eventhub.surveys import services
from tests.support.mail import parsed_message

from .helpers import event_survey, survey_world


def _received(smtp_server) -> dict:
    found = {}
    for envelope in smtp_server.messages:
        message = parsed_message(envelope)
        address = message["To"].addresses[0].addr_spec
        assert address not in found, "an address got the invitation twice"
        found[address] = message
    return found


def test_each_invited_person_reads_the_invitation_in_their_language(db, client, smtp_server):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    received = _received(smtp_server)
    assert set(received) == {"truc@example.vn", "dung@example.vn", "hoa@baochi.vn"}

    truc = received["truc@example.vn"]
    assert truc["Subject"] == ("Tuần lễ Khởi nghiệp Đổi mới sáng tạo diễn ra thế nào? "
                               "Hãy cho chúng tôi biết trong hai phút")
    assert truc["To"].addresses[0].display_name == "Nguyễn Thị Quý Trúc"
    text = truc.get_body(("plain",)).get_content()
    assert "Xin chào Nguyễn Thị Quý Trúc," in text and "4 câu hỏi" in text
    link = re.search(r"http://localhost(/surveys/r/\S+)", text).group(1)
    unsubscribe_link = re.search(r"http://localhost(/unsubscribe/\S+)", text).group(1)
    assert truc["List-Unsubscribe"] == f"<http://localhost{unsubscribe_link}>"
    assert truc["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="http://localhost{link}"' in truc.get_body(("html",)).get_content()
    page = client.get(link)
    assert page.status_code == 200 and "Chất lượng các phiên thảo luận" in page.text

    dung = received["dung@example.vn"]
    assert dung["Subject"].startswith("How was Tuần lễ Khởi nghiệp Đổi mới sáng tạo?")
    assert "Thank you for coming to" in dung.get_body(("plain",)).get_content()


def test_a_workshop_invitation_names_the_workshop(db, smtp_server):
    world = survey_world()
    services.send_survey(event_survey(world, session_id=world.session.id))
    (message,) = _received(smtp_server).values()
    assert "Hội thảo Gọi vốn cho khởi nghiệp" in message["Subject"]


def test_an_address_unsubscribed_after_sending_gets_nothing(db, app, smtp_server):
    world = survey_world()
    survey = event_survey(world)
    app.config["MAIL_DELIVERY"] = "worker"
    app.extensions.pop("eventhub_mail", None)
    try:
        services.send_survey(survey)  # queued, not delivered yet
    finally:
        app.config["MAIL_DELIVERY"] = "eager"
        app.extensions.pop("eventhub_mail", None)
    unsubscribe("hoa@baochi.vn")
    deliver_due()
    assert set(_received(smtp_server)) == {"truc@example.vn", "dung@example.vn"}
