"""Every page of the site works when a new user pastes it (issue 13).

A reader copies what a page shows into a fresh directory, a Python prompt and a shell. So each page is
run that way, from a clean temporary directory (``docs/examples`` copied there when the page refers to
it), never from the repository:

* ``>>>`` blocks are run as one doctest session per page, with **no** doctest options: the inline
  ``# doctest: +ELLIPSIS`` / ``+NORMALIZE_WHITESPACE`` directives are removed first, because a reader's
  prompt prints the real output, not a pattern of it. The output shown must be what Python prints.
* On tutorial pages, a fenced ``python`` block with a ``title="path"`` is a file the reader creates:
  it is written there (the directory is on ``sys.path``, as the current directory is at a prompt).
  Any other fenced ``python`` block is a program the reader runs: a test module (one that defines
  ``test_…`` functions or ``Test…`` classes) with pytest, anything else with ``python``.
* In ``sh`` blocks, the lines starting with ``swp `` are run in order, in one directory, as a shell
  session would; a trailing ``# exit N`` says which exit code the page promises (0 otherwise).
  A block titled ``"standard output"`` right after an ``sh`` block is what its last ``swp`` line
  prints, and must be exactly that. ``pip install`` lines are what made this environment and are
  not repeated.

After each page, no file may have appeared in the repository. Pages come from the nav of ``mkdocs.yml``:
the "Tutorials" section is run in full; the other pages' ``>>>`` examples and ``swp`` lines are run
(their other code blocks are fragments of a signature, not programs). A tutorial that needs more than a
directory, a prompt and a shell (a live server, a package the page installs) is run by a test of its own,
named in ``RUN_ELSEWHERE``, and not here. No page is expected to fail: one that cannot run as written fails.
"""

from __future__ import annotations

import doctest
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"

