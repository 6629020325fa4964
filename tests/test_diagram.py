"""Issue 13: ``swp diagram`` in the reader's language, as text or a Graphviz picture, with a case's state marked.

The SVG and PNG tests need Graphviz's ``dot`` program and skip, saying so, where it is not
installed (CI installs it); what ``swp diagram`` does without it is tested everywhere.
"""

from __future__ import annotations

import re
import shutil
import stat
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from socialwork_procurement.cli import _case_commands
from socialwork_procurement.cli._main import EXIT_ERROR, EXIT_USAGE, main
from socialwork_procurement.export._names import name
from socialwork_procurement.lifecycle._machine import MACHINE, Action, State

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples" / "lifecycle"
CJK = re.compile(r"[\u3400-\u9fff]")
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="Graphviz's dot is not installed: the svg and png tests need it (apt-get install graphviz)",
)


@pytest.fixture(autouse=True)
def _no_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("SWP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _labels(mermaid: str) -> list[str]:
    """The texts people read in a Mermaid diagram: state names, edge labels, the note."""
    found = re.findall(r'^    state "([^"]*)" as ', mermaid, re.MULTILINE)
    found += re.findall(r"^    \S+ --> \S+: (.*)$", mermaid, re.MULTILINE)
    found += re.findall(r"^    note right of \S+: (.*)$", mermaid, re.MULTILINE)
    return found


# -- the machine's diagrams ------------------------------------------------------------------------------------------


def test_without_arguments_the_diagrams_show_the_identifiers() -> None:
    # docs/lifecycle.md embeds this copy (tests/test_lifecycle_cli.py keeps the two equal)
    assert MACHINE.to_mermaid() == MACHINE.to_mermaid(None) and MACHINE.to_dot() == MACHINE.to_dot(None)
    assert not [line for line in MACHINE.to_mermaid().splitlines() if line.startswith("    state ")]
    assert "classDef" not in MACHINE.to_mermaid()
    assert '    draft [label="draft"];' in MACHINE.to_dot() and 'fontname="Helvetica"' in MACHINE.to_dot()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_a_language_the_states_and_actions_are_named(lang: str) -> None:
    mermaid = MACHINE.to_mermaid(lang, name=name)
    for state in State:
        assert f'    state "{name(state, lang)}" as {state.value}' in mermaid.splitlines()
    for t in MACHINE.transitions:
        line = next(x for x in mermaid.splitlines() if x.startswith(f"    {t.source.value} --> {t.target.value}: "))
        assert name(t.action, lang) in line.split(": ", 1)[1].split(" / ")
    labels = _labels(mermaid)
    assert len(labels) == len(State) + len(MACHINE._edges()) + 1 + 1  # states, edges, [*] --> draft, the note
    if lang == "zh":
        assert all(CJK.search(label) for label in labels), [x for x in labels if not CJK.search(x)]
        assert not [x for x in labels if re.search(r"[a-z]+_[a-z]+", x)]
        assert "信息公开在所有非终结状态下均可进行(状态不变)" in mermaid
    else:
        assert not [x for x in labels if CJK.search(x)]
        assert "disclosure is allowed in every state that is not final (the state does not change)" in mermaid
    dot = MACHINE.to_dot(lang, name=name)
    for state in State:
        assert f'    {state.value} [label="{name(state, lang)}"' in dot
    assert f'    __start -> draft [label="{name(Action.OPEN, lang)}"];' in dot
    assert dot.count(" -> ") == MACHINE.to_dot().count(" -> ")  # the same graph, named


def test_a_state_is_highlighted() -> None:
    mermaid = MACHINE.to_mermaid("zh", name=name, highlight=State.TENDERING)
    assert mermaid.splitlines()[-1] == "    class tendering current"
    assert mermaid.splitlines()[-2].startswith("    classDef current fill:")
    assert "class " not in MACHINE.to_mermaid("zh", name=name)
    assert MACHINE.to_mermaid(highlight=State.DRAFT).splitlines()[-1] == "    class draft current"
    dot = MACHINE.to_dot("en", name=name, highlight=State.CLOSED)
    (closed,) = [line for line in dot.splitlines() if line.startswith("    closed [")]
    assert "peripheries=2" in closed and "filled" in closed and "fillcolor=" in closed
    assert sum("fillcolor=" in line for line in dot.splitlines()) == 1


def test_labels_are_escaped_for_each_language() -> None:
    def odd(member: Any, lang: str) -> str:
        return f'say "{member.value}"; #1 \\ back'

    dot = MACHINE.to_dot("en", name=odd)
    assert '    draft [label="say \\"draft\\"; #1 \\\\ back"];' in dot
    mermaid = MACHINE.to_mermaid("en", name=odd)
    assert '    state "say #quot;draft#quot;#59; #35;1 \\ back" as draft' in mermaid


# -- swp diagram -----------------------------------------------------------------------------------------------------


def test_swp_diagram_follows_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diagram")
    assert code == 0 and out == MACHINE.to_mermaid("zh", name=name) + "\n"
    assert '    state "已立项" as draft' in out
    code, out, _ = run(capsys, "diagram", "--lang", "en", "--format", "dot")
    assert code == 0 and out == MACHINE.to_dot("en", name=name) + "\n"
    assert '    needs_assessed [label="needs assessed"];' in out
    # the identifiers, as docs/lifecycle.md shows them
    assert run(capsys, "diagram", "--ids")[1] == MACHINE.to_mermaid() + "\n"
    assert run(capsys, "diagram", "--ids", "--format", "dot")[1] == MACHINE.to_dot() + "\n"


def _store_with_a_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    store = tmp_path / "cases.sqlite"
    assert run(capsys, "case", "new", str(EXAMPLES / "01-open.json"), "--id", "XM-1", "--store", str(store))[0] == 0
    for step in ("02-assess-needs", "03-approve-budget"):
        assert run(capsys, "case", "do", "XM-1", str(EXAMPLES / f"{step}.json"), "--store", str(store))[0] == 0
    return store


def test_a_case_s_current_state_is_highlighted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = _store_with_a_case(tmp_path, capsys)
    code, shown, _ = run(capsys, "case", "show", "XM-1", "--store", str(store))
    assert code == 0 and '"status": "budgeted"' in shown
    code, out, _ = run(capsys, "diagram", "--case", "XM-1", "--store", str(store))
    assert code == 0 and out == MACHINE.to_mermaid("zh", name=name, highlight=State.BUDGETED) + "\n"
    code, out, _ = run(capsys, "diagram", "--case", "XM-1", "--store", str(store), "--format", "dot", "--ids")
    assert code == 0 and out == MACHINE.to_dot(highlight=State.BUDGETED) + "\n"


def test_case_and_store_go_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "diagram", "--store", str(tmp_path / "x.sqlite"), "--lang", "en")
    assert (code, out) == (EXIT_USAGE, "") and "--store names the store of --case" in err
    code, out, err = run(capsys, "diagram", "--case", "XM-1", "--store", str(tmp_path / "none.sqlite"))
    assert (code, out) == (EXIT_USAGE, "") and "--store" in err
    assert not (tmp_path / "none.sqlite").exists()  # reading never creates a store
    store = _store_with_a_case(tmp_path, capsys)
    code, out, err = run(capsys, "diagram", "--case", "XM-404", "--store", str(store), "--lang", "en")
    assert (code, out) == (EXIT_USAGE, "") and "XM-404" in err


