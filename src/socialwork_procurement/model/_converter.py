"""The one configured cattrs converter: strict, path-reporting, for every public type.

cattrs' default hooks coerce silently (``bool("false")`` is ``True``, ``int(3.9)`` is ``3``, a
string becomes a list of characters, a float becomes a noisy ``Decimal``). Every primitive we
use gets a strict hook here, extra keys are refused, and every structuring error, including an
attrs validator failing in a constructor, comes out as one :class:`InvalidInput` with a JSON
path per problem (``$.contractor.staff.full_time``).

:func:`loads` and :func:`structure` raise nothing but :class:`InvalidInput` for bad data (issue
9): text is decoded strictly (UTF-8 by default, a byte-order mark allowed, or the encoding the
caller declares); nesting, whole numbers and decimals have documented limits checked before
anything big is built (:data:`MAX_DEPTH`, :data:`MAX_INTEGER`, :data:`MAX_DECIMAL_TEXT`); a key
given twice in one object is refused at its path rather than the last one silently winning;
lone surrogates are refused at their field; messages quote at most :data:`MAX_SHOWN`
characters of a value.

When msgspec is installed (the ``fast`` extra) :func:`loads` first tries a fast path (issue
10): msgspec decodes the JSON into strict mirror types generated from our attrs classes, and
generated builders make our objects from them, running every attrs converter and every
validator the mirror types do not already prove (ours all run: USCC check characters, amounts
to the fen, dates in order). It only ever *accepts*: anything it refuses, or cannot prove the
strict path would accept, goes to the strict path, which makes the decision and writes the
diagnostics. So validity and messages do not depend on whether msgspec is there.

Encoding is generated too: :func:`unstructure` runs one function per attrs class that gives
what cattrs' own would (the same hooks, written inline), and :func:`dumps` writes its output
as compact UTF-8 JSON with msgspec's encoder when installed, else the standard library's (the
same bytes). ``benchmarks/bench_converter.py`` measures each path.
"""

from __future__ import annotations

import codecs
import enum
import importlib
import inspect
import itertools
import json
import linecache
import re
import threading
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from types import NoneType, UnionType
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception as _default_format_exception

from .._errors import InputProblem, InvalidInput
from ._money import DECIMAL_TEXT, MAX_SHOWN, format_decimal
from ._uscc import InvalidUscc

_T = TypeVar("_T")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MAX_DEPTH: Final = 64
"""Deepest nesting of JSON arrays and objects :func:`loads` reads (the top-level value is level 1).

A case nests five levels deep (case, contractor, staff, certified, a count); anything past 64 is
refused at the path where it goes too deep, before it is parsed, so no input can exhaust the
interpreter's recursion limit (``json`` would raise ``RecursionError`` near a thousand levels).
"""

MAX_INTEGER: Final = 2**63 - 1
"""Largest magnitude of a whole number accepted (a signed 64-bit integer, what the SQL stores hold).

:func:`loads` never even converts a JSON integer of more than :data:`MAX_INTEGER_TEXT`
characters: Python refuses to convert over 4300 digits (``sys.get_int_max_str_digits``) and
would spend quadratic time below that.
"""

MAX_INTEGER_TEXT: Final = len(str(-MAX_INTEGER))
"""Longest JSON integer text converted to an ``int`` (sign included); longer ones are refused."""

MAX_DECIMAL_TEXT: Final = 40
"""Longest text accepted for a decimal (sign and point included), checked before it is converted.

Amounts hold at most 15 digits of yuan and are exact to the fen (``_money.MAX_YUAN``); scores
are at most 100. Forty characters leave room for trailing zeros while a million-digit string,
which would make ``decimal`` signal ``Overflow``, is refused at its path as too long.
"""

MAX_LISTED: Final = 10
"""Unknown fields named in one message; more are counted, not listed."""

MAX_MESSAGE: Final = 300
"""Longest message passed on from a validator; longer ones are cut and end in "…"."""

# Messages. Each is a template with named fields, so it can be translated as a whole.
_MSG_NOT_DECODABLE = (
    "the bytes are not valid {encoding} text: byte 0x{byte:02x} at byte offset {offset} ({reason}); "
    "declare the file's encoding (for example gb18030)"
)
_MSG_NOT_TEXT = (
    "the bytes cannot be read as {encoding} text ({reason}); declare the file's encoding (for example gb18030)"
)
_MSG_UNKNOWN_ENCODING = "unknown text encoding {encoding}"
_MSG_NOT_JSON = "not valid JSON: {detail}"
_MSG_TOO_DEEP = "arrays and objects nested more than {limit} levels deep"
_MSG_DUPLICATE_KEY = "duplicate key: the object gives it {count} times"
_MSG_SURROGATE = "the text holds a lone surrogate (U+{code:04X} at character {position}), which is not Unicode text"
_MSG_INTEGER_TOO_LARGE = "{shown} is too large for a whole number (at most {limit} in size)"
_MSG_NUMBER_TOO_LONG = "a number of {digits} digits is too large (whole numbers are at most {limit} in size)"
_MSG_DECIMAL_TOO_LONG = "a decimal of {length} characters is too long (at most {limit})"
_MSG_UNKNOWN_FIELDS = "unknown field(s): {names}"
_MSG_MORE_FIELDS = "{names} and {more} more"

_SURROGATE = re.compile("[\ud800-\udfff]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class StrictTypeError(TypeError):
    """A JSON value of the wrong type; its message is shown to the user as is."""


class StrictValueError(ValueError):
    """A JSON value of the right type but a bad value; its message is shown as is."""


@attrs.frozen
class _LongNumber:
    """A JSON integer too long to convert (more than :data:`MAX_INTEGER_TEXT` characters).

    The parser hands this to the structure hooks in the number's place, so the problem is
    reported at the number's JSON path instead of as a parse failure without one.
    """

    digits: int


def _parse_int(text: str) -> int | _LongNumber:
    if len(text) > MAX_INTEGER_TEXT:
        return _LongNumber(len(text.lstrip("-")))
    return int(text)


def quote(text: str) -> str:
    """``text`` as a JSON string for a message: at most :data:`MAX_SHOWN` characters, then "…".

    Lone surrogates are written as ``\\udXXX`` escapes so the message itself can be printed.
    """
    shown = text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(shown, ensure_ascii=False))


