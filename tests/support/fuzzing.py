"""Hypothesis strategies for fuzzing the API: any JSON, hostile text, bodies near the real ones, raw bytes."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.support.api import KINDS

fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text as JSON can carry it: any code point, NUL and lone surrogates (escaped in the JSON) included.
# (st.text drops surrogates whatever its alphabet, hence a list of characters.)
text = st.lists(st.characters() | st.sampled_from(["\x00", "\ud800", "\udfff", "\u200b", "\ufeff"]),
                max_size=30).map("".join)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | text
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)

# Plausible values per field, so that examples also get past the schema into the rules.
iso_times = st.one_of(
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes") + "Z"),
    st.sampled_from(["2026-12-14T08:00:00+07:00", "2026-12-14T17:00:00+07:00", "2026-12-14T08:00",
                     "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2026-02-30T08:00:00"]),
)
EVENT_FIELDS = {
    "slug": st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z") | text | st.text(max_size=90),
    "name": text | st.text(min_size=190, max_size=210),
    "kind": st.sampled_from([*sorted(KINDS), "", "AI_DAY", "festival"]),
    "starts_at": iso_times,
    "ends_at": iso_times,
    "venue": text | st.text(min_size=295, max_size=305),
    "description": text,
    "timezone": st.sampled_from(["Asia/Ho_Chi_Minh", "Asia/Tokyo", "UTC", "Pacific/Kiritimati",
                                 "Etc/GMT+12", "America/St_Johns", "Nowhere/City", "", "../etc"]),
    "registration_open": st.booleans() | st.sampled_from(["true", "no", "1", 0, 2, "maybe"]),
}


def bodies(field_values: dict, valid: st.SearchStrategy) -> st.SearchStrategy:
    """Anything at all; objects of the real field names with plausible or arbitrary values, also
    mixed with arbitrary keys; and a valid body with one field's value replaced."""
    real = st.fixed_dictionaries({}, optional={name: values | json_values
                                               for name, values in field_values.items()})
    arbitrary = st.dictionaries(text, json_values, max_size=4)
    one_changed = st.builds(
        lambda body, changed: {**body, **changed}, valid,
        st.sampled_from(sorted(field_values)).flatmap(
            lambda name: (field_values[name] | json_values).map(lambda value: {name: value})))
    return st.one_of(json_values, real, st.builds(lambda a, b: {**a, **b}, arbitrary, real), one_changed)


valid_event = st.fixed_dictionaries({
    "slug": st.from_regex(r"\A[a-z0-9]{1,12}\Z"), "name": st.just("AI Day"),
    "kind": st.sampled_from(sorted(KINDS)), "starts_at": st.just("2026-12-14T08:00:00+07:00"),
    "ends_at": st.just("2026-12-14T17:00:00+07:00"),
})
event_bodies = bodies(EVENT_FIELDS, valid_event)

content_types = st.one_of(
    st.sampled_from(["application/json", "application/json; charset=utf-8",
                     "application/json; charset=latin-1", "application/merge-patch+json", "text/plain",
                     "application/x-www-form-urlencoded",
                     "multipart/form-data", "multipart/form-data; boundary=b", "application/octet-stream",
                     "text/html; charset=utf-16", ""]),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)
raw_bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    event_bodies.map(lambda v: json.dumps(v).encode()),
    json_values.map(lambda v: json.dumps(v).encode("utf-16")),
    st.integers(1, 120_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 60_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    st.integers(4_000, 20_000).map(lambda n: b'{"slug": ' + b"7" * n + b"}"),
    st.sampled_from([b"", b" ", b"null", b"\xef\xbb\xbf{}", b'{"slug": "x"', b"--b\r\n\r\n--b--\r\n",
                     b"email=a%40b.vn&password=x"]),
)
# `/`-free path segments, any other text; the events made by the fixture are among them.
path_slugs = st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s) | st.sampled_from(
    ["ai-day", "startup-week", "AI-DAY", ".", "..", "%", "%00", "ai-day\x00", "ai-day ", "ai-day.json"])
query_values = st.none() | st.text(max_size=12) | st.integers(-3, 1_000_005).map(str) | st.sampled_from(
    ["1", "50", "500", "501", "0", " 7 ", "1.0", "1e2", "١٢", "1_0", "9" * 5000, "0x10", "true"])
