"""The public API is pinned: ``__all__`` is the names before the layout change (issue 7) and those added since.

Both lists are test data: ``tests/data/public_api.txt`` holds the names as they were before the
layout change and does not change; ``tests/data/public_api_added.txt`` lists every name added
since, each with the issue that added it. Adding a public name is a deliberate change: list it
there in the same commit. Removing one breaks every app that imports it.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import socialwork_procurement as swp

DATA = Path(__file__).parent / "data"
PINNED = DATA / "public_api.txt"
ADDED = DATA / "public_api_added.txt"
_ADDED_LINE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)  # issue (?P<issue>[0-9]+): (?P<why>\S.*)$")


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def pinned_names() -> list[str]:
    return _lines(PINNED)


def added_names() -> list[str]:
    return [line.split()[0] for line in _lines(ADDED)]


def test_all_equals_the_pinned_names_and_those_added_since() -> None:
    assert set(swp.__all__) == set(pinned_names()) | set(added_names())
    assert len(swp.__all__) == len(set(swp.__all__)), "a name is listed twice in __all__"


def test_every_added_name_says_which_issue_added_it_and_is_new() -> None:
    lines = _lines(ADDED)
    assert lines, "public_api_added.txt lists no name"
    malformed = [line for line in lines if not _ADDED_LINE.match(line)]
    assert malformed == [], "write each added name as 'Name  # issue N: why'"
    names = added_names()
    assert len(names) == len(set(names)), "a name is listed twice in public_api_added.txt"
    assert set(names).isdisjoint(pinned_names()), "an added name was already public before the layout change"


def test_all_is_sorted() -> None:
    assert list(swp.__all__) == sorted(swp.__all__)


def test_every_listed_name_imports_from_the_package() -> None:
    module = importlib.import_module("socialwork_procurement")
    missing = [name for name in [*pinned_names(), *added_names()] if not hasattr(module, name)]
    assert missing == []


def test_public_objects_are_defined_in_private_modules() -> None:
    # Implementation lives in private modules (`model/_types.py` …); the package only re-exports.
    public_modules = [
        getattr(swp, name).__module__
        for name in swp.__all__
        if isinstance(getattr(swp, name), type)
    ]
    assert public_modules, "no class in the public API"
    assert all(any(part.startswith("_") for part in module.split(".")[1:]) for module in public_modules)
