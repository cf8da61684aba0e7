"""Copies front-end files from installed packages into static/vendor (run at set-up).

Nothing is fetched from a CDN at run time: the venue's Wi-Fi may not reach the internet.
The PDF fonts come from Debian's fonts-dejavu-core: badges and certificates load them with
@font-face from static/, so a PDF never depends on what fontconfig happens to pick.
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

# Files of system packages: (absolute path, destination under static/vendor).
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SYSTEM_FILES = [
    (DEJAVU / "DejaVuSans.ttf", "fonts/DejaVuSans.ttf"),
    (DEJAVU / "DejaVuSans-Bold.ttf", "fonts/DejaVuSans-Bold.ttf"),
]


# Files of npm packages (`npm ci` at set-up, see package.json): (path under node_modules, destination).
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
NPM_FILES = [
    ("jsqr/dist/jsQR.js", "jsqr/jsQR.js"),  # the camera scanner of the check-in desk
]


def install(target: Path = STATIC) -> list[Path]:
    written = []
    for package, source, destination in ASSETS:
        path = target / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        with files(package).joinpath(source).open("rb") as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        written.append(path)
    for source_path, destination in SYSTEM_FILES:
        if not source_path.is_file():
            raise FileNotFoundError(f"{source_path} is missing: install Debian's fonts-dejavu-core")
        path = target / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_path, path)
        written.append(path)
    for source, destination in NPM_FILES:
        source_path = NODE_MODULES / source
        if not source_path.is_file():
            # Without npm the desk still takes USB scanners and typed codes; only the camera is missing.
            print(f"warning: {source_path} is missing (run `npm ci`): no camera scanning", file=sys.stderr)
            continue
        path = target / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_path, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in install():
        print(f"installed {path.relative_to(STATIC.parent.parent)}", file=sys.stderr)