def _bounded(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + "…"


def json_type(value: object) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {json.dumps(value)}"
    if isinstance(value, int):
        if abs(value) > MAX_INTEGER:
            # str() of a huge int is slow and refused past 4300 digits: give its size instead.
            return f"integer of about {int(value.bit_length() * 0.30103) + 1} digits"
        return f"integer {value}"
    if isinstance(value, _LongNumber):
        return f"integer of {value.digits} digits"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {quote(value)}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _check_text(obj: str) -> None:
    # isascii() is O(1) in CPython; only non-ASCII text is searched for surrogates.
    if not obj.isascii():
        found = _SURROGATE.search(obj)
        if found:
            raise StrictValueError(_MSG_SURROGATE.format(code=ord(found.group()), position=found.start() + 1))


def _structure_str(obj: object, _t: type) -> str:
    if type(obj) is not str:
        raise StrictTypeError(f"expected a string, got {json_type(obj)}")
    _check_text(obj)
    return obj


def _check_integer(obj: object) -> int:
    if type(obj) is _LongNumber:
        raise StrictValueError(_MSG_NUMBER_TOO_LONG.format(digits=obj.digits, limit=MAX_INTEGER))
    if type(obj) is not int:
        raise StrictTypeError(f"expected a whole number, got {json_type(obj)}")
    if not -MAX_INTEGER <= obj <= MAX_INTEGER:
        raise StrictValueError(_MSG_INTEGER_TOO_LARGE.format(shown=json_type(obj), limit=MAX_INTEGER))
    return obj


def _structure_int(obj: object, _t: type) -> int:
    return _check_integer(obj)


def _structure_bool(obj: object, _t: type) -> bool:
    if type(obj) is not bool:
        raise StrictTypeError(f"expected true or false, got {json_type(obj)}")
    return obj


def _structure_decimal(obj: object, _t: type) -> Decimal:
    if type(obj) is int or type(obj) is _LongNumber:
        return Decimal(_check_integer(obj))
    if type(obj) is str and DECIMAL_TEXT.fullmatch(obj):
        if len(obj) > MAX_DECIMAL_TEXT:
            raise StrictValueError(_MSG_DECIMAL_TOO_LONG.format(length=len(obj), limit=MAX_DECIMAL_TEXT))
        try:
            return Decimal(obj)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid text
            pass
    raise StrictTypeError(f'expected a decimal as a string like "1234.50" (or a whole number), got {json_type(obj)}')


def _structure_date(obj: object, _t: type) -> date:
    if type(obj) is not str or not _ISO_DATE.fullmatch(obj):
        raise StrictTypeError(f'expected a date as "YYYY-MM-DD", got {json_type(obj)}')
    try:
        return date.fromisoformat(obj)
    except ValueError:
        raise StrictValueError(f"{obj!r} is not a calendar date") from None


def _structure_enum(obj: object, cl: type[enum.Enum]) -> enum.Enum:
    for member in cl:
        if type(obj) is type(member.value) and obj == member.value:
            return member
    allowed = ", ".join(sorted(str(m.value) for m in cl))
    raise StrictValueError(f"expected one of {allowed}; got {json_type(obj)}")


def _is_collection(t: Any) -> bool:
    return get_origin(t) in (tuple, frozenset)


def _is_collection_type(t: Any) -> bool:
    return _is_collection(t) or t is frozenset or t is tuple


def _unwrap_literal(t: Any) -> bool:
    return get_origin(t) is typing.Literal


class _Factory:
    """Structure-hook factories that need the converter itself."""

    def __init__(self, converter: cattrs.Converter) -> None:
        self.c = converter

    def collection(self, t: Any) -> Callable[[object, Any], Any]:
        origin = get_origin(t)
        args = get_args(t)
        item_type = args[0]
        converter = self.c

        def structure(obj: object, _t: Any) -> Any:
            if type(obj) is not list:
                raise StrictTypeError(f"expected an array, got {json_type(obj)}")
            items: list[Any] = []
            errors: list[Exception] = []
            for index, raw in enumerate(obj):
                try:
                    items.append(converter.structure(raw, item_type))
                except Exception as exc:
                    exc.__notes__ = [
                        *getattr(exc, "__notes__", []),
                        IterableValidationNote(f"Structuring {t} @ index {index}", index, item_type),
                    ]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {t}", errors, t)
            if origin is frozenset:
                result = frozenset(items)
                if len(result) != len(items):
                    raise StrictValueError("the array lists an item more than once")
                return result
            return tuple(items)

        return structure

    def literal(self, t: Any) -> Callable[[object, Any], Any]:
        allowed = get_args(t)

        def structure(obj: object, _t: Any) -> Any:
            for value in allowed:
                if type(obj) is type(value) and obj == value:
                    return value
            raise StrictValueError(f"expected one of {', '.join(map(repr, allowed))}; got {json_type(obj)}")

        return structure

    def attrs_class(self, cl: type) -> Callable[[object, Any], Any]:
        attrs.resolve_types(cl)
        base: Callable[[Mapping[str, Any], Any], Any] = make_dict_structure_fn(
            cl, self.c, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )
        converter = self.c

        def structure(obj: object, _t: Any) -> Any:
            if not isinstance(obj, Mapping):
                raise StrictTypeError(f"expected an object, got {json_type(obj)}")
            try:
                return base(obj, cl)
            except ClassValidationError as exc:
                raise _all_class_errors(converter, cl, obj, exc) from None

        return structure


def _all_class_errors(
    converter: cattrs.Converter, cl: type, obj: Mapping[str, Any], exc: ClassValidationError
) -> ClassValidationError:
    """Every problem of one object: the fields that failed to structure and the validators that fail.

    cattrs stops before the constructor when a field fails to structure, so the validators of
    the other fields (a USCC's check character beside a ``non_profit`` of ``"false"``) never
    run; and when the constructor fails, it reports that without a field. We run each
    validator on its own so the user sees every failing field at once, each at its own path.
    """
    failed = {
        note.name
        for e in exc.exceptions
        for note in getattr(e, "__notes__", ())
        if isinstance(note, AttributeValidationNote)
    }
    structured = failed or any(isinstance(e, ForbiddenExtraKeysError) for e in exc.exceptions)
    found = _validator_errors(converter, cl, obj, skip=failed)
    # When every field structured and the constructor refused, name the fields it refused.
    errors = [*exc.exceptions, *found] if structured else (found or list(exc.exceptions))
    return ClassValidationError(f"While structuring {cl.__name__}", errors, cl)


def _validator_errors(converter: cattrs.Converter, cl: type, obj: Mapping[str, Any], skip: set[str]) -> list[Exception]:
    """Run each field's converter and validator on its own; the errors, each noted with its field.

    The instance is built without ``__init__``; fields in ``skip`` (they failed to structure)
    and required fields that are missing stay unset, and a validator that reads one of them
    (``AttributeError`` on the empty slot) is not run: its field's problem is already reported.
    """
    fields = attrs.fields(attrs.resolve_types(cl))
    inst: Any = object.__new__(cl)
    errors: list[Exception] = []

    def note(exc: Exception, f: attrs.Attribute[Any]) -> None:
        exc.__notes__ = [AttributeValidationNote(f"Structuring {cl.__qualname__} @ attribute {f.name}", f.name, f.type)]
        errors.append(exc)

    ready = []
    for f in fields:
        if f.name in skip:
            continue
        try:
            if f.name in obj:
                value = converter.structure(obj[f.name], f.type)
            elif f.default is attrs.NOTHING:
                continue
            elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
                value = f.default.factory()
            else:
                value = f.default
            if f.converter is not None and callable(f.converter):
                value = f.converter(value)
        except (ValueError, TypeError, ArithmeticError) as exc:
            note(exc, f)
            continue
        object.__setattr__(inst, f.name, value)
        ready.append(f)
    for f in ready:
        if f.validator is None:
            continue
        try:
            f.validator(inst, f, getattr(inst, f.name))
        except AttributeError:
            continue
        except (ValueError, TypeError, ArithmeticError) as exc:
            note(exc, f)
    return errors


def _field_names(keys: Iterable[object]) -> str:
    names = sorted(
        k if isinstance(k, str) and len(k) <= MAX_SHOWN and _IDENTIFIER.fullmatch(k) else quote(str(k)) for k in keys
    )
    if len(names) <= MAX_LISTED:
        return ", ".join(names)
    return _MSG_MORE_FIELDS.format(names=", ".join(names[:MAX_LISTED]), more=len(names) - MAX_LISTED)


def _format_exception(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, (StrictTypeError, StrictValueError)):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        return _MSG_UNKNOWN_FIELDS.format(names=_field_names(exc.extra_fields))
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, InvalidUscc):
        # Its own message quotes the whole code, however long: quote a bounded prefix.
        return f"invalid USCC {quote(exc.code)}: {exc.reason}"
    if isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, BaseValidationError):
        return _bounded(str(exc.args[0]) if exc.args else str(exc))
    return _default_format_exception(exc, type_)


