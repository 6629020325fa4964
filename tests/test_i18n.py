"""Every text in Chinese and English: the gettext catalogues, messages, and the command line's language.

The catalogues (``src/socialwork_procurement/locale``) are checked four ways: every msgid of the
templates has a Chinese translation with the msgid's placeholders and no English left in it; the
committed ``.mo`` files are what Babel compiles from the ``.po`` files; the ``.pot`` template holds
exactly the msgids the code uses (Babel extracts them here); argparse's catalogue covers every
message of the running Python's argparse. The tests that need Babel (the ``dev`` extra) skip without
it and say so, unless ``SWP_REQUIRE_BABEL=1`` makes its absence a failure.
"""

from __future__ import annotations

import argparse
import enum
import fnmatch
import gettext
import importlib.util
import os
import re
import sys
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from socialwork_procurement._i18n import (
    DOMAIN,
    LOCALE_DIR,
    Bilingual,
    Joined,
    LocalizedError,
    Message,
    placeholders,
    translator,
)
from socialwork_procurement.cli._common import language, language_of, speaking, text
from socialwork_procurement.cli._main import EXIT_ERROR, EXIT_USAGE, build_parser, main
from socialwork_procurement.lifecycle._machine import Action, Role, State

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = (DOMAIN, "argparse")
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _no_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("SWP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


# ------------------------------------------------------------------------------------------ Babel


def _babel() -> None:
    if os.environ.get("SWP_REQUIRE_BABEL") == "1":
        import babel  # noqa: F401  (its absence fails the test)
    else:
        pytest.importorskip("babel", reason="Babel (the dev extra: pip install -e '.[dev]') checks the catalogues")


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    """``scripts/i18n.py``, the Babel script that extracts, updates and compiles."""
    _babel()
    spec = importlib.util.spec_from_file_location("swp_i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ids(catalog: Any) -> set[tuple[str | None, Any]]:
    return {(m.context, m.id) for m in catalog if m.id}


# -- placeholders and leftover English --------------------------------------------------------------------

_PERCENT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def _fields(domain: str, text: str) -> list[Any]:
    if domain == "argparse":  # argparse's own messages use %-formatting
        return sorted(_PERCENT.findall(text))
    return placeholders(text)


# Latin words a Chinese text may keep: code to type (options, commands, file formats, encodings,
# field names), names of formats and standards, and argparse's own parameter names.
_CODE_WORDS = {
    "JSON", "UTF", "OCDS", "SQLite", "Schema", "YYYY", "MM", "DD", "swp", "pip", "python", "pytest", "cd",
    "gb18030", "urn", "uuid", "ocds", "json", "text", "zh", "en", "SWP_LANG", "CODE", "DIR", "national",
    "xiamen", "Guangdong", "accept_undetermined", "evaluation_fee_base", "dest", "conflict_resolution",
    "required", "__call__", "open", "install", "regions",
    # file formats and tools named as such in help texts
    "CSV", "csv", "jsonl", "xlsx", "Lines", "Dask", "dask", "HTTP", "PostgreSQL", "postgresql", "public",
}  # fmt: skip


def _english_left(domain: str, translation: str) -> list[str]:
    rest = _PERCENT.sub(" ", translation) if domain == "argparse" else re.sub(r"\{[^{}]*\}", " ", translation)
    rest = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"|--[a-z][a-z-]*|\.\w+\(\)", " ", rest)
    return [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]+", rest) if w not in _CODE_WORDS]


def _letters(domain: str, msgid: str) -> bool:
    return bool(re.search(r"[A-Za-z]", re.sub(r"\{[^{}]*\}", "", _PERCENT.sub("", msgid))))


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_its_chinese_translation(tool: ModuleType, domain: str) -> None:
    template = tool.read_catalog(tool.pot_path(domain))
    zh = tool.read_catalog(tool.po_path(domain, "zh"), locale="zh")
    assert len(_ids(template)) > 40
    assert _ids(zh) == _ids(template), "run `python scripts/i18n.py update` and translate the new entries"
    problems = []
    for message in zh:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {message.id!r}")
            continue
        for string in strings:
            if _fields(domain, string) != _fields(domain, ids[-1]) and _fields(domain, string) != _fields(domain, ids[0]):
                problems.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
            if string == ids[0] and _letters(domain, ids[0]):
                problems.append(f"the msgid itself, not a translation: {string!r}")
            if _english_left(domain, string):
                problems.append(f"English left in {string!r}: {_english_left(domain, string)}")
    assert problems == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_files_are_compiled_from_the_po_files(tool: ModuleType, domain: str) -> None:
    po, mo = tool.po_path(domain, "zh"), tool.mo_path(domain, "zh")
    assert mo.read_bytes() == tool.compiled(po, "zh"), "run `python scripts/i18n.py compile`"


def test_the_template_holds_exactly_the_msgids_the_code_uses(tool: ModuleType) -> None:
    used = _ids(tool.extracted())
    template = _ids(tool.read_catalog(tool.pot_path(DOMAIN)))
    assert used - template == set(), "msgids in the code but not in the catalogue: run `python scripts/i18n.py`"
    assert template - used == set(), "msgids no longer used: run `python scripts/i18n.py`"


def test_argparse_catalogue_covers_the_running_pythons_argparse(tool: ModuleType) -> None:
    running = _ids(tool.argparse_messages([Path(argparse.__file__)]))
    template = _ids(tool.read_catalog(tool.pot_path("argparse")))
    assert running <= template, f"run `python scripts/i18n.py argparse` on Python {sys.version.split()[0]}"


def test_the_wheel_ships_every_compiled_catalogue() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    compiled = sorted(p.relative_to(ROOT).as_posix() for p in LOCALE_DIR.glob("*/LC_MESSAGES/*.mo"))
    assert compiled == [
        "src/socialwork_procurement/locale/zh/LC_MESSAGES/argparse.mo",
        "src/socialwork_procurement/locale/zh/LC_MESSAGES/socialwork_procurement.mo",
    ]
    assert all(any(fnmatch.fnmatch(path, glob) for glob in config["artifacts"]) for path in compiled)
    assert config["targets"]["wheel"]["packages"] == ["src/socialwork_procurement"]  # locale/ is inside it


# ------------------------------------------------------------- what gettext reads (no Babel needed)


@pytest.mark.parametrize("domain", DOMAINS)
def test_gettext_reads_the_shipped_catalogue(domain: str) -> None:
    path = LOCALE_DIR / "zh" / "LC_MESSAGES" / f"{domain}.mo"
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    entries = {k: v for k, v in catalogue._catalog.items() if k}  # type: ignore[attr-defined]
    assert len(entries) > 40
    for key, translation in entries.items():
        msgid = key[0] if isinstance(key, tuple) else key.split("\x04")[-1]
        assert translation and _fields(domain, translation) == _fields(domain, msgid), (msgid, translation)
    assert translator("zh", domain).gettext("usage: " if domain == "argparse" else "none") in {"用法: ", "无"}


def test_english_is_the_msgids_and_needs_no_catalogue() -> None:
    assert isinstance(translator("en"), gettext.NullTranslations)
    assert not isinstance(translator("en"), gettext.GNUTranslations)
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        translator("fr")


# --------------------------------------------------------------------------------------- messages


class _Colour(enum.Enum):
    RED = "red"


def test_a_message_renders_in_each_language_with_its_parameters() -> None:
    message = Message(
        "{action} is not allowed in state {state} (allowed: {allowed})",
        action=Action.ACCEPT,
        state=State.DRAFT,
        allowed=Joined([Action.ASSESS_NEEDS, Action.CANCEL]),
    )
    assert str(message) == "accept is not allowed in state draft (allowed: assess_needs, cancel)"
    assert message.render("zh") == "在「draft」状态下不允许「accept」(允许:assess_needs、cancel)"
    assert text(message, "zh") == "在「已立项」状态下不允许「结项验收」(允许:需求摸底、取消)"
    assert text(message, "en") == "final acceptance is not allowed in state draft (allowed: assess the needs, cancel)"
    assert message == Message(message.msgid, **message.params) and message != Message(message.msgid)


def test_nested_messages_bilingual_texts_lists_and_dates() -> None:
    on = date(2015, 3, 1)
    clauses = Joined([Bilingual("甲", "a"), Bilingual("乙", "b")], clauses=True)
    inner = Message("{rule_id} ({outcome} at {path}): {message}", rule_id="r.x", outcome=Role.PURCHASER, path="$", message=clauses)
    outer = Message("{step}: refused by the rules of {region} on {on}: {failures}", step=Message("the budget"),
                    region=Bilingual("厦门市", "Xiamen"), on=on, failures=inner)  # fmt: skip
    assert str(outer) == "the budget: refused by the rules of Xiamen on 2015-03-01: r.x (purchaser at $): a; b"
    assert text(outer, "zh") == "编制预算:依厦门市在 2015-03-01 施行的规则不予办理:r.x($:购买主体):甲;乙"
    # A text from a pack has its identifiers shown by name under zh (the names table of cli/_names.py).
    assert text(Message("no result"), "zh") == "无结果"
    localized = text(Message("{step}", step=Bilingual("enterprise 不可承接", "enterprise")), "zh")
    assert "企业" in localized and "enterprise" not in localized
    # an enumeration no table names is shown by its value rather than failing
    assert text(Message("the {stage}", stage=_Colour.RED), "zh") == "red"


def test_a_localized_error_is_english_as_a_string_and_any_language_on_request() -> None:
    error = LocalizedError(Message("case {case_id!r} already exists", case_id="XM-1"))
    assert str(error) == "case 'XM-1' already exists" and error.text("zh") == "案件 'XM-1' 已存在"
    plain = LocalizedError("a caller's own words")
    assert str(plain) == plain.text("zh") == "a caller's own words"


def test_a_translation_keeps_the_msgids_placeholders() -> None:
    assert placeholders("{a!r} and {b} and {a!r}") == [("a", "r", None), ("a", "r", None), ("b", None, None)]
    assert placeholders("no fields") == []


# --------------------------------------------------------------------------- the run's language


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ([], {}, "zh"),
        (["--lang", "en"], {}, "en"),
        (["check", "--lang=en"], {}, "en"),
        (["--lang", "en", "case", "show", "--lang", "zh"], {}, "zh"),  # the last one wins, as in argparse
        (["--lang", "fr"], {"SWP_LANG": "en"}, "en"),  # a value argparse will refuse does not choose
        (["--", "--lang", "en"], {}, "zh"),  # after "--" it is an argument, not an option
        ([], {"SWP_LANG": "en"}, "en"),
        ([], {"SWP_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, "zh"),
        ([], {"SWP_LANG": "fr", "LANG": "en_GB.UTF-8"}, "en"),
        ([], {"LANG": "en_US.UTF-8"}, "en"),
        ([], {"LANG": "C.UTF-8"}, "zh"),
        ([], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),  # LC_ALL comes first, as in POSIX
        ([], {"LC_MESSAGES": "en_US", "LANG": "zh_CN"}, "en"),
        (["--lang", "zh"], {"SWP_LANG": "en", "LANG": "en_US.UTF-8"}, "zh"),
    ],
)
def test_the_language_is_lang_then_swp_lang_then_the_locale_then_chinese(
    argv: list[str], environ: dict[str, str], expected: str
) -> None:
    assert language_of(argv, environ) == expected


def test_speaking_puts_argparse_back_even_after_an_error() -> None:
    before = argparse._  # type: ignore[attr-defined]
    seen: list[tuple[str, str]] = []

    def inside() -> None:
        with speaking("zh"):
            seen.append((argparse._("usage: "), language()))  # type: ignore[attr-defined]
            raise RuntimeError

    with pytest.raises(RuntimeError):
        inside()
    assert seen == [("用法: ", "zh")]
    assert argparse._ is before and language() == "en"  # type: ignore[attr-defined]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_in_chinese_by_default_and_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and out.startswith("用法: swp ")
    assert "政府购买社会工作服务规则" in out and "选项:" in out and "显示此帮助信息并退出" in out
    assert "按地区规则核查案件文件" in out and "usage" not in out
    code, out, _ = _run(capsys, "--help", "--lang", "en")
    assert code == 0 and out.startswith("usage: swp ")
    assert "options:" in out and "show this help message and exit" in out and "check a case file against a region's rules" in out
    assert not CJK.search(out.replace("政府购买社会工作服务", "").replace("财政部令第102号", ""))

    code, out, _ = _run(capsys, "case", "show", "--help")
    assert code == 0 and "位置参数:" in out and "信息公开结论所依据的日期(默认:上一步骤的日期)" in out
    code, out, _ = _run(capsys, "case", "show", "--help", "--lang=en")
    assert code == 0 and "positional arguments:" in out and "date for the disclosure findings" in out


def test_a_usage_error_in_chinese_and_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "check")
    assert code == EXIT_USAGE and err.startswith("用法: swp check ")
    assert err.splitlines()[-1] == "swp: error: 缺少必需的参数:case, --region"
    code, _, err = _run(capsys, "check", "--lang", "en")
    assert code == EXIT_USAGE and err.startswith("usage: swp check ")
    assert err.splitlines()[-1] == "swp: error: the following arguments are required: case, --region"

    code, _, err = _run(capsys, "diagram", "--format", "gif")
    assert code == EXIT_USAGE and "参数 --format: 无效的选项:'gif'(可选:'mermaid', 'dot', 'svg', 'png')" in err
    code, _, err = _run(capsys, "check", "x.json", "--region", "xiamen", "--on", "2015-1-1", "--lang", "en")
    assert err.splitlines()[-1] == "swp: error: argument --on: expected a date as YYYY-MM-DD, got '2015-1-1'"
    code, _, err = _run(capsys, "check", "x.json", "--region", "xiamen", "--on", "2015-1-1")
    assert err.splitlines()[-1] == "swp: error: 参数 --on: 日期应为 YYYY-MM-DD 格式,收到的是 '2015-1-1'"


