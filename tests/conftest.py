"""Shared fixtures: Hypothesis profiles, installed test packs, a registry with the test pack."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import socialwork_procurement as swp

# CI: Hypothesis's default number of examples, as on a developer's machine, with no deadline (CI
# machines are shared). 200 made the Python 3.11 leg alone 12 of CI's 20 minutes (issue 10's
# properties added to it); properties that need more ask for it in their own @settings.
settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("fast", max_examples=20, deadline=None)
settings.load_profile("fast" if os.environ.get("FAST") == "1" else ("ci" if os.environ.get("CI") else "dev"))

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect swp's default language (zh) whatever the locale of the machine they run on."""
    for name in ("SWP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "SWP_LOAD_PACKS"):
        monkeypatch.delenv(name, raising=False)

SITE = Path(__file__).parent / "data" / "site"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def install_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Put chosen test distributions (``*.dist-info`` with entry points) on ``sys.path``.

    They are real distributions to ``importlib.metadata``: the manager finds them through the
    ``socialwork_procurement`` entry-point group exactly as it finds pip-installed packs.
    """

    def install(*dist_names: str) -> Path:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        shutil.copytree(SITE / "swp_test_pack", site / "swp_test_pack", dirs_exist_ok=True)
        for name in dist_names:
            (info,) = SITE.glob(f"{name}-*.dist-info")
            shutil.copytree(info, site / info.name, dirs_exist_ok=True)
        monkeypatch.syspath_prepend(str(site))
        return site

    return install


@pytest.fixture
def testland(install_packs: Callable[..., Path]) -> swp.Registry:
    """A registry with the national layer and the testland pack only (installed packs ignored)."""
    install_packs()
    import swp_test_pack

    return swp.load_registry(entrypoints=False, extra_packs=[("swp-test-pack", swp_test_pack.pack)])