def _enum_value(member: enum.Enum) -> Any:
    return member.value


def _json_key(value: Any) -> str:
    """How the items of a set are ordered in JSON output: by their JSON text (a stable order)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _collection_unstructurer(c: cattrs.Converter) -> Callable[[Any], list[Any]]:
    """The unstructure hook of ``c`` for tuples and sets: a list, a set's items in :func:`_json_key` order."""

    def unstructure(value: frozenset[Any] | tuple[Any, ...]) -> list[Any]:
        items = [c.unstructure(item) for item in value]
        if isinstance(value, frozenset):
            items.sort(key=_json_key)
        return items

    return unstructure


class _NoMirror(Exception):
    """A class or type the generated code does not handle: cattrs' own function, or the strict path, does."""


class _Unstructurer:
    """One generated function per attrs class, attrs to JSON-compatible data: cattrs' own, made lean.

    cattrs generates a function per class too, but calls a hook for every field: for ``X | None``
    a closure around X's hook, for an enum a function returning ``.value``, for a set one that
    unstructures each item by dispatching on its class and then sorts them by their JSON text.
    That is most of the cost of encoding a case. The function generated here takes, for each field,
    the hook cattrs would take (:meth:`cattrs.Converter.get_unstructure_hook` of its type, at the
    time the class is first unstructured, as cattrs does) and writes the hooks it knows as code:
    identity as the value, ``_enum_value`` as the member's ``_value_``, cattrs' optional wrapper
    (``gen_unstructure_optional``, recognised by the hook it wraps) as a test for ``None``, and
    tuples and sets of one class as a list built by class, a set of enum members sorted by a
    rank computed once. Any other hook is called as it is; a class cattrs would treat differently
    (fields not in ``__init__``, aliases, overrides, type variables) keeps cattrs' function. So
    the output equals cattrs' (``tests/test_converter_paths.py`` checks it on generated values of
    every public type and on every golden event).
    """

    def __init__(self, converter: cattrs.Converter, collection: Callable[[Any], list[Any]]) -> None:
        self.c = converter
        self.collection = collection
        self.building: set[type] = set()
        # One thread generates at a time: `building` is that thread's (a class another thread is
        # building must not look recursive). Re-entrant, for the classes a class refers to.
        self.lock = threading.RLock()

    def attrs_class(self, cl: type) -> Callable[[Any], Any]:
        with self.lock:
            if cl in self.building:
                raise RecursionError(cl)  # what cattrs raises, and catches, for a recursive type
            self.building.add(cl)
            try:
                return self._generate(cl)
            except _NoMirror:
                return self.c.gen_unstructure_attrs_fromdict(cl)
            finally:
                self.building.discard(cl)

    def _generate(self, cl: type) -> Callable[[Any], Any]:
        if get_origin(cl) is not None or self.c.omit_if_default or self.c.type_overrides or self.c.use_alias:
            raise _NoMirror(cl)
        fields = attrs.fields(attrs.resolve_types(cl))
        namespace: dict[str, Any] = {}
        items = []
        for index, f in enumerate(fields):
            t = f.type
            if not f.init or not f.name.isidentifier() or isinstance(t, (TypeVar, str)):
                raise _NoMirror(cl)
            if t is not None and (get_origin(t) in (typing.Annotated, typing.Final) or t is typing.Final):
                raise _NoMirror(cl)
            items.append(f"{f.name!r}: {self._expr(f'instance.{f.name}', t, namespace, f'h{index}')}")
        name = f"unstructure_{cl.__name__}" if cl.__name__.isidentifier() else "unstructure"
        lines = [f"def {name}(instance):", "    return {", *(f"        {item}," for item in items), "    }"]
        return typing.cast(Callable[[Any], Any], _compiled(lines, namespace, name, f"unstructure {cl.__qualname__}"))

    def _hook(self, t: Any) -> Callable[[Any], Any]:
        if t is None:
            return self.c.unstructure
        try:
            return self.c.get_unstructure_hook(t)
        except RecursionError:  # a recursive type: dispatch on the value's class, as cattrs does
            return self.c.unstructure

    def _expr(self, value: str, t: Any, namespace: dict[str, Any], name: str) -> str:
        """Code for ``hook(value)``, the hook cattrs takes for type ``t``; ``value`` is a name or attribute."""
        hook = self._hook(t)
        if hook is identity:
            return value
        if hook is _enum_value and _plain_value(t):
            return f"{value}._value_"
        args = get_args(t)
        if (
            get_origin(t) in (typing.Union, UnionType)
            and len(args) == 2
            and NoneType in args
            and getattr(hook, "__name__", None) == "unstructure_optional"
        ):
            inner = args[0] if args[1] is NoneType else args[1]
            if (hook.__defaults__ or (None,))[0] is self._hook(inner):
                temp = f"{name}v"
                code = self._expr(temp, inner, namespace, name + "o")
                return value if code == temp else f"(None if ({temp} := {value}) is None else {code})"
        if hook is self.collection and get_origin(t) in (tuple, frozenset) and args:
            namespace[name] = self._collection(get_origin(t), args)
            return f"{name}({value})"
        namespace[name] = hook
        return f"{name}({value})"

    def _collection(self, origin: Any, args: tuple[Any, ...]) -> Callable[[Any], list[Any]]:
        """The collection hook for a ``tuple[X, ...]`` or ``frozenset[X]`` field, specialised for items of class X."""
        item = args[0]
        generic = self.collection
        if not isinstance(item, type) or (origin is tuple and (len(args) != 2 or args[1] is not Ellipsis)):
            return generic
        hook = self._hook(item)
        unstructure = self.c.unstructure
        if origin is tuple:

            def items(value: Any) -> list[Any]:
                if value.__class__ is not tuple:
                    return generic(value)
                return [hook(x) if x.__class__ is item else unstructure(x) for x in value]

            return items
        if hook is not _enum_value or not _plain_value(item):
            return generic
        # The members in the order their JSON text sorts in, as :func:`_json_key` would put them.
        order: list[Any] = sorted(typing.cast(type[enum.Enum], item), key=lambda m: _json_key(m.value))
        rank = {m: i for i, m in enumerate(order)}

        def members(value: Any) -> list[Any]:
            if value.__class__ is frozenset:
                try:
                    ordered: list[Any] = sorted(value, key=rank.__getitem__)
                except KeyError:  # an item that is none of the members: the general order
                    return generic(value)
                return [m._value_ if type(m) is item else unstructure(m) for m in ordered]  # type: ignore[attr-defined]
            return generic(value)

        return members


