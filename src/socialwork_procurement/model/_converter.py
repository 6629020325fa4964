"""The one configured cattrs converter: strict, path-reporting, for every public type.

cattrs' default hooks coerce silently (``bool("false")`` is ``True``, ``int(3.9)`` is ``3``, a
string becomes a list of characters, a float becomes a noisy ``Decimal``). Every primitive we
use gets a strict hook here, extra keys are refused, and every structuring error, including an
attrs validator failing in a constructor, comes out as one :class:`InvalidInput` with a JSON
path per problem (``$.contractor.staff.full_time``).
"""

from __future__ import annotations

import enum
import json
import re
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
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
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception as _default_format_exception

from .._errors import InputProblem, InvalidInput
from ._money import DECIMAL_TEXT, format_decimal

_T = TypeVar("_T")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class StrictTypeError(TypeError):
    """A JSON value of the wrong type; its message is shown to the user as is."""


class StrictValueError(ValueError):
    """A JSON value of the right type but a bad value; its message is shown as is."""


def json_type(value: object) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {json.dumps(value)}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _structure_str(obj: object, _t: type) -> str:
    if type(obj) is not str:
        raise StrictTypeError(f"expected a string, got {json_type(obj)}")
    return obj


def _structure_int(obj: object, _t: type) -> int:
    if type(obj) is not int:
        raise StrictTypeError(f"expected a whole number, got {json_type(obj)}")
    return obj


def _structure_bool(obj: object, _t: type) -> bool:
    if type(obj) is not bool:
        raise StrictTypeError(f"expected true or false, got {json_type(obj)}")
    return obj


def _structure_decimal(obj: object, _t: type) -> Decimal:
    if type(obj) is int:
        return Decimal(obj)
    if type(obj) is str and DECIMAL_TEXT.fullmatch(obj):
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
                if any(_is_field_error(e) for e in exc.exceptions):
                    raise
                # Every field structured and the constructor's validators refused the whole
                # (cattrs wraps that without a field): find the fields that caused it.
                raise _validator_errors(converter, cl, obj, exc.exceptions[0]) from None
            except BaseValidationError:
                raise
            except (ValueError, TypeError) as exc:
                raise _validator_errors(converter, cl, obj, exc) from None

        return structure


def _is_field_error(exc: BaseException) -> bool:
    return any(isinstance(n, AttributeValidationNote) for n in getattr(exc, "__notes__", ()))


def _validator_errors(
    converter: cattrs.Converter, cl: type, obj: Mapping[str, Any], original: Exception
) -> ClassValidationError:
    """Attribute a constructor's validation failure to the fields that caused it.

    We rebuild the instance without running ``__init__`` and run each field's validator on
    its own, so the user sees every failing field, each at its own path.
    """
    fields = attrs.fields(attrs.resolve_types(cl))
    inst: Any = object.__new__(cl)
    for f in fields:
        if f.name in obj:
            value = converter.structure(obj[f.name], f.type)
        elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            value = f.default.factory()
        else:
            value = f.default
        if f.converter is not None and callable(f.converter):
            value = f.converter(value)
        object.__setattr__(inst, f.name, value)
    errors: list[Exception] = []
    for f in fields:
        if f.validator is None:
            continue
        try:
            f.validator(inst, f, getattr(inst, f.name))
        except (ValueError, TypeError) as exc:
            exc.__notes__ = [
                AttributeValidationNote(f"Structuring {cl.__qualname__} @ attribute {f.name}", f.name, f.type)
            ]
            errors.append(exc)
    if not errors:
        errors = [original]
    return ClassValidationError(f"While structuring {cl.__name__}", errors, cl)


def _format_exception(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, (StrictTypeError, StrictValueError)):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, BaseValidationError):
        return str(exc.args[0]) if exc.args else str(exc)
    return _default_format_exception(exc, type_)


def _enum_value(member: enum.Enum) -> Any:
    return member.value


def _unstructure_collection(value: frozenset[Any] | tuple[Any, ...]) -> list[Any]:
    items = [converter.unstructure(item) for item in value]
    if isinstance(value, frozenset):
        items.sort(key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    return items


def make_converter() -> cattrs.Converter:
    """Build a strict converter; the library's own instance is :data:`converter`."""
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
    c.register_unstructure_hook_func(_is_collection_type, _unstructure_collection)
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
    except (ValueError, TypeError) as exc:
        raise InvalidInput([InputProblem("$", _format_exception(exc, cl))]) from None


def _problem(message: str) -> InputProblem:
    text, sep, path = message.rpartition(" @ ")
    if not sep:
        return InputProblem("$", message)
    return InputProblem(path, text)


def unstructure(value: object) -> Any:
    """Turn a public type into JSON-compatible data (amounts and dates as strings)."""
    return converter.unstructure(value)


def loads(text: str | bytes, cl: type[_T]) -> _T:
    """Parse JSON ``text`` into a ``cl``; bad JSON is an :class:`InvalidInput` at ``$``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput([InputProblem("$", f"not valid JSON: {exc}")]) from None
    return structure(data, cl)
