"""Docs are part of the feature: every hook documented and tested, every docs example runs."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import socialwork_procurement as swp
from socialwork_procurement import _hookspecs

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


DOC_PAGES = sorted(p for p in DOCS.rglob("*.md") if ">>> " in p.read_text(encoding="utf-8"))


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