def _plain_value(t: Any) -> bool:
    """Whether ``t`` is an enum whose ``.value`` is the member's ``_value_``, read without the property.

    ``Enum.value`` is a Python-level property: reading ``_value_``, which it returns, saves about
    a fifth of the cost of unstructuring a case (it has sixteen enum values).
    """
    return (
        isinstance(t, type)
        and issubclass(t, enum.Enum)
        and inspect.getattr_static(t, "value", None) is inspect.getattr_static(enum.Enum, "value")
    )


def _compiled(lines: list[str], namespace: dict[str, Any], name: str, what: str) -> Any:
    """The function ``name`` defined by ``lines``, with its source in linecache for tracebacks."""
    source = "\n".join(lines) + "\n"
    filename = f"<swp generated {what}>"
    exec(compile(source, filename, "exec"), namespace)
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    return namespace[name]


def make_converter(*, generated_unstructure: bool = True) -> cattrs.Converter:
    """Build a strict converter; the library's own instance is :data:`converter`.

    ``generated_unstructure=False`` keeps cattrs' own unstructure functions for attrs classes
    (what the tests compare the generated ones with).
    """
    c = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    factory = _Factory(c)
    # cattrs dispatches on classes before predicates, and a class hook also catches subclasses:
    # the strict ``str`` hook would catch our StrEnums, so enums get class hooks of their own
    # (``StrEnum`` precedes ``str`` in their MRO).
    c.register_structure_hook(str, _structure_str)
    c.register_structure_hook(int, _structure_int)
    c.register_structure_hook(bool, _structure_bool)
    c.register_structure_hook(Decimal, _structure_decimal)
    c.register_structure_hook(date, _structure_date)
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        c.register_structure_hook(base, _structure_enum)
    c.register_structure_hook_factory(_is_collection, factory.collection)
    c.register_structure_hook_factory(_unwrap_literal, factory.literal)
    c.register_structure_hook_factory(attrs.has, factory.attrs_class)
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        # Plain values, so JSON output never carries our enum types.
        c.register_unstructure_hook(base, _enum_value)
    c.register_unstructure_hook(Decimal, format_decimal)  # never "5E+3": it must read back
    c.register_unstructure_hook(date, date.isoformat)
    collection = _collection_unstructurer(c)
    c.register_unstructure_hook_func(_is_collection_type, collection)
    if generated_unstructure:
        c.register_unstructure_hook_factory(attrs.has, _Unstructurer(c, collection).attrs_class)
    return c


converter: Final[cattrs.Converter] = make_converter()
"""The library's converter for every public type, to and from JSON-compatible data."""


def structure(data: object, cl: type[_T]) -> _T:
    """Build a ``cl`` from JSON-compatible ``data``, strictly.

    Raises :class:`InvalidInput` listing every problem with its JSON path.
    """
    try:
        return converter.structure(data, cl)
    except BaseValidationError as exc:
        messages = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
        raise InvalidInput([_problem(m) for m in messages]) from None
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise InvalidInput([InputProblem("$", _format_exception(exc, cl))]) from None


def _problem(message: str) -> InputProblem:
    text, sep, path = message.rpartition(" @ ")
    if not sep:
        return InputProblem("$", message)
    return InputProblem(path, text)


def unstructure(value: object) -> Any:
    """Turn a public type into JSON-compatible data (amounts and dates as strings)."""
    return converter.unstructure(value)


def loads(text: str | bytes | bytearray, cl: type[_T], *, encoding: str | None = None) -> _T:
    """Parse JSON ``text`` into a ``cl``, strictly; every problem is an :class:`InvalidInput`.

    ``text`` is a ``str`` or bytes. Bytes are UTF-8 unless ``encoding`` names another codec
    (``"gb18030"`` for the GBK files Chinese Windows tools write); a byte-order mark is
    allowed, and so is U+FEFF at the start of a ``str``. Bytes not valid in the encoding,
    text that is not JSON, nesting deeper than :data:`MAX_DEPTH` and a key given twice in one
    object are refused as problems at their JSON path, with every problem of the data itself.
    ``encoding`` applies to bytes only: a ``str`` with one is a ``TypeError`` (a caller's
    mistake, not bad data).
    """
    return _load(text, cl, encoding=encoding, fast=_fast)


def _load(text: str | bytes | bytearray, cl: type[_T], *, encoding: str | None, fast: _FastPath | None) -> _T:
    """:func:`loads`, with the fast path given (``None``: the strict path alone, as tests compare)."""
    if isinstance(text, str):
        if encoding is not None:
            raise TypeError("encoding applies to bytes; this text is already decoded")
    else:
        text = bytes(text)
        if encoding is not None and _codec_name(encoding) != "utf-8":
            text = _decoded(text, encoding)
    if fast is not None:
        value = fast.loads(text, cl)
        if value is not _MISS:
            return typing.cast(_T, value)
    return _loads_strict(_decoded(text, encoding) if isinstance(text, bytes) else _unmarked(text), cl)


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except (LookupError, ValueError):  # ValueError: a name holding NUL
        raise InvalidInput([InputProblem("$", _MSG_UNKNOWN_ENCODING.format(encoding=quote(encoding)))]) from None


