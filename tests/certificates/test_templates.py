"""Organizers' templates: saved only when they render cleanly; never a way to read files or the network."""

from __future__ import annotations

import pytest

from eventhub import storage
from eventhub.certificates import templates
from eventhub.certificates.models import CertificateTemplate
from eventhub.errors import ValidationError
from tests.support.pdf import page_image, pdf_images, pdf_text, png_bytes

SECRET = "TOP-SECRET-7f3a9c"


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def draft(html: str, css: str = "", **kw) -> templates.Draft:
    return templates.Draft(html=html, css=css, **kw)


def assert_secret_absent(result):
    if result.pdf is not None:
        assert SECRET not in " ".join(pdf_text(result.pdf))
        assert SECRET.encode() not in result.pdf
    for problem in result.problems:
        assert SECRET not in problem.message


def test_the_default_template_previews_in_both_languages(day, tmp_path):
    for locale, heading in (("vi", "GIẤY CHỨNG NHẬN"), ("en", "CERTIFICATE")):
        result = templates.preview(
            day["event"], "participation", templates.default_draft("participation", locale)
        )
        assert result.problems == [] and result.pdf
        (text,) = pdf_text(result.pdf)
        assert heading in text and "Nguyễn Thị Quý Trúc" in text and "7KQ4-MZ2H-XR9D" in text
    assert page_image(result.pdf, tmp_path).size[0] > 100


@pytest.mark.parametrize(
    "html",
    [
        "<p>{{ ''.__class__.__mro__[1].__subclasses__() }}</p>",
        "<p>{{ holder_name.__class__.__init__.__globals__ }}</p>",
        "<p>{% include '{secret}' %}</p>",
        "<p>{% import '{secret}' as s %}{{ s }}</p>",
    ],
)
def test_sandbox_escapes_render_an_error_never_the_secret(day, secret_file, html):
    result = templates.preview(
        day["event"], "participation", draft(html.replace("{secret}", str(secret_file)))
    )
    assert result.pdf is None and result.problems
    assert_secret_absent(result)


@pytest.mark.parametrize(
    "html,css",
    [
        ('<img src="file://{secret}">', ""),
        ('<img src="../../../../../../..{secret}">', ""),
        ('<p class="x">{{ holder_name }}</p>', ".x {{ background: url(file://{secret}) }}"),
        ('<p class="x">{{ holder_name }}</p>', '@import url("file://{secret}");'),
        ('<p class="x">{{ holder_name }}</p>', ".x {{ background: url(../../../../../../..{secret}) }}"),
        ('<link rel="attachment" href="file://{secret}"><p>{{ holder_name }}</p>', ""),
        ('<img src="http://example.com/logo.png">', ""),
        ('<object data="file:///etc/passwd"></object>', ""),
        ('<img src="asset:../../etc/passwd">', ""),
    ],
)
def test_files_and_the_network_are_refused(day, secret_file, html, css):
    chosen = draft(
        html.replace("{secret}", str(secret_file)),
        css.replace("{secret}", str(secret_file)).replace("{{", "{").replace("}}", "}"),
    )
    result = templates.preview(day["event"], "participation", chosen)
    assert result.problems, "a refused URL is reported"
    assert_secret_absent(result)
    again = templates.preview(day["event"], "participation", chosen)  # parsed stylesheets are cached
    assert again.problems == result.problems
    with pytest.raises(ValidationError):
        templates.save_template(day["event"], "participation", chosen)


def test_syntax_errors_show_their_line_and_are_not_saved(db, day):
    html = "<p>{{ holder_name }}</p>\n<p>{{ event_name }}</p>\n<p>{% if kind %}</p>"
    result = templates.preview(day["event"], "participation", draft(html))
    assert result.pdf is None and result.problems[0].line == 3
    with pytest.raises(ValidationError) as refused:
        templates.save_template(day["event"], "participation", draft(html))
    assert any("3" in message for message in refused.value.fields["html"])
    assert db.session.scalar(db.select(db.func.count(CertificateTemplate.id))) == 0


