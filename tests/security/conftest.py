"""Every model module is imported before the session's tables are made, so routes of a feature whose
models load lazily (e.g. inside a report) find their tables in the test database."""

from __future__ import annotations

import importlib
import pkgutil

import eventhub


def _import_all_models() -> None:
    for module in pkgutil.walk_packages(eventhub.__path__, "eventhub."):
        if module.name.endswith(".models"):
            importlib.import_module(module.name)


_import_all_models()
