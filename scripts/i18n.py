"""Extract, update and compile the message catalogues of ``socialwork_procurement`` with Babel.

    python scripts/i18n.py            # all three steps, in order
    python scripts/i18n.py extract    # the msgids in the code -> locale/socialwork_procurement.pot
    python scripts/i18n.py update     # the .pot files -> locale/zh/LC_MESSAGES/*.po (translations kept)
    python scripts/i18n.py compile    # every .po -> its .mo (what the library reads, with gettext)
    python scripts/i18n.py argparse [ARGPARSE_PY...]   # argparse's msgids -> locale/argparse.pot

Babel is a developer's tool (the ``dev`` extra); at run time the library reads the compiled
``.mo`` files with the standard library's :mod:`gettext` only. The msgids are the English texts
(``Message("…")``, ``_("…")``, ``pgettext("separator", …)`` in the source); ``update`` adds new
ones to the Chinese catalogue untranslated and drops those no longer used, never guessing a
translation (no fuzzy matching). Translate the empty ``msgstr`` entries in the ``.po`` file, then
``compile``. ``tests/test_i18n.py`` fails while a msgid lacks its translation, a placeholder
differs, or a ``.pot``/``.mo`` file is stale.

The ``argparse`` domain holds the standard library parser's own messages (``usage:``, ``the
following arguments are required: %s``…). Its template is the union over the Python versions
``swp`` supports: ``argparse`` adds the running interpreter's argparse.py (or the files named) to
it and never removes a msgid, since another Python version may still use it.
"""

from __future__ import annotations

import argparse
import io
import sys
import tomllib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "socialwork_procurement"
LOCALE = PACKAGE / "locale"
DOMAIN = "socialwork_procurement"
ARGPARSE = "argparse"
DOMAINS = (DOMAIN, ARGPARSE)
TRANSLATED = ("zh",)
"""The languages with a catalogue; English is the msgids themselves."""

KEYWORDS = {**DEFAULT_KEYWORDS, "Message": None}
"""``Message("…", key=value)`` marks a msgid as ``_("…")`` does."""

_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
_PROJECT = {
    "project": "socialwork-procurement",
    "version": _VERSION,
    "copyright_holder": "socialwork-procurement developers",
    "header_comment": "# The messages of socialwork-procurement (scripts/i18n.py): edit the .po files, not the .mo.\n#",
}
_FIXED_DATE = datetime(2025, 1, 1)
"""The catalogues' dates: fixed, so that running a step twice writes the same files."""


def pot_path(domain: str) -> Path:
    return LOCALE / f"{domain}.pot"


def po_path(domain: str, lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def mo_path(domain: str, lang: str) -> Path:
    return po_path(domain, lang).with_suffix(".mo")


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, sort_output=True, include_lineno=False, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


Found = Iterable[tuple[str | tuple[str, ...], str | None, tuple[str, int]]]
"""``(msgid, context, (file, line))`` of each message found."""


def _template(messages: Found) -> Catalog:
    catalog = Catalog(**_PROJECT, fuzzy=False, creation_date=_FIXED_DATE, revision_date=_FIXED_DATE)
    for msgid, context, location in messages:
        catalog.add(msgid, locations=[location], context=context)
    return catalog


def extracted() -> Catalog:
    """Every msgid in the package's source, as a template (what ``extract`` writes)."""

    def found() -> Found:
        for filename, lineno, message, _comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            yield message, context, (f"src/socialwork_procurement/{filename}", lineno)

    return _template(found())


def argparse_messages(files: Sequence[Path]) -> Catalog:
    """The msgids of the given argparse.py files, as a template."""

    def found() -> Found:
        for path in files:
            for lineno, message, _comments, context in extract_from_file("python", str(path)):
                yield message, context, ("argparse.py", lineno)

    return _template(found())


def extract() -> None:
    _write(extracted(), pot_path(DOMAIN))
    print(f"wrote {pot_path(DOMAIN).relative_to(ROOT)}")


def add_argparse(files: Sequence[Path]) -> None:
    template = argparse_messages(files)
    path = pot_path(ARGPARSE)
    if path.exists():
        for message in read_catalog(path):
            if message.id and message.id not in template:
                template.add(message.id, locations=[("argparse.py", 0)], context=message.context)
    _write(template, path)
    print(f"wrote {path.relative_to(ROOT)} ({len(template)} msgids)")


def update() -> None:
    for domain in DOMAINS:
        template = read_catalog(pot_path(domain))
        for lang in TRANSLATED:
            path = po_path(domain, lang)
            catalog = read_catalog(path, locale=lang) if path.exists() else _new_catalog(lang)
            catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
            catalog.obsolete.clear()
            _write(catalog, path)
            missing = [m.id for m in catalog if m.id and not m.string]
            print(f"wrote {path.relative_to(ROOT)}: {len(missing)} untranslated")
            for msgid in missing:
                print(f"    {msgid!r}")


def _new_catalog(lang: str) -> Catalog:
    return Catalog(
        locale=lang,
        **_PROJECT,
        fuzzy=False,
        creation_date=_FIXED_DATE,
        revision_date=_FIXED_DATE,
        last_translator="socialwork-procurement developers",
        language_team=f"{lang} (socialwork-procurement developers)",
    )


def compiled(po: Path, lang: str) -> bytes:
    """The ``.mo`` bytes of one ``.po`` file (fuzzy entries left out, as gettext would ignore them)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(po, locale=lang), use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for domain in DOMAINS:
        for lang in TRANSLATED:
            mo_path(domain, lang).write_bytes(compiled(po_path(domain, lang), lang))
            print(f"wrote {mo_path(domain, lang).relative_to(ROOT)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("step", nargs="?", choices=("all", "extract", "update", "compile", "argparse"), default="all")
    parser.add_argument("files", nargs="*", type=Path, help="argparse: the argparse.py files to add")
    args = parser.parse_args(argv)
    if args.step == "argparse":
        add_argparse(args.files or [Path(argparse.__file__)])
        return 0
    if args.step in ("all", "extract"):
        extract()
    if args.step in ("all", "update"):
        update()
    if args.step in ("all", "compile"):
        compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
