"""Installing the core must never break pytest elsewhere (issue 13).

The core registers a pytest plugin (entry point ``pytest11``), so every pytest run in an environment
with the core installed loads it. Hypothesis belongs to the ``test`` extra: a project that installs the
core and pytest but not Hypothesis must still be able to run its own tests. The check runs pytest in a
child process in which importing ``hypothesis`` fails, as it would where it is not installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

BLOCK_HYPOTHESIS = textwrap.dedent(
    """
    import importlib.abc, sys

    class _NoHypothesis(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "hypothesis" or name.startswith("hypothesis."):
                raise ModuleNotFoundError(f"No module named {name!r}")
            return None

    sys.meta_path.insert(0, _NoHypothesis())
    """
)


def test_pytest_runs_without_hypothesis(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCK_HYPOTHESIS, encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_other.py").write_text(
        "import importlib.util\n\n"
        "def test_hypothesis_is_absent():\n"
        "    try:\n"
        "        import hypothesis  # noqa: F401\n"
        "    except ModuleNotFoundError:\n"
        "        return\n"
        "    raise AssertionError('hypothesis imported although blocked')\n\n"
        "def test_core_loads():\n"
        "    import socialwork_procurement as swp\n"
        "    assert 'check' in dir(swp.Registry)\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_ADDOPTS", "PYTHONPATH"}}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run(
        # Hypothesis's own pytest plugin is installed here; where Hypothesis is absent, so is it.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    # the core's plugin was loaded in that run, not skipped
    plugins = subprocess.run(
        [sys.executable, "-c", "import socialwork_procurement.testing.pytest_plugin, sys; "
         "print('hypothesis' in sys.modules)"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert plugins.returncode == 0, plugins.stderr
    assert plugins.stdout.strip() == "False"