def test_without_graphviz_a_picture_is_refused_with_exit_4(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_case_commands.shutil, "which", lambda program: None)
    for fmt in ("svg", "png"):
        target = tmp_path / f"lifecycle.{fmt}"
        code, out, err = run(capsys, "diagram", "--format", fmt, "--out", str(target), "--lang", "en")
        assert (code, out) == (EXIT_ERROR, "") and not target.exists()
        assert err.startswith(f"swp: error: --format {fmt} needs Graphviz's `dot` program, which is not installed")
        assert "--format dot" in err
        code, _, err = run(capsys, "diagram", "--format", fmt, "--out", str(target))
        assert code == EXIT_ERROR and "需要 `Graphviz` 的 `dot` 程序,但未安装" in err
    # the text formats need nothing
    assert run(capsys, "diagram", "--format", "dot")[0] == 0


def test_a_dot_that_fails_is_an_environment_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "dot"
    broken.write_text("#!/bin/sh\necho 'Error: layout failed' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(_case_commands.shutil, "which", lambda program: str(broken))
    code, out, err = run(capsys, "diagram", "--format", "svg", "--lang", "en")
    assert (code, out) == (EXIT_ERROR, "")
    assert err == "swp: error: Graphviz's `dot` could not draw the diagram: Error: layout failed\n"


def test_png_is_written_to_a_file_only(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # binary data on standard output would break whatever reads it as text; refused before Graphviz is looked for
    monkeypatch.setattr(_case_commands.shutil, "which", lambda program: None)
    code, out, err = run(capsys, "diagram", "--format", "png", "--lang", "en")
    assert (code, out) == (EXIT_USAGE, "")
    assert err == "swp: error: --format png writes a picture file: name it with --out (e.g. --out lifecycle.png)\n"
    assert run(capsys, "diagram", "--format", "png")[2].startswith("swp: error: `--format png` 输出图片文件")


def test_out_writes_any_format_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "lifecycle.mmd"
    code, out, _ = run(capsys, "diagram", "--out", str(target), "--lang", "en")
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8") == MACHINE.to_mermaid("en", name=name) + "\n"
    code, out, err = run(capsys, "diagram", "--out", str(tmp_path / "no-such-dir" / "x.dot"), "--format", "dot",
                         "--lang", "en")  # fmt: skip
    assert (code, out) == (EXIT_ERROR, "") and err.startswith(f"swp: error: cannot write {tmp_path / 'no-such-dir'}")


@needs_dot
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_svg_is_drawn_with_the_names_and_the_current_state(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store_with_a_case(tmp_path, capsys)
    code, out, err = run(capsys, "diagram", "--format", "svg", "--lang", lang, "--case", "XM-1", "--store", str(store))
    assert code == 0, err
    svg = ElementTree.fromstring(out)  # a well-formed SVG document
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {name(s, lang) for s in State} <= texts
    assert "#fde68a" in out  # the case's state (budgeted) is filled
    (node,) = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"
               and any(t.text == name(State.BUDGETED, lang) for t in g.iter("{http://www.w3.org/2000/svg}text"))]  # fmt: skip
    assert any(p.get("fill") == "#fde68a" for p in node.iter() if p.get("fill"))


@needs_dot
def test_png_is_drawn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "lifecycle.png"
    code, out, err = run(capsys, "diagram", "--format", "png", "--out", str(target))
    assert (code, out) == (0, ""), err
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    # the same picture as svg, drawn from the same DOT: a file as well when asked
    code, _, _ = run(capsys, "diagram", "--format", "svg", "--out", str(tmp_path / "lifecycle.svg"))
    assert code == 0 and ElementTree.parse(tmp_path / "lifecycle.svg").getroot().tag.endswith("svg")