def _decoded(raw: bytes, encoding: str | None) -> str:
    """``raw`` decoded strictly: UTF-8 (or UTF-16/32, told by their marks) unless ``encoding`` says."""
    name = encoding if encoding is not None else json.detect_encoding(raw)
    _codec_name(name)
    try:
        text = raw.decode(name)
    except UnicodeDecodeError as exc:
        message = _MSG_NOT_DECODABLE.format(encoding=name, byte=raw[exc.start], offset=exc.start, reason=exc.reason)
        raise InvalidInput([InputProblem("$", message)]) from None
    except (UnicodeError, LookupError) as exc:  # LookupError: a codec that is not a text encoding
        message = _MSG_NOT_TEXT.format(encoding=quote(name), reason=_bounded(str(exc)))
        raise InvalidInput([InputProblem("$", message)]) from None
    return _unmarked(text)


def _unmarked(text: str) -> str:
    # A byte-order mark decodes to U+FEFF, which json refuses as "Unexpected UTF-8 BOM".
    return text[1:] if text.startswith("\ufeff") else text


def parse_json(text: str | bytes | bytearray, *, encoding: str | None = None) -> Any:
    """JSON text to plain data with every check of :func:`loads` that needs no type.

    Decoding, syntax, :data:`MAX_DEPTH` and duplicate keys are checked as in :func:`loads`
    (an :class:`InvalidInput` with every duplicate at its path). For input that is then
    structured by type, such as a command file whose ``"command"`` picks the class: an integer
    too long to convert is left as a placeholder that :func:`structure` refuses at its path.
    """
    if isinstance(text, str):
        if encoding is not None:
            raise TypeError("encoding applies to bytes; this text is already decoded")
        data, problems = _parse(_unmarked(text))
    else:
        data, problems = _parse(_decoded(bytes(text), encoding))
    if problems:
        raise InvalidInput(problems)
    return data


