"""Vietnamese first, English complete: every string in both catalogs; the switch works."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _source_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
                "lazy_ngettext": (1, 2)}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(lang: str):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_string_in_the_code_is_translated(lang):
    catalog = _catalog(lang)
    translated = {m.id if isinstance(m.id, str) else m.id[0]
                  for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(_source_messages() - translated)
    assert missing == [], f"{len(missing)} strings missing from {lang}: run `make translations-update`"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_translations_keep_their_placeholders(lang):
    for message in _catalog(lang):
        if message.id and isinstance(message.id, str) and message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), \
                message.id


def test_vietnamese_is_the_default_and_english_is_one_click_away(client, db):
    home = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in home
    assert "Sự kiện sắp diễn ra" in home or "Sự kiện" in home
    english = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Upcoming events" in english
    # The choice is remembered for the next page.
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in client.get("/login?lang=vi").get_data(as_text=True)


def test_unknown_language_falls_back_to_vietnamese(client, db):
    assert '<html lang="vi">' in client.get("/?lang=xx").get_data(as_text=True)


def test_api_messages_follow_accept_language(client, db):
    vi = client.get("/api/v1/events/none").get_json()["error"]["message"]
    en = client.get("/api/v1/events/none", headers={"Accept-Language": "en"}).get_json()["error"]["message"]
    assert en == "There is no such event."
    assert vi != en