def test_unknown_placeholders_are_reported(day):
    result = templates.preview(day["event"], "award", draft("<p>{{ holder_name }} {{ prize_name }}</p>"))
    assert result.pdf is None
    assert [p.placeholder for p in result.problems] == ["prize_name"]
    assert "prize_name" in templates.problem_text(result.problems[0])


def test_a_saved_template_with_uploaded_images_is_used(db, day, organizer):
    background = templates.upload_asset(
        day["event"], png_bytes((297, 210), (200, 230, 201)), "Nền xanh.png", "background", actor=organizer
    )
    signature = templates.upload_asset(
        day["event"], png_bytes((60, 20), (0, 0, 0)), "chu-ky.png", "signature", actor=organizer
    )
    html = (
        '<img src="{{ background }}" alt=""><h1>Chứng nhận: {{ holder_name }}</h1>'
        '{% for s in signatures %}<img src="{{ s }}" alt="">{% endfor %}<img src="asset:'
        + signature.name
        + '">'
        '<p>{{ serial }}</p><img src="{{ qr }}" alt="">'
    )
    templates.save_template(
        day["event"],
        "participation",
        draft(
            html,
            "h1 { color: #14346b; }",
            background_asset_id=background.id,
            signature_asset_ids=[signature.id],
        ),
        actor=organizer,
    )
    result = templates.preview(
        day["event"], "participation", templates.draft_of(day["event"], "participation")
    )
    assert result.problems == []
    assert "Chứng nhận: Nguyễn Thị Quý Trúc" in pdf_text(result.pdf)[0]
    assert len(pdf_images(result.pdf)) >= 3  # background, signature, QR
    assert storage.exists(background.storage_key)


def test_images_of_another_event_cannot_be_chosen(db, day, organizer):
    from tests.factories import open_event

    other = open_event()
    foreign = templates.upload_asset(other, png_bytes(), "logo.png", actor=organizer)
    with pytest.raises(ValidationError) as refused:
        templates.save_template(
            day["event"], "participation", draft("<p>{{ holder_name }}</p>", background_asset_id=foreign.id)
        )
    assert "background_asset_id" in refused.value.fields
    result = templates.preview(day["event"], "participation", draft(f'<img src="asset:{foreign.name}">'))
    assert result.problems  # another event's image is not served


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature with nothing behind it
        b"<svg xmlns='http://www.w3.org/2000/svg'><image href='file:///etc/passwd'/></svg>",
        b"%PDF-1.4 fake",
    ],
)
def test_files_that_are_not_images_are_refused(db, day, organizer, data):
    with pytest.raises(ValidationError) as refused:
        templates.upload_asset(day["event"], data, "logo.png", actor=organizer)
    assert "file" in refused.value.fields


def test_truncated_images_are_refused(db, day, organizer):
    whole = png_bytes((200, 200))
    with pytest.raises(ValidationError):
        templates.upload_asset(day["event"], whole[: len(whole) // 2], "half.png", actor=organizer)


@pytest.mark.parametrize(
    "html,css",
    [
        ("<h1>{{ holder_name }}</h1><p>{{ serial }}</p>", ""),  # no QR code
        ('<h1>{{ holder_name }}</h1><img src="{{ qr }}" alt="">', ""),  # no serial
        (
            '<img src="{{ qr }}" alt=""><p class="gone">{{ serial }}</p>',
            ".gone { position: absolute; top: 300mm }",
        ),
        (
            '<img src="{{ qr }}" alt=""><p>{{ serial }}</p><p class="more">…</p>',
            ".more { page-break-before: always }",
        ),
    ],
)
def test_a_certificate_must_show_its_serial_and_qr_on_one_page(day, html, css):
    result = templates.preview(day["event"], "participation", draft(html, css))
    assert result.problems
    with pytest.raises(ValidationError):
        templates.save_template(day["event"], "participation", draft(html, css))
