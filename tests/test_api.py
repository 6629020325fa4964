"""The public API: one sorted __all__, importable names, typed package, error hierarchy."""

from __future__ import annotations

import importlib.resources

import pytest

import socialwork_procurement as swp


def test_all_is_sorted_and_importable() -> None:
    assert swp.__all__ == sorted(swp.__all__)
    assert len(set(swp.__all__)) == len(swp.__all__)
    for name in swp.__all__:
        assert getattr(swp, name) is not None, name


def test_package_is_typed() -> None:
    assert importlib.resources.files("socialwork_procurement").joinpath("py.typed").is_file()


def test_version_is_looked_up_lazily() -> None:
    assert swp.__version__.count(".") >= 1
    with pytest.raises(AttributeError):
        _ = swp.no_such_name  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (swp.InvalidInput, ValueError),
        (swp.UnknownRegion, LookupError),
        (swp.PluginError, RuntimeError),
        (swp.DuplicateRegion, ValueError),
        (swp.RuleConflict, ValueError),
        (swp.CommandRefused, ValueError),
        (swp.InvalidTransition, swp.CommandRefused),
        (swp.ConcurrencyConflict, RuntimeError),
        (swp.TamperDetected, RuntimeError),
        (swp.CaseNotFound, LookupError),
        (swp.InvalidUscc, ValueError),
        (swp.InvalidOcidPrefix, ValueError),
    ],
)
def test_errors_share_one_root_and_their_builtin(error: type[Exception], builtin: type[Exception]) -> None:
    assert issubclass(error, swp.ProcurementError)
    assert issubclass(error, builtin)


def test_hookimpl_marker_is_the_cores() -> None:
    assert swp.hookimpl.project_name == swp.ENTRY_POINT_GROUP == "socialwork_procurement"
    assert all(name.startswith("swp_") for name in swp.HOOK_NAMES)
