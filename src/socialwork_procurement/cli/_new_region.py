"""``swp new-region``: start a region pack in the one pack shape, ready to install and fill in.

::

    swp new-region guangdong --name-zh 广东省 --name-en Guangdong --dir plugins/guangdong
    swp new-region guangzhou --name-zh 广州市 --name-en Guangzhou --parent guangdong

The pack it writes installs, passes its own tests, ``mypy --strict`` and ``ruff`` as written
(:mod:`._scaffold` holds the files). Refused, with exit code 2 and the reason: a code that is not a
region code, a code (or the pack's distribution) an installed pack already claims, a parent region no
installed pack declares, names that are empty, too long or not Chinese and English, and a directory
that exists: nothing is ever written over.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
from pathlib import Path

from .._i18n import Message
from ._common import EXIT_OK, SubParsers, UsageError, _, add_lang, text

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_FORBIDDEN = re.compile(r'["\\`\x00-\x1f\x7f]')
MAX_NAME = 40
"""The longest region name (characters): the name goes into generated lines that ruff keeps to 120 columns
(a Chinese character is two columns wide)."""


def _check_code(code: str, option: str) -> None:
    # The same form as the core's Region validator (rules/_rules.py), which the pack's Region will meet.
    if not _CODE.match(code):
        raise UsageError(
            Message(
                "{option}: {code!r} is not a region code: lower-case letters, digits and _, starting with a letter "
                "(like 'xiamen')",
                option=option,
                code=code,
            )
        )


def _check_name(name: str, option: str, *, chinese: bool) -> str:
    name = name.strip()
    if not name:
        raise UsageError(Message("{option} must not be empty", option=option))
    if len(name) > MAX_NAME:
        raise UsageError(Message("{option}: at most {limit} characters", option=option, limit=MAX_NAME))
    if _FORBIDDEN.search(name):
        raise UsageError(
            Message("{option}: no quotes, backslashes, backticks or control characters", option=option)
        )
    if chinese and not _CJK.search(name):
        raise UsageError(Message("{option}: the Chinese name must contain Chinese characters", option=option))
    return name


def _claims(code: str, distribution: str) -> tuple[list[str], dict[str, str]]:
    """What the installed packs claim: the reasons ``code`` is taken, and every declared region's pack."""
    from ..rules._plugins import ENTRY_POINT_GROUP, load_registry

    registry = load_registry()
    packs = {region.code: registry.region_pack(region.code) for region in registry.regions()}
    reasons: list[str] = []
    if code in packs:
        reasons.append(text(Message("region {code!r} is declared by the installed pack {pack}", code=code,
                                    pack=packs[code])))
    # A pack that failed to load still holds its entry point name and its distribution name.
    names = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    if code in names and code not in packs:
        reasons.append(text(Message("the entry point {code!r} is installed ({value})", code=code, value=names[code])))
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        pass
    else:
        reasons.append(text(Message("the distribution {name} is installed", name=distribution)))
    return reasons, packs


def cmd_new_region(args: argparse.Namespace) -> int:
    from ._scaffold import PackSpec, dependency_range, render_pack, write_pack

    code: str = args.code
    _check_code(code, "code")
    name_zh = _check_name(args.name_zh, "--name-zh", chinese=True)
    name_en = _check_name(args.name_en, "--name-en", chinese=False)
    parent: str | None = args.parent
    if parent is not None:
        _check_code(parent, "--parent")
        if parent == code:
            raise UsageError(Message("--parent: a region cannot lie in itself"))
    directory = Path(args.dir) if args.dir is not None else Path(code)
    if directory.exists():
        raise UsageError(Message("{path} exists: choose a new directory with --dir", path=str(directory)))

    spec = PackSpec(code=code, name_zh=name_zh, name_en=name_en, core_requirement="")
    reasons, packs = _claims(code, spec.distribution)
    if reasons:
        raise UsageError(
            Message("region {code!r} is already claimed: {reasons}", code=code, reasons="; ".join(reasons))
        )
    parent_requirement = None
    if parent == "national":
        parent = None  # the national layer is every region's default parent
    elif parent is not None:
        if parent not in packs:
            raise UsageError(
                Message(
                    "--parent: no installed pack declares region {parent!r}: install its pack first "
                    "(a region's layers stop at a parent that is not installed)",
                    parent=parent,
                )
            )
        parent_distribution = packs[parent]
        parent_requirement = dependency_range(parent_distribution, importlib.metadata.version(parent_distribution))
    core = dependency_range("socialwork-procurement", importlib.metadata.version("socialwork-procurement"))
    spec = PackSpec(code=code, name_zh=name_zh, name_en=name_en, core_requirement=core, parent=parent,
                    parent_requirement=parent_requirement)
    try:
        written = write_pack(render_pack(spec), directory)
    except FileExistsError:  # created by someone else since the check above
        raise UsageError(Message("{path} exists: choose a new directory with --dir", path=str(directory))) from None
    out = sys.stdout
    print(text(Message("wrote the {code} pack ({distribution}) in {path}:", code=code,
                       distribution=spec.distribution, path=str(directory))), file=out)
    for path in written:
        print(f"  {path}", file=out)
    print(text(Message("next: pip install -e {path} && cd {path} && python -m pytest", path=str(directory))), file=out)
    return EXIT_OK


def add_commands(sub: SubParsers) -> None:
    """Add ``swp new-region`` to the ``swp`` parser."""
    p = sub.add_parser("new-region", help=_("write a new region pack in the one pack shape, ready to fill in"))
    p.add_argument("code", help=_("the region code (lower case, like xiamen): entry point and rule-id prefix"))
    p.add_argument("--name-zh", required=True, help=_("the region's Chinese name, e.g. 广东省"))
    p.add_argument("--name-en", required=True, help=_("the region's English name, e.g. Guangdong"))
    p.add_argument(
        "--dir", metavar="DIR", help=_("the directory to create for the pack (default: ./code); it must not exist")
    )
    p.add_argument(
        "--parent",
        metavar="PARENT",
        help=_("the region this one lies in, declared by an installed pack (a city in its province); "
               "default: national"),
    )
    add_lang(p)
    p.set_defaults(func=cmd_new_region)
