"""Readers of registries: JSON Lines, CSV (dotted or Chinese headers) and Excel ``.xlsx``, one record at a time.

Every reader yields :class:`SourceRecord` items lazily, with the line or row each record came from.
A record that cannot be read is a record with problems, never an exception: the run goes on. What
is wrong with the file as a whole (an unknown column, a file that cannot be opened) raises
:class:`InvalidInput` before the first record.

Cells are read strictly (documented in ``docs/screen-a-registry.md``): an empty cell is a fact not
given (``None``, so rules that need it say ``unknown``), never a default; a boolean is exactly
``true``, ``false``, ``是`` or ``否``; a whole number is ASCII digits; anything else is refused with
the cell's JSON path and column.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import enum
import importlib
import io
import json
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Final

import attrs

from .._errors import InputProblem, InvalidInput
from ..model._converter import json_type
from ..model._types import (
    Case,
    EvaluationGrade,
    LegalForm,
    PublicInstitutionCategory,
    PurchaseForm,
)
from ._screen import ExtraNotInstalled, RecordProblem, SourceRecord

FORMATS: Final = ("jsonl", "csv", "xlsx")
"""The registry formats :func:`read_records` reads."""

_SUFFIXES: Final = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}

MAX_LINE_BYTES: Final = 1024 * 1024
"""The longest JSON Lines record read (1 MiB); a contractor or case record is a few kilobytes."""

csv.field_size_limit(MAX_LINE_BYTES)

# -- the columns a table may have -----------------------------------------------------------


@attrs.frozen
class Column:
    """A scalar field of the case schema a CSV or Excel column can fill."""

    path: str
    """Dotted path from the case: ``contractor.staff.full_time``."""
    kind: type
    """``str``, ``bool``, ``int``, ``Decimal``, ``date`` or an enum class."""

    @property
    def json_path(self) -> str:
        return "$." + self.path


def _walk(cl: type, prefix: str, out: dict[str, Column], collections: dict[str, str]) -> None:
    for field in attrs.fields(attrs.resolve_types(cl)):
        path = f"{prefix}{field.name}"
        t: Any = field.type
        if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
            args = [a for a in typing.get_args(t) if a is not type(None)]
            t = args[0] if len(args) == 1 else t
        if typing.get_origin(t) in (tuple, frozenset, list):
            collections[path] = path
        elif isinstance(t, type) and attrs.has(t):
            _walk(t, path + ".", out, collections)
        elif isinstance(t, type) and (issubclass(t, enum.Enum) or t in (str, bool, int, Decimal, dt.date)):
            out[path] = Column(path, t)
        else:  # pragma: no cover - a field type the schema does not use yet
            collections[path] = path


def _schema_columns() -> tuple[dict[str, Column], dict[str, str]]:
    columns: dict[str, Column] = {}
    collections: dict[str, str] = {}
    _walk(Case, "", columns, collections)
    return columns, collections


COLUMNS, _COLLECTIONS = _schema_columns()
"""Every dotted column name a table may use, to the field it fills."""

# Chinese headers, from the glossary of shared/domain/RULES.md (section C) and the Chinese terms the
# types' own documentation quotes from the sources. Each is exactly one dotted column.
CHINESE_HEADERS: Final[Mapping[str, str]] = {
    "统一社会信用代码": "contractor.uscc",
    "机构名称": "contractor.name",
    "社会组织名称": "contractor.name",
    "承接主体名称": "contractor.name",
    "法人类型": "contractor.legal_form",
    "社会组织类型": "contractor.legal_form",
    "承接主体类型": "contractor.legal_form",
    "独立法人资格": "contractor.independent_legal_person",
    "依法登记": "contractor.lawfully_registered",
    "依法成立": "contractor.lawfully_registered",
    "非营利性": "contractor.non_profit",
    "公益性": "contractor.public_welfare",
    "由财政拨款保障": "contractor.budget_funded",
    "事业单位类别": "contractor.public_institution_category",
    "登记日期": "contractor.registration_date",
    "成立登记日期": "contractor.registration_date",
    "社会组织评估等级": "contractor.evaluation_grade",
    "评估等级": "contractor.evaluation_grade",
    "评估等级授予日期": "contractor.grade_awarded_on",
    "专职人员": "contractor.staff.full_time",
    "社会工作专业人才": "contractor.staff.social_work_professionals",
    "助理社会工作师": "contractor.staff.certified.assistant_social_worker",
    "社会工作师": "contractor.staff.certified.social_worker",
    "高级社会工作师": "contractor.staff.certified.senior_social_worker",
    "专业团队": "contractor.staff.professional_team",
    "以社会工作专业人才为主体": "contractor.staff.mainly_social_work_professionals",
    "内部治理结构": "contractor.governance.internal_governance",
    "规章制度": "contractor.governance.bylaws",
    "社会公信力": "contractor.governance.public_credibility",
    "运营管理能力": "contractor.governance.operating_capacity",
    "社会工作专业服务能力": "contractor.governance.professional_service_capacity",
    "具备相应能力和条件": "contractor.has_required_capacity",
    "购买形式": "contract.purchase_form",
    "总购买资金": "contract.amount",
}
"""Chinese column headers and the dotted column each stands for (documented in the screening page)."""

# Chinese values of a few enumerations (glossary terms), accepted in CSV and Excel cells beside the codes.
CHINESE_VALUES: Final[Mapping[type, Mapping[str, str]]] = {
    LegalForm: {
        "社会团体": LegalForm.SOCIAL_GROUP.value,
        "民办非企业单位": LegalForm.PRIVATE_NON_ENTERPRISE_UNIT.value,
        "社会服务机构": LegalForm.PRIVATE_NON_ENTERPRISE_UNIT.value,
        "基金会": LegalForm.FOUNDATION.value,
        "企业": LegalForm.ENTERPRISE.value,
        "事业单位": LegalForm.PUBLIC_INSTITUTION.value,
        "群团组织": LegalForm.MASS_ORGANIZATION.value,
        "农村集体经济组织": LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION.value,
        "基层群众性自治组织": LegalForm.GRASSROOTS_SELF_GOVERNING_ORGANIZATION.value,
        "具备条件的个人": LegalForm.INDIVIDUAL.value,
    },
    EvaluationGrade: {f"{g.stars}A": g.value for g in EvaluationGrade},
    PublicInstitutionCategory: {
        "承担行政职能的事业单位": PublicInstitutionCategory.ADMINISTRATIVE.value,
        "公益一类": PublicInstitutionCategory.CATEGORY_1.value,
        "公益一类事业单位": PublicInstitutionCategory.CATEGORY_1.value,
        "公益二类": PublicInstitutionCategory.CATEGORY_2.value,
        "公益二类事业单位": PublicInstitutionCategory.CATEGORY_2.value,
        "从事生产经营活动的事业单位": PublicInstitutionCategory.BUSINESS.value,
    },
    PurchaseForm: {
        "购买社会工作服务岗位": PurchaseForm.POST.value,
        "综合性服务项目": PurchaseForm.COMPREHENSIVE_PROJECT.value,
        "专项服务项目": PurchaseForm.SPECIALISED_PROJECT.value,
    },
}
"""Chinese cell values accepted for these enumerations, to the code each stands for."""

TRUE_TEXT: Final = frozenset({"true", "是"})
FALSE_TEXT: Final = frozenset({"false", "否"})

_DIGITS = re.compile(r"[0-9]+")
_CONTRACTOR_FIELDS = frozenset(p.removeprefix("contractor.") for p in COLUMNS if p.startswith("contractor."))


def resolve_header(header: str) -> str | None:
    """The dotted column a header stands for, or ``None`` if it is not one.

    A header is a Chinese header of :data:`CHINESE_HEADERS`, a dotted column (``contractor.uscc``), or
    a contractor field without its prefix (``legal_form``, ``staff.full_time``).
    """
    name = header.strip()
    if name in CHINESE_HEADERS:
        return CHINESE_HEADERS[name]
    if name in COLUMNS:
        return name
    if name in _CONTRACTOR_FIELDS:
        return "contractor." + name
    return None


@attrs.frozen
class TableLayout:
    """The columns of a table: for each position, the field it fills (``None``: an ignored column)."""

    headers: tuple[str, ...]
    fields: tuple[Column | None, ...]
    json_columns: Mapping[str, str] = attrs.field(eq=False, repr=False)
    """JSON path to header, for messages."""


def table_layout(headers: Sequence[object], *, ignore_columns: Iterable[str] = ()) -> TableLayout:
    """Map a header row to the case schema; every header that is not a column (nor ignored) is refused at once."""
    ignored = {c.strip() for c in ignore_columns}
    problems: list[InputProblem] = []
    fields: list[Column | None] = []
    seen: dict[str, str] = {}
    names: list[str] = []
    for position, raw in enumerate(headers, start=1):
        header = raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
        names.append(header)
        # A header that did not decode carries lone surrogates, which no terminal can print: show them escaped.
        shown = header.encode("utf-8", "backslashreplace").decode("utf-8")
        where = f"column {position} ({shown or 'no header'})"
        if header in ignored:
            fields.append(None)
            continue
        if not header:
            problems.append(InputProblem(where, "a column without a header: name it, or remove the column"))
            fields.append(None)
            continue
        path = resolve_header(header)
        if path is None:
            if _has_surrogates(header):
                message = "the header is not valid text in the file's encoding: declare it with --encoding"
            elif header in _COLLECTIONS or "contractor." + header in _COLLECTIONS:
                message = "a list field cannot be given in a table cell: use JSON Lines for it"
            else:
                message = (
                    "not a column of the case schema: use a dotted name such as contractor.legal_form, "
                    "a Chinese header of the documented table, or ignore it (--ignore-column)"
                )
            problems.append(InputProblem(where, message))
            fields.append(None)
            continue
        if path in seen:
            problems.append(InputProblem(where, f"{path} is already given by column {seen[path]}"))
            fields.append(None)
            continue
        seen[path] = f"{position} ({header})"
        fields.append(COLUMNS[path])
    if problems:
        raise InvalidInput(problems)
    if not seen:
        raise InvalidInput([InputProblem("row 1", "the header names no column of the case schema")])
    json_columns = {f.json_path: h for h, f in zip(names, fields, strict=True) if f is not None}
    return TableLayout(tuple(names), tuple(fields), json_columns)


class _CellError(ValueError):
    pass


def _text_cell(text: str, column: Column) -> object:
    kind = column.kind
    if kind is bool:
        if text in TRUE_TEXT:
            return True
        if text in FALSE_TEXT:
            return False
        raise _CellError(f"expected true, false, 是 or 否, got {json_type(text)}")
    if kind is int:
        if not _DIGITS.fullmatch(text):
            raise _CellError(f"expected a whole number in ASCII digits, got {json_type(text)}")
        return int(text)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return CHINESE_VALUES.get(kind, {}).get(text, text)
    # str, Decimal and date cells stay text: the strict converter checks them ("YYYY-MM-DD", "1234.50").
    return text


def cell_value(value: object, column: Column) -> object:
    """The JSON-shaped value of one cell for ``column``; ``None`` when the cell is empty. Raises on a bad cell."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _has_surrogates(text):
            raise _CellError("the cell is not valid text in the file's encoding: declare it with --encoding")
        return _text_cell(text, column)
    kind = column.kind
    # Typed cells (Excel, a DataFrame): taken only where the type is the field's own.
    if isinstance(value, bool):
        if kind is bool:
            return value
    elif isinstance(value, int):
        if kind is int:
            return value
        if kind is Decimal:
            return value
    elif isinstance(value, dt.datetime):
        if kind is dt.date:
            if value.time() != dt.time(0) or value.tzinfo is not None:
                raise _CellError(f"expected a date, got a date and time {value.isoformat()}")
            return value.date().isoformat()
    elif isinstance(value, dt.date):
        if kind is dt.date:
            return value.isoformat()
    elif isinstance(value, float):
        raise _CellError(
            f"expected {_kind_text(kind)}, got a number cell {value!r}: numbers with a fraction are not read "
            "exactly; store the value as text"
        )
    raise _CellError(f"expected {_kind_text(kind)}, got {_cell_type(value)}")


