"""The public API is pinned: the names in ``__all__`` are exactly those before the layout change (issue 7).

The list is test data (``tests/data/public_api.txt``). Adding a public name is a deliberate change:
add it to the list in the same commit. Removing one breaks every app that imports it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import socialwork_procurement as swp

PINNED = Path(__file__).parent / "data" / "public_api.txt"


def pinned_names() -> list[str]:
    lines = PINNED.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_all_equals_the_pinned_list() -> None:
    assert set(swp.__all__) == set(pinned_names())
    assert len(swp.__all__) == len(set(swp.__all__)), "a name is listed twice in __all__"


def test_all_is_sorted() -> None:
    assert list(swp.__all__) == sorted(swp.__all__)


def test_every_pinned_name_imports_from_the_package() -> None:
    module = importlib.import_module("socialwork_procurement")
    missing = [name for name in pinned_names() if not hasattr(module, name)]
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
