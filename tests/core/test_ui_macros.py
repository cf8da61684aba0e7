"""The page macros of templates/_macros/ui.html render the markup the pages (and their tests) rely on."""

import re

import pytest
from flask_sqlalchemy.pagination import Pagination
from flask_wtf.csrf import validate_csrf


class _ListPagination(Pagination):
    """A Flask-SQLAlchemy pagination over a plain list, as `db.paginate` gives the pages."""

    def _query_items(self):
        return self._query_args["items"][self._query_offset:self._query_offset + self.per_page]

    def _query_count(self):
        return len(self._query_args["items"])


@pytest.fixture
def render(app):
    """Renders a template string that imports from _macros/ui.html, inside a request."""
    with app.test_request_context("/"):
        yield lambda source, **context: app.jinja_env.from_string(
            "{% from '_macros/ui.html' import csrf_field, post_button, status_badge, labelled_value, "
            "pagination %}" + source).render(**context)


def _token(html: str) -> str:
    return re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', html).group(1)


def test_the_csrf_field_carries_a_token_the_app_accepts(render):
    html = render("{{ csrf_field() }}")
    validate_csrf(_token(html))  # raises if the token is not the session's


def test_a_post_button_is_a_post_form_with_its_token_hidden_fields_and_one_button(render):
    html = render("{{ post_button('/events/hoi-cho/roles/3/revoke', 'Gỡ bỏ',"
                  " classes='btn btn-sm btn-outline-danger', fields={'next': '/a?b=1&c=2', 'q': 'Trúc'},"
                  " form_class='d-inline', aria_label='Gỡ bỏ: Trúc') }}")
    assert html.startswith('<form method="post" action="/events/hoi-cho/roles/3/revoke" class="d-inline">')
    validate_csrf(_token(html))
    assert '<input type="hidden" name="next" value="/a?b=1&amp;c=2">' in html
    assert html.index('name="next"') < html.index('name="q"') < html.index("<button")  # fields in order
    assert ('<button type="submit" class="btn btn-sm btn-outline-danger" aria-label="Gỡ bỏ: Trúc">'
            'Gỡ bỏ</button>') in html
    assert html.endswith("</form>") and html.count("<form") == 1


def test_a_post_button_without_action_posts_back(render):
    html = render("{{ post_button(None, 'Huỷ') }}")
    assert html.startswith('<form method="post">')
    assert 'action=' not in html and '<button type="submit" class="btn btn-primary">Huỷ</button>' in html


def test_a_post_button_takes_button_attributes_and_text_after_the_button(render):
    html = render("{% call post_button('/p', 'Publish', button_attrs={'name': 'action', 'value': 'go'}) %}"
                  "<span class=\"form-text\">later</span>{% endcall %}")
    assert '<button type="submit" class="btn btn-primary" name="action" value="go">Publish</button>' in html
    assert html.index("</button>") < html.index('<span class="form-text">later</span>') < html.index("</form")


def test_labels_and_values_are_escaped(render):
    html = render("{{ post_button('/x', label) }}{{ status_badge(label, 'danger') }}", label="<b>x</b>")
    assert "<b>" not in html and html.count("&lt;b&gt;x&lt;/b&gt;") == 2


def test_a_status_badge_has_its_tone_and_words(render):
    assert (render("{{ status_badge('Đã huỷ', 'secondary') }}")
            == '<span class="badge text-bg-secondary">Đã huỷ</span>')
    assert (render("{{ status_badge('Chờ xác nhận', 'light', classes='border') }}")
            == '<span class="badge text-bg-light border">Chờ xác nhận</span>')
    assert (render("{{ status_badge('Hội thảo', 'light', tag='p') }}")
            == '<p class="badge text-bg-light">Hội thảo</p>')


def test_a_labelled_value_is_a_dt_dd_pair(render):
    assert (render("{{ labelled_value('Họ tên', 'Trúc') }}")
            == '<dt class="col-sm-4">Họ tên</dt><dd class="col-sm-8">Trúc</dd>')
    assert (render("{{ labelled_value('Số', 'A-1', width=3, value_class='font-monospace') }}")
            == '<dt class="col-sm-3">Số</dt><dd class="col-sm-9 font-monospace">A-1</dd>')
    html = render("{% call labelled_value('E-mail') %}<a href=\"mailto:a@b.vn\">a@b.vn</a>{% endcall %}")
    assert html == ('<dt class="col-sm-4">E-mail</dt>'
                    '<dd class="col-sm-8"><a href="mailto:a@b.vn">a@b.vn</a></dd>')


def test_pagination_links_every_page_but_the_current_one(render):
    page = _ListPagination(page=3, per_page=10, items=list(range(95)))
    html = render("{{ pagination(page, 'registration_admin.registrations', args) }}", page=page,
                  args={"slug": "hoi-cho", "q": "trúc"})  # in Vietnamese, the default language
    assert '<nav aria-label="Trang">' in html and '<ul class="pagination flex-wrap">' in html
    assert '<li class="page-item active" aria-current="page"><span class="page-link">3</span></li>' in html
    assert html.count("aria-current") == 1
    base = "/events/hoi-cho/registrations?page={}&amp;q=tr%C3%BAc"
    assert f'<a class="page-link" rel="prev" href="{base.format(2)}">Trước</a>' in html
    assert f'<a class="page-link" rel="next" href="{base.format(4)}">Sau</a>' in html
    for n in (1, 2, 4, 5, 10):
        assert f'<a class="page-link" href="{base.format(n)}">{n}</a>' in html
    assert '<li class="page-item disabled"><span class="page-link">…</span></li>' in html  # 6–8 left out


def test_pagination_of_the_first_and_last_page_and_of_a_single_page(render):
    source = "{{ pagination(page, 'registration_admin.registrations', {'slug': 'hoi-cho'}) }}"
    first = render(source, page=_ListPagination(page=1, per_page=10, items=list(range(25))))
    assert 'rel="prev"' not in first and 'rel="next"' in first
    last = render(source, page=_ListPagination(page=3, per_page=10, items=list(range(25))))
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert render(source, page=_ListPagination(page=1, per_page=10, items=list(range(7)))).strip() == ""