def _kind_text(kind: type) -> str:
    if kind is bool:
        return "true, false, 是 or 否"
    if kind is int:
        return "a whole number"
    if kind is Decimal:
        return 'an amount as text like "1234.50" or a whole number'
    if kind is dt.date:
        return 'a date ("YYYY-MM-DD" or a date cell)'
    if issubclass(kind, enum.Enum):
        return "one of " + ", ".join(sorted(str(m.value) for m in kind))
    return "text"


def _cell_type(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean cell {value}"
    if isinstance(value, int):
        return f"a number cell {value}"
    if isinstance(value, dt.datetime):
        return f"a date and time cell {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"a date cell {value.isoformat()}"
    return f"a {type(value).__name__} cell"


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def row_record(cells: Sequence[object], layout: TableLayout, *, index: int, line: int | None) -> SourceRecord:
    """One table row as a :class:`SourceRecord`: nested JSON data built from the dotted columns.

    Empty cells are left out (not given). A part or sub-object whose cells are all empty is left
    out too, so a row without contract cells has no contract (its rules do not apply).
    """
    problems: list[RecordProblem] = []
    if len(cells) != len(layout.fields):
        problems.append(
            RecordProblem("$", f"the row has {len(cells)} cells and the header {len(layout.fields)} columns")
        )
    data: dict[str, Any] = {}
    for value, column, header in zip(cells, layout.fields, layout.headers, strict=False):
        if column is None:
            continue
        try:
            converted = cell_value(value, column)
        except _CellError as exc:
            problems.append(RecordProblem(column.json_path, str(exc), header))
            continue
        if converted is None:
            continue
        target = data
        *parents, leaf = column.path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = converted
    return SourceRecord(index, line, data, tuple(problems), layout.json_columns)


def _row_is_empty(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# -- JSON Lines -----------------------------------------------------------------------------------


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"the key {json.dumps(key, ensure_ascii=False)} appears twice in one object")
        data[key] = value
    return data


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def read_jsonl(lines: Iterable[bytes | str], *, encoding: str | None = None) -> Iterator[SourceRecord]:
    """Records of a JSON Lines stream: one JSON object a line; blank lines are skipped.

    Each line is decoded (UTF-8, or ``encoding``) and parsed on its own, so a line that is not
    valid text or not JSON is one bad record and the lines after it are still read. A key given
    twice in one object and ``NaN``/``Infinity`` are refused (JSON parsers disagree on them).
    """
    name = "utf-8" if encoding is None else codecs.lookup(encoding).name
    index = 0
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            if number == 1 and raw.startswith(codecs.BOM_UTF8) and name == "utf-8":
                raw = raw[len(codecs.BOM_UTF8) :]
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE_BYTES:
                too_long = RecordProblem("$", f"the line is longer than {MAX_LINE_BYTES} bytes")
                yield SourceRecord(index, number, None, (too_long,))
                index += 1
                continue
            try:
                text = raw.decode(name)
            except UnicodeDecodeError as exc:
                message = f"the line is not valid {name} at byte {exc.start}"
                if encoding is None:
                    message += ": declare the file's encoding with --encoding (for example --encoding gb18030)"
                yield SourceRecord(index, number, None, (RecordProblem("$", message),))
                index += 1
                continue
        else:
            text = raw[1:] if number == 1 and raw.startswith("\ufeff") else raw
            if not text.strip():
                continue
        try:
            # Without its line ending, so that a syntax error's position reads "line 1 column N".
            data = json.loads(text.rstrip("\r\n"), object_pairs_hook=_object_pairs, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            yield SourceRecord(index, number, None, (RecordProblem("$", f"not valid JSON: {exc}"),))
        except ValueError as exc:
            yield SourceRecord(index, number, None, (RecordProblem("$", str(exc)),))
        else:
            if isinstance(data, dict):
                yield SourceRecord(index, number, data)
            else:
                yield SourceRecord(
                    index, number, None, (RecordProblem("$", f"expected a JSON object, got {json_type(data)}"),)
                )
        index += 1


# -- CSV ------------------------------------------------------------------------------------------


def read_csv(
    stream: IO[str], *, ignore_columns: Iterable[str] = (), delimiter: str = ","
) -> Iterator[SourceRecord]:
    """Records of a CSV text stream whose first row is the header (see :func:`table_layout`).

    ``line`` is the physical line a record starts on (the header is line 1). Rows with every cell
    empty are skipped; they are not records. The stream should be opened with ``newline=""`` and,
    so that a badly encoded cell is one bad record rather than the end of the run,
    ``errors="surrogateescape"`` (what :func:`read_records` does).
    """
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput([InputProblem("row 1", "the file is empty: no header row")]) from None
    except csv.Error as exc:
        raise InvalidInput([InputProblem("row 1", f"not valid CSV: {exc}")]) from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    layout = table_layout(header, ignore_columns=ignore_columns)
    index = 0
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield SourceRecord(index, start, None, (RecordProblem("$", f"not valid CSV: {exc}"),))
            index += 1
            start = reader.line_num + 1
            continue
        if cells and not _row_is_empty(cells):
            yield row_record(cells, layout, index=index, line=start)
            index += 1
        start = reader.line_num + 1


# -- Excel ----------------------------------------------------------------------------------------


def _openpyxl() -> Any:
    try:
        return importlib.import_module("openpyxl")
    except ImportError:
        raise ExtraNotInstalled("openpyxl", "xlsx") from None


def read_xlsx(
    path: str | Path, *, sheet: str | None = None, ignore_columns: Iterable[str] = ()
) -> Iterator[SourceRecord]:
    """Records of one sheet of an Excel ``.xlsx`` workbook (the first, or ``sheet``), row by row.

    Read in openpyxl's read-only mode, so memory stays flat. ``line`` is the sheet's row number
    (the header is row 1). Formula cells are read by the value the workbook saved.
    """
    openpyxl = _openpyxl()
    try:
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except OSError as exc:
        raise InvalidInput([InputProblem("$", f"cannot read {path}: {exc.strerror or exc}")]) from None
    except Exception as exc:  # zipfile.BadZipFile, KeyError from a damaged workbook: the file is the input
        raise InvalidInput([InputProblem("$", f"not an .xlsx workbook: {exc}")]) from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InvalidInput(
                [InputProblem("--sheet", f"no sheet {sheet!r}; the workbook has {', '.join(workbook.sheetnames)}")]
            )
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InvalidInput([InputProblem("row 1", "the sheet is empty: no header row")])
        width = len(header)
        while width and header[width - 1] is None:  # trailing blank header cells are the sheet's edge
            width -= 1
        layout = table_layout(header[:width], ignore_columns=ignore_columns)
        index = 0
        for number, row in enumerate(rows, start=2):
            cells = list(row[:width])
            extra = [c for c in row[width:] if not (c is None or (isinstance(c, str) and not c.strip()))]
            if _row_is_empty(cells) and not extra:
                continue
            if len(cells) < width:
                cells += [None] * (width - len(cells))  # openpyxl shortens rows whose last cells are empty
            record = row_record(cells, layout, index=index, line=number)
            if extra:
                record = attrs.evolve(
                    record,
                    problems=(*record.problems, RecordProblem("$", "the row has cells beyond the last headed column")),
                )
            yield record
            index += 1
    finally:
        workbook.close()


# -- any file -------------------------------------------------------------------------------------


def detect_format(source: str | Path) -> str:
    """The format of ``source`` from its suffix (``.jsonl``/``.ndjson``, ``.csv``, ``.xlsx``); ``-`` is JSON Lines."""
    if str(source) == "-":
        return "jsonl"
    suffix = Path(str(source)).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise InvalidInput(
        [
            InputProblem(
                "--input-format",
                f"cannot tell the format of {source} from its name: give --input-format jsonl, csv or xlsx",
            )
        ]
    )


def read_records(
    source: str | Path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    ignore_columns: Iterable[str] = (),
    sheet: str | None = None,
) -> Iterator[SourceRecord]:
    """The records of a registry file (``-`` for standard input), lazily, whatever its format.

    ``format`` is ``jsonl``, ``csv`` or ``xlsx`` (default: from the file's suffix); ``encoding``
    declares a text file's encoding when it is not UTF-8 (GB18030 from Chinese Windows tools);
    ``ignore_columns`` names table columns to leave out; ``sheet`` chooses an Excel sheet. The file
    is opened (and a table's header checked) when this is called, so a file that cannot be read
    raises :class:`InvalidInput` here, before any record.
    """
    fmt = format or detect_format(source)
    if fmt not in FORMATS:
        raise InvalidInput([InputProblem("--input-format", f"expected jsonl, csv or xlsx, got {fmt!r}")])
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput([InputProblem("--encoding", f"unknown encoding {encoding!r}")]) from None
    if fmt == "xlsx":
        if str(source) == "-":
            raise InvalidInput([InputProblem("$", "an .xlsx workbook cannot be read from standard input")])
        records = read_xlsx(source, sheet=sheet, ignore_columns=ignore_columns)
        first = next(records, None)  # the header is checked now, not at the first record
        return _prepend(first, records)
    if str(source) == "-" and getattr(sys.stdin, "buffer", None) is None:
        # A text stream without bytes under it (an embedding app's StringIO): read it as the text it is.
        if fmt == "jsonl":
            return read_jsonl(sys.stdin)
        rows = read_csv(sys.stdin, ignore_columns=ignore_columns)
        first = next(rows, None)
        return _prepend(first, rows)
    binary = _open_binary(source)
    stdin = str(source) == "-"
    if fmt == "jsonl":
        return _closing(read_jsonl(binary, encoding=encoding), binary.close, owned=not stdin)
    text_encoding = encoding or "utf-8-sig"
    if codecs.lookup(text_encoding).name == "utf-8":
        text_encoding = "utf-8-sig"
    stream = io.TextIOWrapper(binary, encoding=text_encoding, errors="surrogateescape", newline="")
    # Standard input is not ours to close: the wrapper is detached from it instead.
    release = stream.detach if stdin else stream.close
    rows = read_csv(stream, ignore_columns=ignore_columns)
    try:
        first = next(rows, None)
    except BaseException:
        release()
        raise
    return _closing(_prepend(first, rows), release, owned=True)


def _open_binary(source: str | Path) -> IO[bytes]:
    if str(source) == "-":
        return typing.cast(IO[bytes], sys.stdin.buffer)
    try:
        # Closed by _closing once the records are consumed (or the generator is dropped).
        return open(source, "rb")
    except OSError as exc:
        raise InvalidInput([InputProblem("$", f"cannot read {source}: {exc.strerror or exc}")]) from None


def _prepend(first: SourceRecord | None, rest: Iterator[SourceRecord]) -> Iterator[SourceRecord]:
    if first is not None:
        yield first
        yield from rest


def _closing(records: Iterator[SourceRecord], release: Callable[[], object], *, owned: bool) -> Iterator[SourceRecord]:
    try:
        yield from records
    finally:
        if owned:
            with contextlib.suppress(OSError, ValueError):
                release()
