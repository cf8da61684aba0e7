"""Where a person still appears: every text or JSON cell of the database that contains one of their traces."""

from __future__ import annotations

import json

from sqlalchemy import JSON, String, Text, select

from eventhub.extensions import db as _db


def traces(needles: tuple[str, ...]) -> list[str]:
    """table.column: value, for every text or JSON cell that still contains one of `needles`."""
    found = []
    with _db.engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)
                       or isinstance(getattr(c.type, "impl", None), String | Text | JSON)]
            if not columns:
                continue
            for row in conn.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    plain = text.replace(" ", "").replace(".", "") if column.name == "phone" else text
                    if value is not None and any(t in text or t in plain for t in needles):
                        found.append(f"{table.name}.{column.name}: {text[:120]}")
    return found
