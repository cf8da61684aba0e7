"""A file for the browser to save: CSV, XLSX, iCalendar, PNG, PDF."""

from urllib.parse import quote

from flask import Response

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(body: bytes, mimetype: str, filename: str, *, private: bool = True) -> Response:
    """`private`: personal data, which no proxy or browser cache should keep."""
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    if private:
        headers["Cache-Control"] = "no-store"
    return Response(body, mimetype=mimetype, headers=headers)
