"""Docs are part of the feature: every hook documented and tested, every docs example runs."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import socialwork_procurement as swp
from socialwork_procurement.rules import _hookspecs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HOOKS_DOC = DOCS / "hooks.md"


@pytest.mark.parametrize("hook", swp.HOOK_NAMES)
def test_hook_is_documented_with_its_signature(hook: str) -> None:
    text = HOOKS_DOC.read_text(encoding="utf-8")
    section = re.search(rf"^## {hook}\n\n`{hook}\(\) -> [^`]+`\n", text, re.MULTILINE)
    assert section, f"docs/hooks.md needs a '## {hook}' heading followed by its signature"


@pytest.mark.parametrize("hook", swp.HOOK_NAMES)
def test_hookspec_docstring_is_complete(hook: str) -> None:
    doc = getattr(_hookspecs.RulePackSpec, hook).__doc__ or ""
    assert ":returns:" in doc and "**Example**" in doc and "once" in doc


@pytest.mark.parametrize("hook", swp.HOOK_NAMES)
def test_hook_has_a_test(hook: str) -> None:
    pattern = re.compile(rf"def test_hook_{hook}\b")
    assert any(pattern.search(p.read_text(encoding="utf-8")) for p in Path(__file__).parent.glob("test_*.py")), (
        f"write a test named test_hook_{hook}"
    )


TUTORIAL = DOCS / "write-a-region-pack.md"
DOC_PAGES = sorted(p for p in DOCS.rglob("*.md") if ">>> " in p.read_text(encoding="utf-8") and p != TUTORIAL)


@pytest.mark.parametrize("page", DOC_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_docs_examples_run(page: Path) -> None:
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted > 0
    assert result.failed == 0, f"{page.name}: {result.failed} of {result.attempted} examples failed"


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:sh|bash|console)\n(.*?)```", readme, re.DOTALL)
    test_command = next(c.strip() for c in commands if "pytest" in c)
    assert test_command in ci


def test_region_pages_are_generated_from_the_installed_packs() -> None:
    from socialwork_procurement.export._docgen import region_page

    registry = swp.load_registry()
    regions = [r.code for r in registry.regions()]
    for code in ("national", "henan", "xiamen", "ningxia"):
        if code not in regions:
            continue  # a pack not installed here: its page is checked where it is
        page = DOCS / "regions" / f"{code}.md"
        assert page.is_file(), f"docs/regions/{code}.md is missing: run `swp docs --out docs/regions`"
        assert page.read_text(encoding="utf-8") == region_page(registry, code), (
            f"docs/regions/{code}.md is out of date: run `swp docs --out docs/regions`"
        )


def _documented_commands() -> list[str]:
    commands = []
    for page in [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]:
        for block in re.findall(r"```sh\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL):
            # `swp case …` lines build on each other; the lifecycle tests run them as a sequence.
            commands += [line for line in block.splitlines() if line.startswith("swp ") and not line.startswith("swp case")]
    return commands


@pytest.mark.parametrize("command", _documented_commands())
def test_documented_swp_commands_run(command: str, tmp_path: Path) -> None:
    import shlex
    import subprocess
    import sys

    argv = shlex.split(command)
    if argv[1] == "docs":
        argv[argv.index("--out") + 1] = str(tmp_path)  # never rewrite the committed pages from a test
    result = subprocess.run(
        [sys.executable, "-m", "socialwork_procurement", *argv[1:]], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode in (0, 1, 3), result.stderr
    assert "Traceback" not in result.stderr


def _titled_block(text: str, lang: str, title: str) -> str:
    match = re.search(rf'```{lang} title="{re.escape(title)}"\n(.*?)```', text, re.DOTALL)
    assert match, f"no {lang} block titled {title}"
    return match.group(1)


def test_region_pack_tutorial_runs_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the tutorial's pack as a real distribution, run its doctests and its scenario file."""
    import importlib
    import subprocess
    import sys

    text = TUTORIAL.read_text(encoding="utf-8")
    site = tmp_path / "site"
    package = site / "socialwork_procurement_example"
    package.mkdir(parents=True)
    # The tutorial shows every module of the one pack shape, each in a block titled with its path.
    modules = re.findall(r'```python title="socialwork_procurement_example/([\w.]+)"\n(.*?)```', text, re.DOTALL)
    assert modules, "the tutorial shows no module of its pack"
    for name, body in modules:
        (package / name).write_text(body, encoding="utf-8")
    (package / "py.typed").write_text("", encoding="utf-8")
    info = site / "socialwork_procurement_example-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: socialwork-procurement-example\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[socialwork_procurement]\nexample = socialwork_procurement_example:pack\n")
    scenarios = tmp_path / "swp_scenarios_example.yaml"
    scenarios.write_text(_titled_block(text, "yaml", "tests/swp_scenarios_example.yaml"), encoding="utf-8")

    monkeypatch.syspath_prepend(str(site))
    importlib.import_module("socialwork_procurement_example")
    result = doctest.testfile(str(TUTORIAL), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0

    env = {**__import__("os").environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(scenarios)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout
