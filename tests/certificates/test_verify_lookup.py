"""The verification page on a phone: a serial read out over the phone, typed in any case, without dashes."""

from __future__ import annotations

import pytest

from eventhub.certificates import services
from eventhub.certificates.holders import holders_for
from eventhub.certificates.serials import normalize_serial

from .helpers import TRUC


@pytest.fixture
def serial(db, day):
    event = day["event"]
    certs = services.ensure_certificates(event, "participation", holders_for(event, "participation"))
    return next(c.serial for c in certs if c.holder_name == TRUC)


def _spoken(serial: str) -> list[str]:
    bare = serial.replace("-", "")
    return [
        serial.lower(),
        bare,
        bare.lower(),
        " ".join(bare.lower()),
        serial.replace("-", " – "),
        serial.replace("-", "—"),
        serial.replace("-", "‐"),
        bare.translate({ord(c): ord(c) + 0xFEE0 for c in bare}),  # full-width letters of an Asian keyboard
        f"  {serial.lower()}  ",
    ]


def test_normalize_serial_takes_what_a_phone_types():
    assert normalize_serial("7kq4mz2hxr9d") == "7KQ4-MZ2H-XR9D"
    assert normalize_serial("7KQ4–MZ2H—XR9D") == "7KQ4-MZ2H-XR9D"
    assert normalize_serial("７ＫＱ４ＭＺ２ＨＸＲ９Ｄ") == "7KQ4-MZ2H-XR9D"
    assert normalize_serial("7KQ4-MZ2H-XR9") is None and normalize_serial("7KQ4-MZ2H-XR9DO") is None


def test_the_verify_url_takes_any_spelling(client, serial):
    for spelling in _spoken(serial):
        page = client.get(f"/verify/{spelling}")
        assert page.status_code == 200, spelling
        html = page.get_data(as_text=True)
        assert TRUC in html and serial in html


def test_the_lookup_form_takes_what_was_read_out_and_opens_the_page(client, serial):
    form = client.get("/verify")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'name="serial"' in html and 'autocapitalize="characters"' in html and "<script>" not in html
    for spelling in _spoken(serial):
        found = client.get("/verify", query_string={"serial": spelling})
        assert found.status_code == 302, spelling
        assert found.headers["Location"].endswith(f"/verify/{serial}")
    assert TRUC in client.get(
        "/verify", query_string={"serial": serial.lower()}, follow_redirects=True
    ).get_data(as_text=True)


@pytest.mark.parametrize("typed", ["ZZZZ-ZZZZ-ZZZZ", "abc", "0000-0000-0000", "x" * 41, "%00", ""])
def test_the_lookup_form_says_not_found_and_keeps_what_was_typed(client, serial, typed):
    page = client.get("/verify", query_string={"serial": typed})
    assert page.status_code in (404, 422), page.status_code
    html = page.get_data(as_text=True)
    assert 'name="serial"' in html
    assert TRUC not in html


def test_an_unknown_serial_in_the_url_offers_the_form_filled_in(client, serial):
    page = client.get("/verify/zzzz-zzzz-zzzz")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert 'name="serial"' in html and 'value="zzzz-zzzz-zzzz"' in html
