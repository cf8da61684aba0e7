"""Copies front-end files from installed packages into static/vendor (run at set-up).

Nothing is fetched from a CDN at run time: the venue's Wi-Fi may not reach the internet.
"""

from __future__ import annotations

import shutil
import sys
from importlib.resources import files
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static" / "vendor"

ASSETS = [
    ("flask_bootstrap", "static/bootstrap5/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    ("flask_bootstrap", "static/bootstrap5/js/bootstrap.min.js", "bootstrap/bootstrap.min.js"),
    ("flask_bootstrap", "static/bootstrap5/umd/popper.min.js", "bootstrap/popper.min.js"),
]


def install(target: Path = STATIC) -> list[Path]:
    written = []
    for package, source, destination in ASSETS:
        path = target / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        with files(package).joinpath(source).open("rb") as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in install():
        print(f"installed {path.relative_to(STATIC.parent.parent)}", file=sys.stderr)