def test_the_environment_chooses_when_lang_is_not_given(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, _, err = _run(capsys, "check")
    assert code == EXIT_USAGE and "the following arguments are required" in err
    # the command itself runs in that language: --lang filled in from the environment
    code, out, _ = _run(capsys, "fee", "--region", "national", "--amount", "100", "--on", "2020-06-01")
    assert code == 0 and out.startswith("not specified: ")
    code, out, _ = _run(capsys, "fee", "--region", "national", "--amount", "100", "--on", "2020-06-01", "--lang", "zh")
    assert code == 0 and out.startswith("未规定: ")
    monkeypatch.setenv("SWP_LANG", "zh")
    assert "缺少必需的参数" in _run(capsys, "check")[2]


def test_lang_before_the_command_is_not_lost_to_the_commands_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--lang", "en", "fee", "--region", "national", "--amount", "100", "--on", "2020-06-01")
    assert code == 0 and out.startswith("not specified: ")


def test_messages_of_the_error_boundary_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    # (the last line: a broken pack installed beside the tests may add its warning first)
    code, _, err = _run(capsys, "rules", "--region", "atlantis")
    assert code == EXIT_USAGE and err.splitlines()[-1].startswith("swp: error: 没有地区 'atlantis' 的规则包;已加载:")
    assert "national、" in err.splitlines()[-1]
    code, _, err = _run(capsys, "rules", "--region", "atlantis", "--lang", "en")
    assert err.splitlines()[-1].startswith("swp: error: no rule pack for region 'atlantis'; loaded: ")
    code, _, err = _run(capsys, "check", str(ROOT / "no-such-file.json"), "--region", "xiamen")
    assert code == EXIT_USAGE and err.splitlines()[-1].startswith(f"swp: error: 无法读取 {ROOT / 'no-such-file.json'}:")
    assert _run(capsys, "check", "--lang", "en", "\udcff")[2] == "swp: error: a command-line argument is not valid UTF-8\n"
    assert _run(capsys, "check", "\udcff")[2] == "swp: error: 命令行参数不是有效的 UTF-8\n"


def test_a_missing_catalogue_is_an_environment_error_never_silent_english(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
        raise FileNotFoundError(2, "No translation file found for domain", domain)

    monkeypatch.setattr("socialwork_procurement.cli._main.translator", missing)
    code, out, err = _run(capsys, "check")
    assert (code, out) == (EXIT_ERROR, "")
    assert err.startswith("swp: error: the zh message catalogue cannot be read") and "reinstall" in err


def test_every_help_text_of_these_commands_is_translated() -> None:
    parser = build_parser("zh")
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    mine = {"regions", "rules", "check", "fee", "schema", "case", "diagram"}
    helps = {c.dest: c.help for c in commands._choices_actions}
    assert {name: helps[name] for name in mine if not CJK.search(helps[name] or "")} == {}

    def untranslated(p: argparse.ArgumentParser) -> Iterator[str]:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from (f"{name} {u}" for u in untranslated(sub))
            elif action.help not in (None, argparse.SUPPRESS) and not CJK.search(action.help):
                yield f"{'/'.join(action.option_strings) or action.dest}: {action.help}"

    assert [u for name in mine for u in untranslated(commands.choices[name])] == []


def test_the_parser_for_the_documentation_is_english() -> None:
    parser = build_parser()
    assert parser.format_usage().startswith("usage: swp ")
    assert "show this help message and exit" in parser.format_help()
    # built in Chinese, it stays Chinese wherever it is formatted
    assert build_parser("zh").format_usage().startswith("用法: swp ")
