"""Badges: reading PDFs back (text, pages, images) and the people who act on them."""

from __future__ import annotations

import pytest

from tests.factories import make_type, make_user, open_event, register
from tests.support.pdf import install_fonts

from .helpers import NFC_NAME


@pytest.fixture(scope="session", autouse=True)
def _vendored_fonts():
    install_fonts()


@pytest.fixture
def event(db):
    return open_event(slug="badge-day", name="Ngày hội Khởi nghiệp Sáng tạo 2026")


@pytest.fixture
def visitor_type(event):
    return make_type(event, code="visitor", name="Khách tham quan")


@pytest.fixture
def investor_type(event):
    return make_type(event, code="investor", name="Nhà đầu tư")


@pytest.fixture
def confirmed(event, visitor_type):
    """A confirmed registration and its manage token."""
    return register(event, visitor_type, full_name=NFC_NAME, organization="Công ty Sáng tạo Sài Gòn",
                    notify=False)


@pytest.fixture
def organizer(db):
    return make_user("organizer")


@pytest.fixture
def staff(db):
    return make_user("staff")
