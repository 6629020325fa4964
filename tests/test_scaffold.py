"""``swp new-region``: the pack it writes installs in a fresh environment and passes its own tests, mypy and ruff.

The round trip generates a pack into a temporary directory, ``pip install``s it into a fresh virtual
environment made from the running interpreter, and runs the pack's tests there; then a second pack,
generated inside that environment with ``--parent`` naming the first (a city in its province), the same
way. ``mypy --strict`` and ``ruff`` need the ``dev`` extra: without it those checks skip and say so,
unless ``SWP_REQUIRE_DEV_TOOLS=1`` (CI sets it), when a missing tool fails.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import site
import subprocess
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
import pytest

from socialwork_procurement.cli._main import main
from socialwork_procurement.cli._scaffold import PackSpec, dependency_range, render_pack, write_pack
from socialwork_procurement.rules._pack import PACK_MODULES

CORE_RANGE = dependency_range("socialwork-procurement", importlib.metadata.version("socialwork-procurement"))
SPEC = PackSpec(code="scaffoldland", name_zh="脚手架县", name_en="Scaffold County", core_requirement=CORE_RANGE)
DEV_TOOLS = [name for name in ("mypy", "ruff") if importlib.util.find_spec(name) is None]
REQUIRE_DEV_TOOLS = os.environ.get("SWP_REQUIRE_DEV_TOOLS") == "1"


def swp(*argv: str, cwd: Path | None = None, python: Path | str = sys.executable) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "socialwork_procurement", *argv], cwd=cwd, capture_output=True, text=True, check=False
    )


# -- what it writes -----------------------------------------------------------------------------


def test_the_pack_has_the_one_shape_an_entry_point_and_a_range_on_the_core() -> None:
    files = render_pack(SPEC)
    package = "src/socialwork_procurement_scaffoldland/"
    assert sorted(p.removeprefix(package) for p in files if p.startswith(package)) == sorted(PACK_MODULES)
    assert {"pyproject.toml", "README.md", "sources/scaffoldland_example.txt", "tests/swp_scenarios_scaffoldland.yaml",
            "tests/test_scaffoldland_pack.py", "tests/test_scaffoldland_properties.py"} <= set(files)
    project = tomllib.loads(files["pyproject.toml"])
    assert project["build-system"]["build-backend"] == "hatchling.build"
    assert project["project"]["name"] == "socialwork-procurement-scaffoldland"
    assert project["project"]["dependencies"] == [CORE_RANGE]
    assert project["project"]["entry-points"]["socialwork_procurement"] == {
        "scaffoldland": "socialwork_procurement_scaffoldland:pack"
    }
    assert project["tool"]["mypy"]["strict"] is True
    # The example quote is in the example source it cites: the quote test can pass as generated.
    assert "承接主体应具有独立法人资格" in files["sources/scaffoldland_example.txt"]
    assert "@@" not in "".join(files.values())


def test_a_sub_region_names_its_parent_and_depends_on_its_pack() -> None:
    spec = attrs.evolve(SPEC, parent="guangdong", parent_requirement="socialwork-procurement-guangdong>=0.1,<0.2")
    files = render_pack(spec)
    assert "    parent='guangdong',\n" in files["src/socialwork_procurement_scaffoldland/_sources.py"]
    project = tomllib.loads(files["pyproject.toml"])
    assert project["project"]["dependencies"] == [CORE_RANGE, "socialwork-procurement-guangdong>=0.1,<0.2"]
    assert "('national', 'guangdong', 'scaffoldland')" in files["tests/test_scaffoldland_pack.py"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.1.0", ">=0.1,<0.2"), ("0.12.3.dev1", ">=0.12,<0.13"), ("1.4.2", ">=1.4,<2"), ("2", ">=2.0,<3")],
)
def test_the_version_range_allows_the_compatible_releases(version: str, expected: str) -> None:
    assert dependency_range("socialwork-procurement", version) == f"socialwork-procurement{expected}"


def test_names_are_written_as_literals_whatever_they_hold(tmp_path: Path) -> None:
    # An apostrophe in a name must not end a string literal in the generated code.
    spec = attrs.evolve(SPEC, name_en="Xi'an County")
    written = write_pack(render_pack(spec), tmp_path / "pack")
    sources = next(p for p in written if p.name == "_sources.py").read_text(encoding="utf-8")
    compile(sources, "_sources.py", "exec")
    assert 'name_en="Xi\'an County"' in sources


def test_writing_never_touches_an_existing_directory(tmp_path: Path) -> None:
    target = tmp_path / "pack"
    target.mkdir()
    (target / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_pack(render_pack(SPEC), target)
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["pack"]  # no staging directory left behind


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["Guang-dong", "--name-zh", "广东省", "--name-en", "Guangdong"], "is not a region code"),
        (["9region", "--name-zh", "广东省", "--name-en", "Guangdong"], "is not a region code"),
        (["national", "--name-zh", "全国", "--name-en", "National"], "already claimed"),
        (["newland", "--name-zh", "Newland", "--name-en", "Newland"], "must contain Chinese characters"),
        (["newland", "--name-zh", "新县", "--name-en", "  "], "--name-en must not be empty"),
        (["newland", "--name-zh", "新县", "--name-en", 'New "County"'], "no quotes"),
        (["newland", "--name-zh", "新县", "--name-en", "N" * 41], "at most 40 characters"),
        (["newland", "--name-zh", "新县", "--name-en", "Newland", "--parent", "nowhere"], "no installed pack declares"),
        (["newland", "--name-zh", "新县", "--name-en", "Newland", "--parent", "newland"], "cannot lie in itself"),
    ],
)
def test_refused_with_exit_2_and_the_reason(
    argv: list[str], reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new-region", *argv, "--lang", "en"]) == 2
    assert reason in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_code_an_installed_pack_claims_is_refused(
    install_packs: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    install_packs("swp_test_pack")  # a distribution declaring region testland, found through its entry point
    monkeypatch.chdir(tmp_path)
    assert main(["new-region", "testland", "--name-zh", "某地", "--name-en", "Somewhere", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "region 'testland' is declared by the installed pack swp-test-pack" in err
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # the fixture's; no pack was written


def test_an_existing_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["new-region", "newland", "--name-zh", "新县", "--name-en", "Newland", "--dir", str(tmp_path), "--lang", "en"]
    assert main(argv) == 2
    assert "exists: choose a new directory with --dir" in capsys.readouterr().err


# -- the round trip -----------------------------------------------------------------------------


def fresh_venv(directory: Path) -> Path:
    """A new virtual environment made from the running interpreter, seeing what it has installed; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(directory)], check=True)
    python = directory / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # --system-site-packages reaches the *base* interpreter's site-packages; when the tests run in a virtual
    # environment (CI's, a developer's), the core and pip, pytest, mypy and ruff are in that one's. A .pth
    # file adds the running interpreter's own site directories (their .pth files included, so the core's
    # editable install too), so nothing is downloaded but the build backend when it is not installed here.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    lines = "; ".join(f"site.addsitedir({path!r})" for path in site.getsitepackages())
    (Path(purelib) / "_swp_running_interpreter.pth").write_text(f"import site; {lines}\n", encoding="utf-8")
    return python


