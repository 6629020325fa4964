"""The documentation site (issue 13): generated pages match the code, every public name is in the API page.

Three pages are rendered from the code when the site is built, by the MkDocs hooks in ``docs/_hooks/``:
the CLI reference (from the parser), the event types and versions (from ``EVENT_TYPES``) and the
case-file schema (from ``swp schema``); a fourth hook lists every public error class. The tests here
check what each hook renders against the code, without MkDocs. The tests marked ``site`` build the site
with ``mkdocs build --strict`` and read the HTML: they need the ``docs`` extra, and skip without it
unless ``SWP_REQUIRE_DOCS=1`` (CI sets it after installing the extra), when a missing MkDocs fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import socialwork_procurement as swp

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HOOKS = DOCS / "_hooks"


def _hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_swp_docs_hook_{name}", HOOKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cli_reference = _hook("cli_reference")
event_reference = _hook("event_reference")
case_file = _hook("case_file")
error_reference = _hook("error_reference")
rst_roles = _hook("rst_roles")

GENERATED = [cli_reference, event_reference, case_file, error_reference]


# ------------------------------------------------------------------------------- what the hooks render


@pytest.mark.parametrize("hook", GENERATED, ids=lambda h: h.PAGE)
def test_each_generated_page_has_its_marker_once(hook: ModuleType) -> None:
    text = (DOCS / hook.PAGE).read_text(encoding="utf-8")
    assert text.count(hook.MARKER) == 1, f"docs/{hook.PAGE} must contain {hook.MARKER!r} exactly once"


def test_cli_reference_shows_every_command_and_option() -> None:
    from socialwork_procurement.cli._main import build_parser

    parser = build_parser()
    page = cli_reference.render(parser)
    commands = list(cli_reference.commands(parser))
    top = {words[0] for words, _, _ in commands}
    assert {"check", "fee", "rules", "regions", "schema", "docs", "case", "diagram"} <= top
    assert ("case", "new") in {words for words, _, _ in commands}
    for words, sub, _ in [((), parser, None), *commands]:
        heading = f"swp {' '.join(words)}".rstrip()
        assert re.search(rf"^#+ {re.escape(heading)}$", page, re.MULTILINE), f"no section for {heading}"
        section = page.split(f" {heading}\n", 1)[1]
        usage = section.split("```text\n", 1)[1].split("\n```", 1)[0]
        assert usage.startswith(f"usage: {heading}")
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            for option in action.option_strings or [action.dest]:
                assert f"`{option}`" in section.split("\n#", 1)[0], f"{heading}: {option} is not in its table"


def test_cli_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = cli_reference.render()
    monkeypatch.setenv("COLUMNS", "300")
    assert cli_reference.render() == narrow


def test_events_page_lists_every_event_type_with_its_version() -> None:
    page = event_reference.render()
    rows = re.findall(r"^\| \[`([a-z_]+)`\]\(#[a-z_]+\) \| \[`(\w+)`\]\[[\w.]+\] \| (\d+) \| ([^|]+) \|$", page, re.MULTILINE)
    assert [(t, c, int(v)) for t, c, v, _ in rows] == [
        (t, cls.__name__, cls.SCHEMA_VERSION) for t, cls in swp.EVENT_TYPES.items()
    ]
    for event_type, cls in swp.EVENT_TYPES.items():
        section = page.split(f"## `{event_type}`", 1)[1].split("\n## ", 1)[0]
        assert f"schema version {cls.SCHEMA_VERSION}." in section
        for field in attrs.fields(cls):
            assert f"| `{field.name}` |" in section, f"{event_type}: field {field.name} missing"


def test_events_page_says_which_old_versions_are_read() -> None:
    """"Older versions read" lists exactly the stored versions ``swp.upcast`` accepts."""
    page = event_reference.render()
    rows = re.findall(r"^\| \[`([a-z_]+)`\].*\| (\d+) \| ([^|]+) \|$", page, re.MULTILINE)
    assert len(rows) == len(swp.EVENT_TYPES)
    for event_type, current, older in rows:
        listed = [] if older.strip() == "none" else [int(v) for v in older.split(",")]
        readable = []
        for version in range(1, int(current)):
            try:
                swp.upcast(event_type, version, {"contract": {}})
            except swp.EventSchemaError:
                continue
            readable.append(version)
        assert listed == readable, event_type
        with pytest.raises(swp.EventSchemaError):
            swp.upcast(event_type, int(current) + 1, {})


def test_case_file_page_embeds_the_schema_swp_prints() -> None:
    from socialwork_procurement.model._schema import case_schema

    page = case_file.render()
    block = page.split("    ```json\n", 1)[1].split("\n    ```", 1)[0]
    embedded = json.loads("\n".join(line.removeprefix("    ") for line in block.split("\n")))
    assert embedded == case_schema()
    for name in case_schema()["$defs"]:
        assert f"### {name} {{ #schema-{name.lower()} }}" in page
    for field in case_schema()["properties"]:
        assert f"| `{field}` |" in page


def test_errors_page_lists_every_public_error_with_its_builtin() -> None:
    public_errors = {
        name for name in swp.__all__ if isinstance(getattr(swp, name), type) and issubclass(getattr(swp, name), BaseException)
    }
    assert {cls.__name__ for cls in error_reference.error_classes()} == public_errors
    page = error_reference.render()
    for name in public_errors:
        cls = getattr(swp, name)
        assert f"::: {cls.__module__}.{cls.__qualname__}\n" in page
        row = next(line for line in page.splitlines() if line.startswith(f"| [`{name}`]"))
        for base in error_reference.builtin_bases(cls):
            assert f"`{base.__name__}`" in row
            assert issubclass(cls, base)
    assert error_reference.builtin_bases(swp.StoreBusy) == [TimeoutError]
    assert set(error_reference.builtin_bases(swp.DuplicateRegion)) == {RuntimeError, ValueError}


def test_rst_roles_become_plain_code() -> None:
    html = ":class:<code>Verdict</code> and :func:<code>~socialwork_procurement.decide</code>"
    assert rst_roles.on_page_content(html, None, None, None) == "<code>Verdict</code> and <code>decide</code>"


# ----------------------------------------------------------------------------------- swp docs, README


def test_swp_docs_without_out_refuses_and_writes_nothing(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "socialwork_procurement", "docs"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 2
    assert "--out" in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_swp_docs_writes_one_page_per_region_into_out(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    run = subprocess.run(
        [sys.executable, "-m", "socialwork_procurement", "docs", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    regions = [r.code for r in swp.load_registry().regions()]
    assert sorted(p.stem for p in out.glob("*.md")) == sorted(regions)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages"]


def _source_documents_paragraph(text: str) -> str:
    match = re.search(r"^## The source documents\n\n(.+?)\n(?:\n|$)", text, re.MULTILINE | re.DOTALL)
    assert match, "no '## The source documents' section"
    return match.group(1)


def test_readme_and_home_page_say_what_shared_holds_in_one_wording() -> None:
    readme = _source_documents_paragraph((ROOT / "README.md").read_text(encoding="utf-8"))
    home = _source_documents_paragraph((DOCS / "index.md").read_text(encoding="utf-8"))
    assert readme == home
    for named in ("../shared/seeds", "../shared/domain/RULES.md", "../shared/ocds"):
        assert f"`{named}`" in readme
    # The tests the sentence names exist and do skip without ../shared.
    for test_file in re.findall(r"`(tests/test_\w+\.py)`", readme):
        source = (ROOT / test_file).read_text(encoding="utf-8")
        assert "skipif" in source, f"{test_file} is said to skip without ../shared"


# ------------------------------------------------------------------------------------ the built site

REQUIRE_DOCS = os.environ.get("SWP_REQUIRE_DOCS") == "1"


def _docs_tools_missing() -> str | None:
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[docs]')"
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = _docs_tools_missing()
    if missing:
        if REQUIRE_DOCS:
            pytest.fail(f"SWP_REQUIRE_DOCS=1 but {missing}")
        pytest.skip(missing)
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stdout}{run.stderr}"
    return out


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_api_page_renders_every_public_name(site: Path) -> None:
    html = _html(site, "api")
    anchors = set(re.findall(r'id="socialwork_procurement\.(\w+)"', html))
    missing = [name for name in swp.__all__ if name not in anchors]
    assert not missing, f"not in the built API page: {missing}"


def test_built_generated_pages_show_the_code(site: Path) -> None:
    events = _html(site, "events")
    for event_type in swp.EVENT_TYPES:
        assert f'id="{event_type}"' in events
    reference = _html(site, "cli-reference")
    for heading in ("swp check", "swp case new", "swp docs"):
        assert f">{heading}<" in reference or f">{heading}<a" in reference, heading
    assert "swp:generated" not in reference + events + _html(site, "errors") + _html(site, "case-file")
    assert "https://socialwork-procurement.invalid/schema/case.json" in _html(site, "case-file")
    errors = _html(site, "errors")
    for cls in error_reference.error_classes():
        assert f'id="{cls.__module__}.{cls.__qualname__}"' in errors


def test_site_build_refuses_pages_outside_the_nav() -> None:
    """mkdocs.yml makes a page left out of the nav a warning, and so, built strictly, an error."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^strict: true$", text, re.MULTILINE)
    assert re.search(r"^  omitted_files: warn$", text, re.MULTILINE)


def test_every_page_is_in_the_nav() -> None:
    nav = set(re.findall(r"^\s*- (?:[^:\n]+: )?([\w/.-]+\.md)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "_hooks" not in p.parts}
    assert pages - nav == set(), "add these pages to the nav of mkdocs.yml"
    assert nav - pages == set(), "the nav of mkdocs.yml names pages that do not exist"
