"""URL converters."""

from werkzeug.routing import IntegerConverter

from .dbtypes import MAX_ID


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that matches only ids a database column can hold (32-bit): a larger number in a
    URL is a 404, not an overflow error inside a query."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