def run(argv: Sequence[str | Path], cwd: Path) -> None:
    run_together([(argv, cwd)])


def run_together(commands: Sequence[tuple[Sequence[str | Path], Path]]) -> None:
    """Run the commands at the same time (the packs are independent: this halves the test's time); each must succeed."""
    running = [
        (argv, cwd, subprocess.Popen([str(a) for a in argv], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True))
        for argv, cwd in commands
    ]
    failures = []
    for argv, cwd, process in running:
        stdout, stderr = process.communicate(timeout=300)
        if process.returncode != 0:
            failures.append(f"{' '.join(map(str, argv))} failed in {cwd}:\n{stdout}\n{stderr}")
    assert not failures, "\n".join(failures)


def pip_install(python: Path, pack: Path) -> None:
    # With hatchling already installed, build here; otherwise pip fetches it for an isolated build, as it
    # does for every `pip install ./plugins/...` of the README.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    run([python, "-m", "pip", "install", "--quiet", "--no-input", "--disable-pip-version-check", *isolation, pack], pack)


@attrs.frozen
class RoundTrip:
    python: Path
    packs: tuple[Path, ...]


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    root = tmp_path_factory.mktemp("scaffold")
    province = root / "scaffoldland"
    made = swp("new-region", "scaffoldland", "--name-zh", "脚手架省", "--name-en", "Scaffold Province",
               "--dir", str(province), "--lang", "en")
    assert made.returncode == 0, made.stderr
    python = fresh_venv(root / "venv")
    pip_install(python, province)
    # The city is written inside the new environment, where the province's pack is installed.
    city = root / "scaffoldcity"
    made = swp("new-region", "scaffoldcity", "--name-zh", "脚手架市", "--name-en", "Scaffold City",
               "--parent", "scaffoldland", "--dir", str(city), "--lang", "en", python=python)
    assert made.returncode == 0, made.stderr
    pip_install(python, city)
    return RoundTrip(python, (province, city))


@pytest.mark.slow  # a fresh venv and installs: CI runs it once, on its first interpreter
def test_the_generated_packs_install_and_pass_their_own_tests(round_trip: RoundTrip) -> None:
    run_together([([round_trip.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--swp-coverage-strict"], pack)
                  for pack in round_trip.packs])
    listed = subprocess.run(
        [str(round_trip.python), "-m", "socialwork_procurement", "regions", "--format", "json", "--lang", "en"],
        capture_output=True, text=True, check=True,
    )
    rows = {row["code"]: row for row in json.loads(listed.stdout)}
    assert rows["scaffoldland"]["parent"] == "national"
    assert rows["scaffoldcity"]["parent"] == "scaffoldland"
    # In text, each region stands indented under the one it lies in.
    text = subprocess.run(
        [str(round_trip.python), "-m", "socialwork_procurement", "regions", "--lang", "en"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    province = next(i for i, line in enumerate(text) if line.startswith("  scaffoldland ⊂ national "))
    assert text[province + 2].startswith("    scaffoldcity ⊂ scaffoldland ")  # after the province's one source
    assert "Scaffold City" in text[province + 2]


@pytest.mark.slow  # as above
def test_the_generated_packs_pass_mypy_strict_and_ruff(round_trip: RoundTrip) -> None:
    if DEV_TOOLS:
        message = f"{' and '.join(DEV_TOOLS)} not installed (pip install -e '.[dev]')"
        if REQUIRE_DEV_TOOLS:
            pytest.fail(f"SWP_REQUIRE_DEV_TOOLS=1 but {message}")
        pytest.skip(message)
    province, city = round_trip.packs
    # One mypy run over both packs, with the settings their pyproject.toml files hold (the same in both): the
    # core is analysed once, not once a pack. ruff reads each pack's own settings.
    sources = [path for pack in round_trip.packs for path in (pack / "src", pack / "tests")]
    run_together([
        ([round_trip.python, "-m", "mypy", "--strict", "--config-file", province / "pyproject.toml",
          "--cache-dir", province.parent / ".mypy_cache", *sources], province.parent),
        ([round_trip.python, "-m", "ruff", "check", "--no-cache", province, city], province.parent),
    ])