def _parse(text: str) -> tuple[Any, list[InputProblem]]:
    """The data in ``text`` and its duplicate keys; an :class:`InvalidInput` if it is not JSON."""
    deep = _too_deep(text)
    if deep is not None:
        raise InvalidInput([deep])
    repeated: list[_RepeatedKeys] = []
    try:
        data = json.loads(text, object_pairs_hook=_pairs_hook(repeated), parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise InvalidInput([InputProblem("$", _MSG_NOT_JSON.format(detail=exc))]) from None
    except RecursionError:  # pragma: no cover - _too_deep refuses such input first; kept as a guard
        raise InvalidInput([InputProblem("$", _MSG_TOO_DEEP.format(limit=MAX_DEPTH))]) from None
    return data, (_duplicate_problems(data, repeated) if repeated else [])


def _loads_strict(text: str, cl: type[_T]) -> _T:
    data, problems = _parse(text)
    try:
        value = structure(data, cl)
    except InvalidInput as exc:
        raise InvalidInput([*problems, *exc.problems]) from None
    if problems:
        raise InvalidInput(problems)
    return value


# -- limits checked on the text ---------------------------------------------------------------

# Strings (an unterminated one runs to the end) and every run of characters that is not a
# bracket: what is left is the brackets outside strings.
_NOT_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[^\[\]{}"]+')
_NESTING: Final = {"[": 1, "{": 1, "]": -1, "}": -1}
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{},:]|[^\s\[\]{},:"]+')


def _too_deep(text: str) -> InputProblem | None:
    """The problem if ``text`` nests arrays and objects deeper than :data:`MAX_DEPTH`, else ``None``.

    Counting brackets is C-speed; only text with more than ``MAX_DEPTH`` of them is measured
    outside its strings, and only text that is too deep is walked in Python for the path.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    brackets = _NOT_NESTING.sub("", text)
    if max(itertools.accumulate(map(_NESTING.__getitem__, brackets)), default=0) <= MAX_DEPTH:
        return None
    return InputProblem(_deep_path(text), _MSG_TOO_DEEP.format(limit=MAX_DEPTH))


def _deep_path(text: str) -> str:
    """The JSON path of the first array or object opened past :data:`MAX_DEPTH` levels."""
    # One frame per open container: [is an object, key or index, a key comes next].
    frames: list[list[Any]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in "[{":
            if len(frames) >= MAX_DEPTH:
                return _path(frames)
            frames.append([first == "{", None if first == "{" else 0, True])
        elif first in "]}":
            if frames:
                frames.pop()
        elif not frames:
            continue
        elif first == ",":
            frame = frames[-1]
            if frame[0]:
                frame[2] = True
            else:
                frame[1] += 1
        elif first == ":":
            frames[-1][2] = False
        elif first == '"' and frames[-1][0] and frames[-1][2]:
            try:
                frames[-1][1] = json.loads(token)
            except ValueError:
                frames[-1][1] = token.strip('"')
    return "$"  # pragma: no cover - only called on text measured too deep


def _path(frames: list[list[Any]]) -> str:
    parts = ["$"]
    for is_object, where, _ in frames:
        if not is_object:
            parts.append(f"[{where}]")
        elif isinstance(where, str):
            parts.append(_member(where))
    return "".join(parts)


def _member(key: str) -> str:
    """The path step to ``key``: ``.name`` for a plain name, else ``["any key"]`` quoted and bounded."""
    if len(key) <= MAX_SHOWN and _IDENTIFIER.fullmatch(key):
        return f".{key}"
    return f"[{quote(key)}]"


class _RepeatedKeys(dict[str, Any]):
    """A JSON object that gave some keys more than once; ``repeated`` counts them."""

    repeated: dict[str, int]


def _pairs_hook(found: list[_RepeatedKeys]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """An ``object_pairs_hook`` that builds each object and keeps those with a repeated key."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        marked = _RepeatedKeys(obj)
        marked.repeated = {k: n for k, n in Counter(k for k, _ in pairs).items() if n > 1}
        found.append(marked)
        return marked

    return hook


def _duplicate_problems(data: object, found: list[_RepeatedKeys]) -> list[InputProblem]:
    """One problem per repeated key, at its path, in document order (the hook cannot know paths)."""
    marked = {id(obj) for obj in found}
    problems: list[InputProblem] = []

    def visit(value: object, path: str) -> None:  # depth is at most MAX_DEPTH, checked before
        if isinstance(value, dict):
            if id(value) in marked:
                problems.extend(
                    InputProblem(path + _member(key), _MSG_DUPLICATE_KEY.format(count=count))
                    for key, count in typing.cast(_RepeatedKeys, value).repeated.items()
                )
            for key, item in value.items():
                visit(item, path + _member(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, f"{path}[{index}]")

    visit(data, "$")
    return problems


# -- the fast path (msgspec, the ``fast`` extra) ------------------------------------------------

_MISS: Final = object()
"""What the fast path returns when it does not accept: the strict path decides."""

_Convert = Callable[[Any, list[int]], Any]
"""Turns a value msgspec decoded into ours; ``tally`` counts ``[keys, colons in text]`` seen."""


class _Refused(Exception):
    """The fast path found a value the strict path would refuse (a set that repeats an item)."""


@attrs.frozen
class _Inline:
    """A conversion the generated builders write as code rather than call."""

    name: str


_TEXT: Final = _Inline("text")
"""A string: its colons are counted (see :class:`_FastPath`)."""

_DECIMAL: Final = _Inline("decimal")
"""A decimal, given as a string or a whole number."""

_SET: Final = _Inline("set")
"""A set of values msgspec already gave as ours, from a JSON array: refused if an item repeats."""

_Step = _Convert | _Inline | None
"""How a decoded value becomes ours: ``None`` when it already is (msgspec checked it), or a conversion."""


def _count_text(value: str, tally: list[int]) -> str:
    # No surrogate check: msgspec refuses lone surrogates, escaped or as bytes, so none gets here.
    if ":" in value:
        tally[1] += value.count(":")
    return value


_DECIMAL_MATCH: Final = DECIMAL_TEXT.fullmatch


def _to_decimal(value: str | int, _tally: list[int]) -> Decimal:
    # What _structure_decimal accepts: an int (msgspec bounds it) or decimal text of bounded length.
    if type(value) is str and (len(value) > MAX_DECIMAL_TEXT or not _DECIMAL_MATCH(value)):
        raise _Refused(value)
    return Decimal(value)


def _count_value(value: Any, tally: list[int]) -> Any:
    text = value.value if isinstance(value, enum.Enum) else value
    tally[1] += str(text).count(":")
    return value


def _as_function(step: _Step) -> _Convert | None:
    if step is _TEXT:
        return _count_text
    if step is _DECIMAL:
        return _to_decimal
    if step is _SET:
        return _frozenset_of(None)
    return typing.cast(_Convert | None, step)


class _FastPath:
    """msgspec mirrors of our attrs classes, and the builders that turn a mirror into ours.

    Each attrs class gets a ``msgspec.Struct`` of the same fields that forbids unknown fields
    and whose every optional field defaults to ``UNSET`` (so we know which keys were given).
    The mirror types say what JSON carries, with the strict path's rules: ``bool``, ``int``
    within :data:`MAX_INTEGER`, an enum's or literal's values, a ``date`` as ``"YYYY-MM-DD"``,
    ``str`` or ``int`` for a decimal, a ``list`` for a set (so a repeated item is seen). msgspec
    checks all of that in C; what is left is ours: a decimal's text, a set's repeated items, and
    then every attrs converter and every validator the types do not already prove (see
    :func:`_direct_builder`): a USCC's check character, an amount to the fen, a period that ends
    before it starts.

    Duplicate keys are what msgspec cannot see (the last one wins). Outside strings every key
    has exactly one ``:`` after it, so colons in the text = keys + colons inside strings. We
    count the keys and the colons of every string we build; a repeated key leaves the text
    with more colons than that, and the input goes to the strict path. Text with a ``\\u003a``
    escape (a colon the count would miss) always does.
    """

    def __init__(self, msgspec: Any) -> None:
        self.msgspec = msgspec
        self.whole = typing.Annotated[int, msgspec.Meta(ge=-MAX_INTEGER, le=MAX_INTEGER)]
        self.classes: dict[type, tuple[Any, _Convert]] = {}
        self.decoders: dict[type, tuple[Callable[[Any], Any], _Convert] | None] = {}
        self.building: set[type] = set()
        self.lock = threading.Lock()  # generation is once per class; `building` is the generating thread's

    def loads(self, data: str | bytes, cl: type) -> object:
        """The value of ``data`` as a ``cl``, or :data:`_MISS` when the strict path must decide."""
        try:
            entry = self.decoders[cl]
        except KeyError:
            with self.lock:
                if cl in self.decoders:  # another thread built it while this one waited
                    entry = self.decoders[cl]
                else:
                    entry = self.decoders[cl] = self._decoder(cl)
        # With attrs validators switched off the strict path builds what it is given: it decides.
        if entry is None or attrs.validators.get_disabled():
            return _MISS
        decode, build = entry
        if isinstance(data, str):
            data = _unmarked(data)
            if "\\u003" in data and ("\\u003a" in data or "\\u003A" in data):
                return _MISS
            colons = data.count(":")
        else:
            if data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
            if b"\\u003" in data and (b"\\u003a" in data or b"\\u003A" in data):
                return _MISS
            colons = data.count(b":")
        tally = [0, 0]
        try:
            value = build(decode(data), tally)
        except Exception:  # every refusal, whatever msgspec or a validator raised: strict decides
            return _MISS
        return value if tally[0] + tally[1] == colons else _MISS

    def _decoder(self, cl: type) -> tuple[Callable[[Any], Any], _Convert] | None:
        if not attrs.has(cl):
            return None
        try:
            mirror, build = self._class(cl)
        except _NoMirror:
            return None
        finally:
            self.building.clear()
        return self.msgspec.json.Decoder(mirror, strict=True).decode, build

    def _class(self, cl: type) -> tuple[Any, _Convert]:
        if cl in self.classes:
            return self.classes[cl]
        if cl in self.building:
            raise _NoMirror(cl)  # a recursive type: nesting would not be bounded by the type
        self.building.add(cl)
        unset = self.msgspec.UNSET
        fields: list[tuple[Any, ...]] = []
        plans: list[_Plan] = []
        for f in attrs.fields(attrs.resolve_types(cl)):
            if not f.init or f.alias != f.name or not f.name.isidentifier():
                raise _NoMirror(cl)
            inner, nullable = _non_null(f.type)
            mirror, step = self._type(inner)
            if nullable:
                mirror = typing.Optional[mirror]  # noqa: UP045
            fields.append((f.name, mirror) if f.default is attrs.NOTHING else (f.name, mirror, unset))
            plans.append(_Plan(f, step, nullable))
        struct = self.msgspec.defstruct(
            f"_Fast{cl.__name__}", fields, kw_only=True, forbid_unknown_fields=True, module=__name__
        )
        build = _direct_builder(cl, plans, unset) if _plain_init(cl) else _calling_builder(cl, plans, unset)
        entry = (struct, build)
        self.classes[cl] = entry
        return entry

    def _type(self, t: Any) -> tuple[Any, _Step]:
        origin = get_origin(t)
        if origin in (typing.Union, UnionType):
            inner, _ = _non_null(t)
            mirror, step = self._type(inner)
            convert = _as_function(step)
            return typing.Optional[mirror], (None if convert is None else _optional(convert))  # noqa: UP045
        if t is str:
            return str, _TEXT
        if t is bool:
            return bool, None
        if t is int:
            return self.whole, None
        if t is Decimal:
            return self.whole | str, _DECIMAL
        if t is date:
            # msgspec reads exactly "YYYY-MM-DD" with a real calendar day, as _structure_date does.
            return date, None
        if isinstance(t, type) and issubclass(t, enum.Enum):
            values = [m.value for m in t]
            if not values or any(type(v) is not str for v in values):
                raise _NoMirror(t)
            return t, (_count_value if any(":" in v for v in values) else None)
        if origin is typing.Literal:
            values = list(get_args(t))
            if any(type(v) is not str for v in values):
                raise _NoMirror(t)
            return t, (_count_value if any(":" in v for v in values) else None)
        if origin is tuple:
            args = get_args(t)
            if len(args) != 2 or args[1] is not Ellipsis:
                raise _NoMirror(t)
            mirror, step = self._type(args[0])
            convert = _as_function(step)
            return tuple[mirror, ...], (None if convert is None else _tuple_of(convert))  # type: ignore[valid-type]
        if origin is frozenset:
            mirror, step = self._type(get_args(t)[0])
            convert = _as_function(step)
            return list[mirror], (_SET if convert is None else _frozenset_of(convert))  # type: ignore[valid-type]
        if isinstance(t, type) and attrs.has(t):
            return self._class(t)
        raise _NoMirror(t)


@attrs.frozen
class _Plan:
    """How the fast path fills one field: the attrs field, its conversion, whether it may be null."""

    field: attrs.Attribute[Any]
    step: _Step
    nullable: bool


def _plain_init(cl: type) -> bool:
    """Whether ``cl.__init__`` is attrs' own and does nothing :func:`_direct_builder` does not.

    That is: no ``__attrs_pre_init__`` or ``__attrs_post_init__``, no cached hash to reset, no
    default computed from the instance and no converter that takes the instance or the field.
    """
    code = getattr(cl.__dict__.get("__init__"), "__code__", None)
    if code is None or not code.co_filename.startswith("<attrs generated"):
        return False
    if hasattr(cl, "__attrs_pre_init__") or hasattr(cl, "__attrs_post_init__"):
        return False
    if "_attrs_cached_hash" in code.co_consts or "_attrs_cached_hash" in code.co_names:
        return False
    for f in attrs.fields(cl):
        if isinstance(f.default, attrs.Factory) and f.default.takes_self:  # type: ignore[arg-type]
            return False
        if f.converter is not None and (isinstance(f.converter, attrs.Converter) or not callable(f.converter)):
            return False
    return True


_INSTANCE_OF: Final = type(attrs.validators.instance_of(object))
_OPTIONAL: Final = type(attrs.validators.optional(attrs.validators.instance_of(object)))
_DEEP_ITERABLE: Final = type(attrs.validators.deep_iterable(attrs.validators.instance_of(object)))
_AND: Final = type(attrs.validators.and_(attrs.validators.instance_of(object)))


def _parts(validator: Any) -> list[Any]:
    """The validators a composite of ``and_`` (or a list, as attrs takes one) holds; else itself."""
    if isinstance(validator, (list, tuple)):
        return [p for v in validator for p in _parts(v)]
    inner = getattr(validator, "_validators", None) if isinstance(validator, _AND) else None
    return [validator] if inner is None else _parts(inner)


def _built_class(t: Any) -> type | None:
    """The class of every non-null value the fast path builds for type ``t`` (``None``: not one class)."""
    origin = get_origin(t)
    if origin in (tuple, frozenset):
        return typing.cast(type, origin)
    if t in (str, bool, int, Decimal, date) or (isinstance(t, type) and (issubclass(t, enum.Enum) or attrs.has(t))):
        return typing.cast(type, t)
    return None


def _proven(validator: Any, t: Any) -> bool:
    """Whether the fast path's types alone prove that ``validator`` passes on any value it builds as a ``t``.

    Only attrs' own ``instance_of``, ``optional``, ``deep_iterable`` and ``and_`` can be proven;
    any other validator (ours: a USCC, an amount, a date range …) always runs.
    """
    try:
        inner, nullable = _non_null(t)
    except _NoMirror:
        return False
    if isinstance(validator, _INSTANCE_OF):
        built = _built_class(inner)
        try:
            return not nullable and built is not None and issubclass(built, getattr(validator, "type", ()))
        except TypeError:
            return False
    if isinstance(validator, _OPTIONAL):
        wrapped = getattr(validator, "validator", None)
        return wrapped is not None and all(_proven(p, inner) for p in _parts(wrapped))
    if isinstance(validator, _DEEP_ITERABLE):
        if nullable or get_origin(inner) not in (tuple, frozenset):
            return False
        iterable = getattr(validator, "iterable_validator", None)
        members = getattr(validator, "member_validator", None)
        return (
            members is not None
            and (iterable is None or all(_proven(p, inner) for p in _parts(iterable)))
            and all(_proven(p, get_args(inner)[0]) for p in _parts(members))
        )
    if isinstance(validator, _AND):
        return all(_proven(p, t) for p in _parts(validator))
    return False


def _kept_validators(f: attrs.Attribute[Any]) -> list[Any]:
    """The validators of ``f`` the fast path must run: all, after a converter (its output is not typed)."""
    if f.validator is None:
        return []
    parts = _parts(f.validator)
    if f.converter is not None:
        return parts
    return [p for p in parts if not _proven(p, f.type)]


def _step_lines(value: str, step: _Step, index: int, namespace: dict[str, Any]) -> list[str]:
    """The code that converts the local ``value`` in place (nothing when msgspec's value is ours)."""
    if step is None:
        return []
    if step is _TEXT:
        return [f"if ':' in {value}:", f"    tally[1] += {value}.count(':')"]
    if step is _DECIMAL:
        return [
            f"if {value}.__class__ is str and (len({value}) > MAX_DECIMAL_TEXT or not decimal_match({value})):",
            f"    raise Refused({value})",
            f"{value} = Decimal({value})",
        ]
    if step is _SET:
        return [
            f"{value}_set = frozenset({value})",
            f"if len({value}_set) != len({value}):",
            "    raise Refused('the array lists an item more than once')",
            f"{value} = {value}_set",
        ]
    namespace[f"convert_{index}"] = step
    return [f"{value} = convert_{index}({value}, tally)"]


def _direct_builder(cl: type, plans: list[_Plan], unset: object) -> _Convert:
    """A function that builds a ``cl`` from its mirror without calling ``cl``: generated code.

    It does what attrs' ``__init__`` does (a default for each field not given, the field's
    converter, every attribute set, then the validators in field order, after all are set) but
    leaves out the validators the types prove (:func:`_proven`): ``instance_of(str)`` on a
    string msgspec decoded as one, an enum member, a tuple of our instances. Our own validators
    all run, on the same values and instance attrs would give them. Slots are filled through
    their descriptors (a frozen class refuses ``setattr``, as attrs' ``__init__`` works around).
    """
    namespace: dict[str, Any] = {
        "cl": cl,
        "UNSET": unset,
        "new": object.__new__,
        "object_setattr": object.__setattr__,
        "Decimal": Decimal,
        "decimal_match": _DECIMAL_MATCH,
        "MAX_DECIMAL_TEXT": MAX_DECIMAL_TEXT,
        "Refused": _Refused,
    }
    required = sum(1 for plan in plans if plan.field.default is attrs.NOTHING)
    lines = ["def build(mirror, tally):", f"    given = {required}"]
    sets: list[str] = []
    checks: list[str] = []
    for index, plan in enumerate(plans):
        f, value = plan.field, f"v{index}"
        lines.append(f"    {value} = mirror.{f.name}")
        convert = _step_lines(value, plan.step, index, namespace)
        if plan.nullable and convert:
            convert = [f"if {value} is not None:", *(f"    {line}" for line in convert)]
        if f.default is attrs.NOTHING:
            lines += [f"    {line}" for line in convert]
        else:
            if isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
                namespace[f"factory_{index}"] = typing.cast(Any, f.default).factory
                default = f"factory_{index}()"
            else:
                namespace[f"default_{index}"] = f.default
                default = f"default_{index}"
            lines += [f"    if {value} is UNSET:", f"        {value} = {default}", "    else:", "        given += 1"]
            lines += [f"        {line}" for line in convert]
        if f.converter is not None:
            namespace[f"converter_{index}"] = f.converter
            lines.append(f"    {value} = converter_{index}({value})")
        slot = _slot(cl, f.name)
        if slot is not None:
            namespace[f"set_{index}"] = slot
            sets.append(f"    set_{index}(inst, {value})")
        else:
            sets.append(f"    object_setattr(inst, {f.name!r}, {value})")
        for k, validator in enumerate(_kept_validators(f)):
            namespace[f"validator_{index}_{k}"] = validator
            namespace[f"field_{index}"] = f
            checks.append(f"    validator_{index}_{k}(inst, field_{index}, {value})")
    lines += ["    tally[0] += given", "    inst = new(cl)", *sets, *checks, "    return inst"]
    return typing.cast(_Convert, _compiled(lines, namespace, "build", f"fast build {cl.__qualname__}"))


def _slot(cl: type, name: str) -> Callable[[Any, Any], None] | None:
    """The ``__set__`` of the slot holding field ``name`` (``None`` if it is not a slot)."""
    for klass in cl.__mro__:
        if name in klass.__dict__:
            descriptor = klass.__dict__[name]
            return descriptor.__set__ if isinstance(descriptor, types.MemberDescriptorType) else None
    return None


def _calling_builder(cl: type, plans: list[_Plan], unset: object) -> _Convert:
    """A function that builds a ``cl`` from its mirror by calling ``cl``: for classes whose
    ``__init__`` does more than :func:`_direct_builder` knows (see :func:`_plain_init`)."""
    namespace: dict[str, Any] = {"cl": cl, "UNSET": unset}
    lines = ["def build(mirror, tally):", "    kwargs = {}"]
    for index, plan in enumerate(plans):
        name, value = plan.field.name, "value"
        convert = _as_function(plan.step)
        if convert is not None:
            namespace[f"convert_{index}"] = convert
            value = f"convert_{index}(value, tally)"
            if plan.nullable:
                value = f"None if value is None else {value}"
        lines += [f"    value = mirror.{name}", f"    if value is not UNSET: kwargs[{name!r}] = {value}"]
    lines += ["    tally[0] += len(kwargs)", "    return cl(**kwargs)"]
    return typing.cast(_Convert, _compiled(lines, namespace, "build", f"fast call {cl.__qualname__}"))


def _non_null(t: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``, ``(t, False)`` for any type that is not a union."""
    if get_origin(t) not in (typing.Union, UnionType):
        return t, False
    args = get_args(t)
    inner = [a for a in args if a is not NoneType]
    if len(inner) != 1 or len(args) != 2:
        raise _NoMirror(t)
    return inner[0], True


def _optional(convert: _Convert) -> _Convert:
    def maybe(value: Any, tally: list[int]) -> Any:
        return None if value is None else convert(value, tally)

    return maybe


def _tuple_of(convert: _Convert) -> _Convert:
    def items(value: tuple[Any, ...], tally: list[int]) -> tuple[Any, ...]:
        return tuple([convert(item, tally) for item in value])

    return items


def _frozenset_of(convert: _Convert | None) -> _Convert:
    def items(value: list[Any], tally: list[int]) -> frozenset[Any]:
        built = value if convert is None else [convert(item, tally) for item in value]
        result = frozenset(built)
        if len(result) != len(built):
            raise _Refused("the array lists an item more than once")
        return result

    return items


def _load_msgspec() -> Any:
    try:
        return importlib.import_module("msgspec")
    except ImportError:
        return None


def _load_fast_path() -> _FastPath | None:
    msgspec = _load_msgspec()
    return None if msgspec is None else _FastPath(msgspec)


_fast: _FastPath | None = _load_fast_path()
"""The fast path, or ``None`` without msgspec (``pip install socialwork-procurement[fast]``)."""


# -- encoding ---------------------------------------------------------------------------------


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _load_encoder() -> Callable[[Any], bytes]:
    msgspec = _load_msgspec()
    return _json_bytes if msgspec is None else typing.cast(Callable[[Any], bytes], msgspec.json.Encoder().encode)


_encode: Callable[[Any], bytes] = _load_encoder()
"""JSON-compatible data to compact UTF-8 JSON: msgspec's encoder when installed, else ``json``.

Both write the same bytes for what :func:`unstructure` gives (no floats: money and scores are
decimal strings): keys in order, no spaces, text as UTF-8 with the same escapes.
"""


def dumps(value: object) -> bytes:
    """``value`` (a public type) as compact UTF-8 JSON bytes, which :func:`loads` reads back equal.

    :func:`unstructure`, then msgspec's encoder when the ``fast`` extra is installed, else the
    standard library's: the bytes are the same either way. Text holding a lone surrogate cannot
    be UTF-8 and raises ``UnicodeEncodeError`` with either.
    """
    return _encode(converter.unstructure(value))