# Directories a test run or a tool fills by itself; a file appearing there is not one a page left behind.
_NOT_THE_REPOSITORY = {
    ".git",
    ".ci-venv",
    ".venv",
    "venv",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".import_linter_cache",
    "site",
}


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name:`` tags name Python objects this test does not need."""


_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: None)


def _nav() -> list[Any]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    nav: list[Any] = config["nav"]
    return nav


def _pages(entries: list[Any]) -> list[str]:
    pages: list[str] = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += _pages(value) if isinstance(value, list) else [value]
    return pages


def _section(title: str) -> list[str]:
    for entry in _nav():
        if isinstance(entry, dict) and title in entry:
            return _pages(entry[title])
    raise AssertionError(f"mkdocs.yml has no {title!r} section in its nav")


TUTORIALS = _section("Tutorials")
OTHER_PAGES = [page for page in _pages(_nav()) if page not in TUTORIALS]

_FENCE = re.compile(r"^```(?P<lang>[\w-]*)(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_DIRECTIVE = re.compile(r"[ \t]*#\s*doctest:[^\n]*")
_EXIT = re.compile(r"#\s*exit\s+(?P<code>\d+)\s*$")


class Page:
    """The runnable parts of one page, in the order a reader meets them."""

    def __init__(self, name: str, *, tutorial: bool, text: str | None = None) -> None:
        self.name = name
        self.text = (DOCS / name).read_text(encoding="utf-8") if text is None else text
        self.doctest = ""
        self.files: list[tuple[str, str]] = []
        self.programs: list[str] = []
        self.shell: list[str] = []
        self.stdout: dict[int, str] = {}  # index in self.shell -> the output the page shows for that line
        previous_was_shell = False
        for block in _FENCE.finditer(self.text):
            lang, body = block["lang"], block["body"]
            title = _TITLE.search(block["info"])
            if title and title["title"] == "standard output":
                if previous_was_shell and self.shell:
                    self.stdout[len(self.shell) - 1] = body
                previous_was_shell = False
                continue
            previous_was_shell = lang in ("sh", "bash", "shell", "console") and "\nswp " in f"\n{body}"
            if lang == "python" and any(line.startswith(">>>") for line in body.splitlines()):
                self.doctest += body + "\n"
            elif lang == "python" and tutorial:
                if title:
                    self.files.append((title["title"], body))
                else:
                    self.programs.append(body)
            elif lang in ("sh", "bash", "shell", "console"):
                self.shell += [line for line in body.splitlines() if line.startswith("swp ")]

    @property
    def has_python(self) -> bool:
        return bool(self.doctest or self.programs)

    @property
    def uses_examples(self) -> bool:
        return "docs/examples" in self.text


PAGES = {name: Page(name, tutorial=name in TUTORIALS) for name in [*TUTORIALS, *OTHER_PAGES]}

# Tutorials a reader follows with more than a directory, a prompt and a shell: each is run, as pasted, by the
# test named here, and not by this module. serve.md's examples need a running server; write-a-region-pack.md's
# prompt imports the pack its `pip install -e example` installs, so it runs in a fresh virtual environment.
RUN_ELSEWHERE = {
    "serve.md": ("tests/test_serve_docs.py", "test_every_curl_example_answers_as_the_page_says"),
    "write-a-region-pack.md": ("tests/test_docs.py", "test_region_pack_tutorial_runs_end_to_end"),
}


def _params(kind: str) -> list[Any]:
    wanted = (lambda p: p.has_python) if kind == "python" else (lambda p: bool(p.shell))
    params = []
    for name, page in PAGES.items():
        if wanted(page) and name not in RUN_ELSEWHERE:
            params.append(pytest.param(page, id=f"{name}::{kind}"))
    return params


def _repository_files() -> set[Path]:
    found = set()
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [d for d in subdirectories if d not in _NOT_THE_REPOSITORY and not d.endswith(".egg-info")]
        found.update(Path(directory, f).relative_to(ROOT) for f in files)
    return found


@pytest.fixture
def reader_dir(tmp_path: Path) -> Path:
    """An empty directory for the reader, outside the repository."""
    workdir = tmp_path / "reader"
    workdir.mkdir()
    return workdir


@pytest.fixture
def repository_untouched() -> Any:
    before = _repository_files()
    yield
    left = sorted(str(p) for p in _repository_files() - before)
    assert not left, f"the page left files in the repository: {left}"


def _prepare(page: Page, workdir: Path) -> None:
    if page.uses_examples:
        shutil.copytree(EXAMPLES, workdir / "docs" / "examples")
    for title, body in page.files:
        target = workdir / title
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")


def _run_doctest(page: Page, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    monkeypatch.syspath_prepend(str(workdir))  # a prompt started here imports from here
    text = _DIRECTIVE.sub("", page.doctest)
    test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, page.name, page.name, 0)
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=0, verbose=False)
    try:
        result = runner.run(test, out=report.write)
    finally:
        test.globs.clear()
    assert result.attempted > 0
    assert result.failed == 0, (
        f"{page.name}: {result.failed} of {result.attempted} examples failed\n{report.getvalue()}"
    )


def _run_program(page: Page, index: int, body: str, workdir: Path) -> None:
    is_test_module = re.search(r"^(def test_|class Test)", body, re.MULTILINE) is not None
    name = f"{'test_' if is_test_module else ''}example_{index}.py"
    (workdir / name).write_text(body, encoding="utf-8")
    argv = (
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", name]
        if is_test_module
        else [sys.executable, name]
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(workdir), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(argv, cwd=workdir, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, (
        f"{page.name}: program {index} ({name}) exited {run.returncode}\n{run.stdout}{run.stderr}"
    )


@pytest.mark.parametrize("page", _params("python"))
def test_python_examples_run_as_pasted(
    page: Page, reader_dir: Path, repository_untouched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepare(page, reader_dir)
    if page.doctest:
        _run_doctest(page, reader_dir, monkeypatch)
    for index, body in enumerate(page.programs, 1):
        _run_program(page, index, body, reader_dir)


@pytest.mark.parametrize("page", _params("shell"))
def test_shell_examples_run_as_pasted(page: Page, reader_dir: Path, repository_untouched: None) -> None:
    _prepare(page, reader_dir)
    for index, line in enumerate(page.shell):
        expected = _EXIT.search(line)
        argv = shlex.split(line, comments=True)
        operators = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "&"} & set(argv)
        assert not operators, f"{page.name}: `{line}` needs a shell ({operators}); this test runs one command a line"
        run = subprocess.run(
            [sys.executable, "-m", "socialwork_procurement", *argv[1:]],
            cwd=reader_dir,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        want = int(expected["code"]) if expected else 0
        assert run.returncode == want, (
            f"{page.name}: `{line}` exited {run.returncode}, the page says {want}\n{run.stderr}"
        )
        assert "Traceback" not in run.stderr, f"{page.name}: `{line}`\n{run.stderr}"
        if index in page.stdout:
            assert run.stdout == page.stdout[index], f"{page.name}: `{line}` printed something else than the page shows"


def test_every_tutorial_has_something_to_run() -> None:
    """A tutorial page with no runnable example would pass vacuously: each must show code."""
    empty = [
        name for name in TUTORIALS if not (PAGES[name].has_python or PAGES[name].shell) and name not in RUN_ELSEWHERE
    ]
    assert not empty, f"tutorials with nothing to run: {empty}"


@pytest.mark.parametrize("name", list(RUN_ELSEWHERE))
def test_a_page_run_elsewhere_is_run_there_as_pasted(name: str) -> None:
    """A page this module leaves out is a tutorial, its test exists, and the page has no doctest directive
    (the test running it honours them, where a reader's prompt does not)."""
    path, function = RUN_ELSEWHERE[name]
    assert name in TUTORIALS, f"{name} is not in the Tutorials section of mkdocs.yml"
    source = (ROOT / path).read_text(encoding="utf-8")
    assert re.search(rf"^def {function}\(", source, re.MULTILINE), f"{path} has no test {function}()"
    assert not _DIRECTIVE.search(PAGES[name].text), f"{name} uses a doctest directive"


def test_the_extraction_sees_what_a_reader_sees() -> None:
    """Doctests, titled files, programs and ``swp`` lines are found where a reader sees them."""
    text = (
        "```python\n>>> 1 + 1  # doctest: +ELLIPSIS\n2\n```\n"
        '```python title="pkg/__init__.py"\nX = 1\n```\n'
        "```python\nprint('hi')\n```\n"
        "```sh\npip install .\nswp fee --region xiamen  # exit 2\n```\n"
        "```toml\nswp = 1\n```\n"
        "```sh\nswp regions --format json\nswp rules --region xiamen\n```\n"
        '```json title="standard output"\n[]\n```\n'
    )
    tutorial = Page("sample.md", tutorial=True, text=text)
    assert _DIRECTIVE.sub("", tutorial.doctest) == ">>> 1 + 1\n2\n\n"
    assert tutorial.files == [("pkg/__init__.py", "X = 1\n")]
    assert tutorial.programs == ["print('hi')\n"]
    assert tutorial.shell == [
        "swp fee --region xiamen  # exit 2",
        "swp regions --format json",
        "swp rules --region xiamen",
    ]
    assert tutorial.stdout == {2: "[]\n"}
    expected = _EXIT.search(tutorial.shell[0])
    assert expected is not None and expected["code"] == "2"
    reference = Page("sample.md", tutorial=False, text=text)
    assert (reference.files, reference.programs, reference.shell) == ([], [], tutorial.shell)


@pytest.mark.parametrize("name", list(PAGES))
def test_prompt_lines_are_inside_python_fences(name: str) -> None:
    """A ``>>>`` line outside a fenced ``python`` block renders as prose (Markdown reads ``[a][b]`` in it as a
    link) and is not run above: every example must be fenced."""
    text = PAGES[name].text
    fenced = {m.start("body") + i for m in _FENCE.finditer(text) for i in range(len(m["body"]))}
    stray = [
        text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"^>>> ", text, re.MULTILINE) if m.start() not in fenced
    ]
    assert not stray, f"{name}: '>>>' outside a ```python block on line(s) {stray}"
