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
        optionflags=0,  # what a page shows is what a prompt prints: no ellipsis, no reflowed output
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
    from socialwork_procurement.export._docgen import COVERAGE_FILE, load_coverage, region_page

    registry = swp.load_registry()
    regions = [r.code for r in registry.regions()]
    coverage = load_coverage(DOCS / "regions" / COVERAGE_FILE)
    for code in ("national", "henan", "xiamen", "ningxia", "guangdong", "guangzhou"):
        if code not in regions:
            continue  # a pack not installed here: its page is checked where it is
        page = DOCS / "regions" / f"{code}.md"
        assert page.is_file(), f"docs/regions/{code}.md is missing: run `swp docs --out docs/regions`"
        assert page.read_text(encoding="utf-8") == region_page(registry, code, coverage=coverage), (
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


@pytest.mark.slow  # a fresh venv and installs: CI runs it once, on its first interpreter
def test_region_pack_tutorial_runs_end_to_end(tmp_path: Path) -> None:
    """Follow the tutorial as a new user, in a fresh virtual environment: every command and file, in page order.

    ``console`` blocks are shell sessions: each ``$ `` line runs (``cd`` carries over, as in a shell) and must
    exit 0, and the lines shown after it must appear in what it prints (``...`` stands for lines left out).
    A block titled with a path is a file the user writes, named from the directory ``swp new-region`` ran in.
    Last, the page's ``>>>`` examples run as a doctest session in that environment, with no doctest options.
    """
    import os
    import shlex
    import site
    import subprocess
    import sys

    root = tmp_path / "user"
    root.mkdir()
    # The user's environment: a fresh venv seeing what this interpreter has installed (the core, pip, pytest),
    # through a .pth file, since --system-site-packages alone reaches only the base interpreter's packages.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    lines = "; ".join(f"site.addsitedir({path!r})" for path in site.getsitepackages())
    (Path(purelib) / "_swp_running_interpreter.pth").write_text(f"import site; {lines}\n", encoding="utf-8")

    def command(argv: list[str]) -> list[str]:
        # What the user's shell would run: the commands of this environment.
        programs = {"swp": [str(python), "-m", "socialwork_procurement"], "pip": [str(python), "-m", "pip"],
                    "python": [str(python)]}
        assert argv[0] in programs, f"the tutorial runs {argv[0]!r}, which this test does not know"
        return [*programs[argv[0]], *argv[1:]]

    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = re.finditer(r'^```(\w*)(?: title="([^"]+)")?\n(.*?)^```$', text, re.MULTILINE | re.DOTALL)
    cwd, ran, written = root, 0, 0
    for block in blocks:
        lang, title, body = block.group(1), block.group(2), block.group(3)
        if title is not None:
            target = root / title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            written += 1
            continue
        if lang != "console":
            continue
        sessions: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                sessions.append((line[2:], []))
            elif sessions and line.strip() and line.strip() != "...":
                sessions[-1][1].append(line.strip())
        for line, expected in sessions:
            argv = shlex.split(line)
            if argv[:1] == ["cd"]:
                cwd = cwd / argv[1]
                argv = argv[3:] if argv[2:3] == ["&&"] else []
            if argv[:1] == ["rm"]:
                for name in argv[1:]:
                    (cwd / name).unlink()
                continue
            if not argv:
                continue
            result = subprocess.run(command(argv), cwd=cwd, capture_output=True, text=True, check=False)
            assert result.returncode == 0, f"`{line}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            for want in expected:
                assert want in result.stdout, f"`{line}` did not print {want!r}:\n{result.stdout}"
            ran += 1
    assert ran >= 5 and written >= 7, (ran, written)

    doctests = subprocess.run([str(python), "-m", "doctest", str(TUTORIAL)], cwd=root, capture_output=True,
                              text=True, check=False)
    assert doctests.returncode == 0, doctests.stdout + doctests.stderr
    assert ">>> " in text
