"""The README's two commands ask for the right system packages: `make run` for the app's only (PDF
rendering and its fonts), `make test` for those and the tests' own tools (poppler-utils, chromium) – a
newcomer without the test tools can still run EventHub."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "system-deps.sh"


def _without_test_tools(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has the script's own tools but neither pdftoppm nor apt-get (so nothing
    is installed, even as root), and no chromium."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("ldconfig", "grep", "id"):
        found = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    return {"PATH": str(bin_dir), "CHROMIUM": str(tmp_path / "no-chromium"), "HOME": str(tmp_path)}


def _run(group: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([shutil.which("bash"), str(SCRIPT), group], env=env, capture_output=True, text=True,
                          timeout=30)


def test_the_app_needs_no_test_tools(tmp_path):
    done = _run("app", _without_test_tools(tmp_path))
    assert done.returncode == 0, done.stderr  # the suite itself runs WeasyPrint: the app's libraries are here


def test_the_tests_name_their_missing_tools(tmp_path):
    done = _run("test", _without_test_tools(tmp_path))
    assert done.returncode == 1
    assert "poppler-utils" in done.stderr and "chromium" in done.stderr
    assert "sudo apt-get install" in done.stderr


def test_make_run_checks_the_apps_packages_and_make_test_both():
    assert shutil.which("make"), "the README's two commands are make targets"
    def dry_run(*args: str) -> str:
        env = {**os.environ, "MAKEFLAGS": ""}
        return subprocess.run(["make", "-n", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=30).stdout

    run, test = dry_run("run"), dry_run("test")
    assert "scripts/system-deps.sh app" in run and "system-deps.sh test" not in run
    assert "scripts/system-deps.sh test" in test
    assert "--port 5001" in dry_run("run", "PORT=5001")  # the README's way to change the port
