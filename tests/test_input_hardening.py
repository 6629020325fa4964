"""Hostile input (issue 9) and the fast path (issue 10): ``loads`` raises only ``InvalidInput``.

Every reproducer from the issue is a regression test here: duplicate keys, a million-digit
amount, integers past Python's conversion limit, nesting past the documented depth, lone
surrogates, a byte-order mark, GBK bytes, unbounded quoting, field problems hidden behind one
another. Then Hypothesis mutates ``docs/examples/xiamen-case.json`` (keys deleted, values
replaced with random JSON, deep nesting, huge numbers, duplicate keys, surrogates, random bytes,
a BOM, other encodings, truncation) and checks for every input:

- ``loads`` returns a ``Case`` or raises ``InvalidInput``, never anything else;
- every problem has a JSON path starting with ``$`` and a bounded message;
- an input that must be refused is (duplicate keys, nesting past the limit, truncated text, data
  the published JSON Schema refuses), and an accepted one round-trips;
- the fast path (msgspec, when installed) and the strict path agree exactly: same value, or the
  fast path declines and the strict one decides.

The example count follows the Hypothesis profile (``FAST=1`` for 20); the ``slow`` test runs
many more. ``python tests/test_input_hardening.py 5000`` prints the figures of a longer run.
"""

from __future__ import annotations

import codecs
import copy
import json
import sys
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialwork_procurement as swp
from socialwork_procurement.model import _converter as conv
from socialwork_procurement.model._money import MAX_SHOWN, check_fen_exact, parse_yuan
from socialwork_procurement.model._schema import case_schema
from socialwork_procurement.testing import strategies as sst

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "xiamen-case.json"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
CASE = json.loads(EXAMPLE_TEXT)
SCHEMA = jsonschema.Draft202012Validator(case_schema(), format_checker=jsonschema.FormatChecker())
CONTRACTOR = {"name": "x", "legal_form": "foundation"}

needs_msgspec = pytest.mark.skipif(conv._fast is None, reason="msgspec (the `fast` extra) is not installed")


def problems(text: str | bytes, **kwargs: Any) -> dict[str, str]:
    """The problems ``loads`` reports, by path (two at one path are joined with " | ")."""
    with pytest.raises(swp.InvalidInput) as info:
        swp.loads(text, swp.Case, **kwargs)
    found: dict[str, str] = {}
    for p in info.value.problems:
        found[p.path] = f"{found[p.path]} | {p.message}" if p.path in found else p.message
    return found


def strict(text: str | bytes, **kwargs: Any) -> swp.Case:
    return conv._load(text, swp.Case, encoding=kwargs.get("encoding"), fast=None)


def with_contractor(**fields: Any) -> str:
    return json.dumps({"contractor": {**CONTRACTOR, **fields}})


# -- the reproducers ------------------------------------------------------------------------------


def test_a_duplicate_key_is_refused_at_its_path_not_silently_overwritten() -> None:
    found = problems('{"contract":{"amount":"5000000.00","amount":"0.01"}}')
    assert found == {"$.contract.amount": "duplicate key: the object gives it 2 times"}


def test_duplicate_keys_are_each_reported_beside_the_other_problems() -> None:
    text = '{"contractor":{"name":"x","name":"y","legal_form":"foundation","non_profit":"no"},"evaluations":[{"a":1,"a":2,"a":3}]}'
    found = problems(text)
    assert "duplicate" in found["$.contractor.name"]
    assert found["$.evaluations[0].a"] == "duplicate key: the object gives it 3 times"
    assert "true or false" in found["$.contractor.non_profit"]
    assert "unknown field" in found["$.evaluations[0]"]


def test_a_duplicate_key_with_an_odd_name_gets_a_quoted_bounded_path() -> None:
    key = "a b" * 30
    found = problems(f'{{"{key}": 1, "{key}": 2}}')
    (path,) = [p for p in found if p != "$"]
    assert path.startswith('$["a ba b') and path.endswith('…"]') and len(path) < 2 * MAX_SHOWN


def test_a_million_digit_amount_is_refused_at_the_amount() -> None:
    found = problems('{"contract":{"amount":"' + "9" * 1_000_000 + '"}}')
    assert list(found) == ["$.contract.amount"]
    assert "too long" in found["$.contract.amount"] and len(found["$.contract.amount"]) < 200


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        ('"1000000000000000"', "too large"),  # 16 digits of yuan
        ('"999999999999999.999"', "finer than one fen"),
        ("1" + "0" * 15, "too large"),
        ('"' + "1" * 41 + '"', "too long"),
        ("9" * 5000, "digits"),
        ("-" + "9" * 5000, "digits"),
        ("1e999", "decimal"),
        ("NaN", "decimal"),
        ("-Infinity", "decimal"),
    ],
)
def test_amounts_past_the_documented_size_are_refused_at_the_amount(amount: str, fragment: str) -> None:
    found = problems('{"contract":{"amount":' + amount + "}}")
    assert list(found) == ["$.contract.amount"], found
    assert fragment in found["$.contract.amount"]


def test_the_largest_amount_is_accepted() -> None:
    case = swp.loads('{"contract":{"amount":"999999999999999.99"}}', swp.Case)
    assert case.contract is not None and case.contract.amount == Decimal("999999999999999.99")


def test_money_checks_never_signal_decimal_errors() -> None:
    with pytest.raises(ValueError, match="too large"):
        check_fen_exact(Decimal("9" * 1_000_000))
    with pytest.raises(ValueError, match="too large"):
        check_fen_exact(Decimal("1E+999999"))
    with pytest.raises(ValueError, match="too long"):
        parse_yuan("9" * 1_000_000)
    check_fen_exact(Decimal("0E+999999"))  # zero, whatever its exponent


@pytest.mark.parametrize(
    ("count", "fragment"),
    [
        ("9" * 5000, "5000 digits"),  # past Python's 4300-digit int() limit
        ("9" * 100, "100 digits"),
        (str(conv.MAX_INTEGER + 1), "too large"),
        (str(-conv.MAX_INTEGER - 1), "too large"),
    ],
)
def test_whole_numbers_past_the_documented_size_are_refused_at_their_path(count: str, fragment: str) -> None:
    found = problems('{"contractor":{"name":"x","legal_form":"foundation","staff":{"full_time":' + count + "}}}")
    assert list(found) == ["$.contractor.staff.full_time"]
    assert fragment in found["$.contractor.staff.full_time"]


def test_the_largest_whole_number_is_accepted() -> None:
    case = swp.loads(with_contractor(staff={"full_time": conv.MAX_INTEGER}), swp.Case)
    assert case.contractor is not None and case.contractor.staff is not None
    assert case.contractor.staff.full_time == conv.MAX_INTEGER


def test_structure_bounds_python_integers_too() -> None:
    with pytest.raises(swp.InvalidInput) as info:
        swp.structure({"contractor": {**CONTRACTOR, "staff": {"full_time": 10**10000}}}, swp.Case)
    (problem,) = info.value.problems
    assert problem.path == "$.contractor.staff.full_time" and "too large" in problem.message


def nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize("text", [nested(100_000), "[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_deep_nesting_is_refused_with_a_path_not_a_recursion_error(text: str) -> None:
    found = problems(text)
    ((path, message),) = found.items()
    assert path.startswith("$") and "nested more than 64 levels" in message


def test_nesting_at_the_limit_is_parsed_and_one_more_level_is_refused() -> None:
    # The top-level object is level 1: the name's value may open 62 more arrays, not 63.
    at_limit = '{"contractor":{"name":' + nested(conv.MAX_DEPTH - 2) + ',"legal_form":"foundation"}}'
    assert problems(at_limit) == {"$.contractor.name": "expected a string, got array"}
    past = '{"contractor":{"name":' + nested(conv.MAX_DEPTH - 1) + ',"legal_form":"foundation"}}'
    found = problems(past)
    assert list(found) == ["$.contractor.name" + "[0]" * (conv.MAX_DEPTH - 2)]


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    case = swp.loads(with_contractor(name="[" * 1000 + "{" * 1000), swp.Case)
    assert case.contractor is not None and case.contractor.name.startswith("[[[")


def test_a_lone_surrogate_is_refused_at_its_field() -> None:
    found = problems('{"contractor":{"name":"\\ud800","legal_form":"foundation"}}')
    assert list(found) == ["$.contractor.name"] and "surrogate" in found["$.contractor.name"]
    found = problems('{"contractor":{"name":"ok\ud800","legal_form":"foundation"}}')  # in a str, unescaped
    assert list(found) == ["$.contractor.name"]
    ok = swp.loads('{"contractor":{"name":"\\ud83d\\ude00","legal_form":"foundation"}}', swp.Case)
    assert ok.contractor is not None and ok.contractor.name == "😀"  # a pair is one character


def test_a_surrogate_in_an_unknown_key_is_quoted_printably() -> None:
    found = problems('{"contractor":{"name":"x","legal_form":"foundation","\\udc80":1}}')
    message = found["$.contractor"]
    assert "\\udc80" in message
    message.encode("utf-8")  # printable: no lone surrogate in the message itself


def test_independent_field_problems_are_all_reported_at_once() -> None:
    found = problems(with_contractor(non_profit="false", uscc="123"))
    assert set(found) == {"$.contractor.non_profit", "$.contractor.uscc"}
    found = problems(
        json.dumps(
            {
                "contractor": {"name": " ", "legal_form": "charity", "uscc": "1", "grade_awarded_on": "2015-01-01", "x": 1},
                "contract": {"amount": "100", "installments": [{"due": "2015-01-01", "amount": "101"}], "signed_on": 5},
            }
        )
    )
    assert set(found) == {
        "$.contractor",  # unknown field x
        "$.contractor.name",
        "$.contractor.legal_form",
        "$.contractor.uscc",
        "$.contractor.grade_awarded_on",  # set without a grade
        "$.contract.signed_on",
        "$.contract.installments",
    }


def test_a_validator_that_depends_on_a_failed_field_is_not_run() -> None:
    # grade_awarded_on needs a grade; the grade itself is bad, and that is the one problem.
    found = problems(with_contractor(evaluation_grade="A9", grade_awarded_on="2015-01-01"))
    assert list(found) == ["$.contractor.evaluation_grade"]


def test_utf8_bytes_with_or_without_a_bom_and_a_str_with_u_feff() -> None:
    expected = swp.loads(EXAMPLE_TEXT, swp.Case)
    assert swp.loads(EXAMPLE_TEXT.encode(), swp.Case) == expected
    assert swp.loads(codecs.BOM_UTF8 + EXAMPLE_TEXT.encode(), swp.Case) == expected
    assert swp.loads("\ufeff" + EXAMPLE_TEXT, swp.Case) == expected
    assert swp.loads(bytearray(EXAMPLE_TEXT.encode()), swp.Case) == expected
    assert swp.loads(EXAMPLE_TEXT.encode("utf-16"), swp.Case) == expected  # json's own detection, kept


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "GB18030"])
def test_gbk_bytes_load_with_a_declared_encoding(encoding: str) -> None:
    raw = EXAMPLE_TEXT.encode("gbk")
    assert swp.loads(raw, swp.Case, encoding=encoding) == swp.loads(EXAMPLE_TEXT, swp.Case)


def test_gb18030_with_its_byte_order_mark() -> None:
    raw = "\ufeff".encode("gb18030") + EXAMPLE_TEXT.encode("gb18030")
    assert swp.loads(raw, swp.Case, encoding="gb18030") == swp.loads(EXAMPLE_TEXT, swp.Case)


def test_undeclared_gbk_bytes_are_refused_with_the_offset_and_how_to_declare_the_encoding() -> None:
    raw = EXAMPLE_TEXT.encode("gbk")
    offset = len(EXAMPLE_TEXT.split("厦")[0].encode())
    found = problems(raw)
    assert list(found) == ["$"]
    assert f"byte offset {offset}" in found["$"] and "utf-8" in found["$"]
    assert "declare the file's encoding (for example gb18030)" in found["$"]


def test_bytes_invalid_in_the_declared_encoding_are_refused_at_the_root() -> None:
    found = problems(b'{"contractor": "\x80"}', encoding="gb18030")
    assert list(found) == ["$"] and "gb18030" in found["$"] and "offset 16" in found["$"]


def test_a_declared_utf8_is_honoured_where_json_would_guess_another_encoding() -> None:
    # Bytes starting with NUL look like UTF-16 to json.detect_encoding; declared UTF-8, they are not.
    found = problems(b'\x00{"a": 1}', encoding="utf8")
    assert list(found) == ["$"] and "not valid JSON" in found["$"]
    found = problems(b'\x00{"a": 1}')
    assert list(found) == ["$"] and "utf-16" in found["$"]


@pytest.mark.parametrize("encoding", ["no-such-codec", "base64", "a\x00b"])
def test_an_unknown_or_non_text_encoding_is_an_input_problem(encoding: str) -> None:
    found = problems(b"{}", encoding=encoding)
    assert list(found) == ["$"]


def test_an_encoding_for_a_str_is_a_caller_error() -> None:
    with pytest.raises(TypeError, match="bytes"):
        swp.loads("{}", swp.Case, encoding="gb18030")


def test_messages_quote_a_bounded_prefix_of_the_value() -> None:
    long = "长" * 10_000
    for text in (
        with_contractor(legal_form=long),
        with_contractor(uscc="9" * 10_000),
        with_contractor(non_profit=long),
        json.dumps({"contract": {"signed_on": long}}),
    ):
        for message in problems(text).values():
            assert len(message) < 400, message
            assert "…" in message


def test_many_unknown_fields_are_counted_not_all_listed() -> None:
    found = problems(json.dumps({f"field_{i:03}": i for i in range(500)}))
    assert found["$"].startswith("unknown field(s): field_000, field_001") and "490 more" in found["$"]
    assert len(found["$"]) < 300


def test_bad_json_is_refused_at_the_root() -> None:
    for text in ("", "{", '{"contract": }', "[1,]", '{"a":1}x', "\x00"):
        assert list(problems(text)) == ["$"]


def test_parse_json_applies_the_checks_that_need_no_type() -> None:
    assert conv.parse_json(b'\xef\xbb\xbf{"a": [1, "x"]}') == {"a": [1, "x"]}
    assert conv.parse_json("\ufeff{}") == {}
    assert conv.parse_json('{"a": "厦门"}'.encode("gb18030"), encoding="gb18030") == {"a": "厦门"}
    with pytest.raises(swp.InvalidInput) as info:
        conv.parse_json('{"command": "x", "command": "y"}')
    assert [str(p) for p in info.value.problems] == ["$.command: duplicate key: the object gives it 2 times"]
    with pytest.raises(swp.InvalidInput, match="nested more than 64"):
        conv.parse_json("[" * 10_000)
    with pytest.raises(swp.InvalidInput) as info:
        swp.structure(conv.parse_json('{"contractor": {"name": "x", "legal_form": "foundation", "staff": {"full_time": ' + "9" * 5000 + "}}}"), swp.Case)
    assert [p.path for p in info.value.problems] == ["$.contractor.staff.full_time"]


# -- the fast path --------------------------------------------------------------------------------


@needs_msgspec
def test_the_fast_path_takes_the_example() -> None:
    assert conv._fast is not None
    assert conv._fast.loads(EXAMPLE_TEXT.encode(), swp.Case) == strict(EXAMPLE_TEXT)
    assert conv._fast.loads(EXAMPLE_TEXT, swp.Case) == strict(EXAMPLE_TEXT)


@needs_msgspec
@pytest.mark.parametrize(
    "text",
    [
        '{"contract":{"amount":"5000000.00","amount":"0.01"}}',  # duplicate key: msgspec keeps the last
        '{"contract":{"subject_matter":"a:b","subject_matter":"c"}}',  # a duplicate whose colons differ
        '{"contract":{"amount":1500.5}}',  # a float for money
        '{"contract":{"amount":"1e5"}}',
        '{"contract":{"amount":" 5"}}',
        '{"contract":{"amount":"1.555"}}',
        '{"contractor":{"name":"x","legal_form":"foundation","staff":{"full_time":true}}}',  # bool as int
        '{"contractor":{"name":"x","legal_form":"foundation","staff":{"full_time":' + "9" * 30 + "}}}",
        '{"contractor":{"name":"x","legal_form":"foundation","grade":"A3"}}',  # extra key
        '{"owner":1}',
        '{"contractor":{"name":" ","legal_form":"foundation"}}',  # a validator
        '{"contractor":{"name":"x","legal_form":"foundation","uscc":"123"}}',
        '{"contract":{"stated_terms":["scope","scope"]}}',  # a set that repeats an item
        '{"contract":{"signed_on":"2015-02-30"}}',
        '{"contractor":{"name":"\\ud800","legal_form":"foundation"}}',
        '{"contract":{"service_period":{"start":"2015-03-01","end":"2015-01-01"}}}',
    ],
)
def test_the_fast_path_declines_what_the_strict_path_refuses(text: str) -> None:
    assert conv._fast is not None
    for data in (text, text.encode("utf-8", "surrogatepass")):
        assert conv._fast.loads(data, swp.Case) is conv._MISS
    with pytest.raises(swp.InvalidInput):
        strict(text)


@needs_msgspec
def test_the_fast_path_runs_attrs_converters() -> None:
    text = with_contractor(uscc="９１３５０１００-Ｍ０００１００Ｙ４３")
    assert conv._fast is not None
    fast = conv._fast.loads(text, swp.Case)
    assert fast == strict(text)
    assert isinstance(fast, swp.Case) and fast.contractor is not None and fast.contractor.uscc == "91350100M000100Y43"


@needs_msgspec
def test_an_escaped_colon_sends_the_input_to_the_strict_path() -> None:
    # The duplicate-key count cannot see a colon written as an escape; such text is not guessed at.
    text = json.dumps({"contract": {"subject_matter": "a\\u003ab"}}).replace("\\\\u003a", "\\u003a")
    assert conv._fast is not None and conv._fast.loads(text, swp.Case) is conv._MISS
    case = swp.loads(text, swp.Case)
    assert case.contract is not None and case.contract.subject_matter == "a:b"


@needs_msgspec
@given(sst.cases(), st.booleans(), st.booleans())
def test_fast_and_strict_paths_agree_on_valid_cases(case: swp.Case, as_bytes: bool, ascii_only: bool) -> None:
    text = json.dumps(swp.unstructure(case), ensure_ascii=ascii_only)
    data: str | bytes = text.encode() if as_bytes else text
    assert conv._fast is not None
    fast = conv._fast.loads(data, swp.Case)
    assert fast is not conv._MISS or "\\u003a" in text.lower()
    assert strict(data) == case
    if fast is not conv._MISS:
        assert fast == case


def test_without_msgspec_there_is_no_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_module(name: str) -> None:
        raise ImportError(name)

    monkeypatch.setattr(conv.importlib, "import_module", no_module)
    assert conv._load_fast_path() is None
    assert conv._load(EXAMPLE_TEXT.encode(), swp.Case, encoding=None, fast=None) == swp.loads(EXAMPLE_TEXT, swp.Case)


@attrs.frozen
class Tagged:
    tags: dict[str, int]


@attrs.frozen
class Tree:
    name: str
    children: tuple[Tree, ...] = ()


@needs_msgspec
def test_types_the_fast_path_does_not_mirror_take_the_strict_path() -> None:
    assert conv._fast is not None
    assert conv._fast.loads('{"tags": {"a": 1}}', Tagged) is conv._MISS  # no mirror for dict
    assert conv._fast.loads('{"name": "a", "children": []}', Tree) is conv._MISS  # recursive
    assert conv._fast.loads("[]", list) is conv._MISS  # not an attrs class
    assert swp.loads('{"name": "a", "children": [{"name": "b"}]}', Tree) == Tree("a", (Tree("b"),))


# -- fuzzing --------------------------------------------------------------------------------------


class Raw:
    """Text emitted verbatim by :func:`dump` (numbers too big for ``str(int)``, say)."""

    def __init__(self, text: str) -> None:
        self.text = text


class Repeated:
    """An object emitted with one key given twice (``json.dumps`` cannot write that)."""

    def __init__(self, obj: dict[str, Any], key: str, first: Any) -> None:
        self.obj, self.key, self.first = obj, key, first


def dump(value: Any, ensure_ascii: bool) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Repeated):
        pairs = [(value.key, value.first), *value.obj.items()]
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=ensure_ascii)}:{dump(v, ensure_ascii)}" for k, v in pairs) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=ensure_ascii)}:{dump(v, ensure_ascii)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v, ensure_ascii) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ensure_ascii)


def plain(value: Any) -> Any:
    """What a standard JSON parser reads from ``dump(value)`` (the last duplicate wins)."""
    if isinstance(value, Raw):
        return json.loads(value.text, parse_int=lambda s: Raw(s) if len(s) > 1000 else int(s))
    if isinstance(value, Repeated):
        return {k: plain(v) for k, v in value.obj.items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def has_repeated(value: Any) -> bool:
    if isinstance(value, Repeated):
        return True
    if isinstance(value, dict):
        return any(has_repeated(v) for v in value.values())
    if isinstance(value, list):
        return any(has_repeated(v) for v in value)
    return False


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``value`` (dict keys and list indexes), the root included."""
    found = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            found += places(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += places(v, (*path, i))
    return found


def at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.decimals(places=3).map(str),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
huge_numbers = st.sampled_from(
    [
        Raw("9" * 5000),
        Raw("-" + "9" * 5000),
        Raw("1e400"),
        Raw("-1e400"),
        Raw("0." + "0" * 5000 + "1"),
        Raw(str(conv.MAX_INTEGER + 1)),
        Raw(json.dumps("9" * 100_000)),
        Raw(json.dumps("0." + "0" * 100 + "1")),
        Raw("NaN"),
        Raw("Infinity"),
    ]
)
STRUCTURAL = ["delete", "replace", "extra", "deep", "huge", "surrogate", "wrong type"]


@st.composite
def mutated_cases(draw: st.DrawFn) -> tuple[str | bytes, dict[str, Any], bool]:
    """A mutated example: the input, ``loads`` keyword arguments, and whether it must be refused."""
    data: Any = copy.deepcopy(CASE)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(STRUCTURAL))
        candidates = places(data)
        if kind == "surrogate":
            candidates = [p for p in candidates if isinstance(at(data, p), str)] or candidates
        path = draw(st.sampled_from(candidates))
        if not path:
            if kind in ("replace", "wrong type"):
                data = draw(json_values)
            continue
        parent, last = at(data, path[:-1]), path[-1]
        if kind == "delete":
            del parent[last]
        elif kind in ("replace", "wrong type"):
            parent[last] = draw(json_values if kind == "replace" else st.sampled_from([[], {}, "x", 7, 1.5, True, None]))
        elif kind == "extra" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(json_values)
        elif kind == "deep":
            # Past the limit, and far past what ``json`` survives without RecursionError.
            levels = draw(st.integers(1, 3 * conv.MAX_DEPTH) | st.just(100_000))
            inner = dump(parent[last], ensure_ascii=True)
            parent[last] = Raw(nested(levels, inner) if draw(st.booleans()) else '{"a":' * levels + inner + "}" * levels)
        elif kind == "huge":
            parent[last] = draw(huge_numbers)
        elif kind == "surrogate" and isinstance(parent[last], str):
            cut = draw(st.integers(0, len(parent[last])))
            parent[last] = parent[last][:cut] + chr(draw(st.integers(0xD800, 0xDFFF))) + parent[last][cut:]
    objects = [p for p in places(data) if isinstance(at(data, p), dict) and at(data, p)]
    if objects and draw(st.booleans()):
        path = draw(st.sampled_from(objects))
        obj = at(data, path)
        repeated = Repeated(obj, draw(st.sampled_from(sorted(obj))), draw(json_values))
        if path:
            at(data, path[:-1])[path[-1]] = repeated
        else:
            data = repeated
    ensure_ascii = draw(st.booleans())
    text = dump(data, ensure_ascii)
    # The published schema is looser than the converter: what it refuses, loads must refuse.
    must_refuse = has_repeated(data) or _raw_depth(data) > conv.MAX_DEPTH or not _schema_valid(data)
    surrogate = _holds_lone_surrogate(text)
    text_kind = draw(st.sampled_from(["none", "bom", "truncate", "random bytes", "gb18030", "undeclared gb18030"]))
    kwargs: dict[str, Any] = {}
    raw: str | bytes = text
    if text_kind == "bom":
        raw = "\ufeff" + text if draw(st.booleans()) else codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    elif text_kind == "truncate":
        stripped = text.strip()
        raw = stripped[: draw(st.integers(0, len(stripped) - 1))]
        must_refuse = True
    elif text_kind == "random bytes":
        encoded = bytearray(text.encode("utf-8", "surrogatepass"))
        for _ in range(draw(st.integers(1, 4))):
            encoded[draw(st.integers(0, len(encoded) - 1))] = draw(st.integers(0, 255))
        raw = bytes(encoded)
        must_refuse = False  # no oracle: only the error contract
    elif text_kind in ("gb18030", "undeclared gb18030"):
        # GB18030 has no lone surrogates: "?" stands in for them, which changes no refusal above.
        raw = text.encode("gb18030", "replace")
        if text_kind == "gb18030":
            kwargs["encoding"] = "gb18030"
    elif draw(st.booleans()):
        raw = text.encode("utf-8", "surrogatepass")
    if text_kind in ("none", "bom"):
        must_refuse = must_refuse or surrogate  # no field, known key or enum value holds one
    return raw, kwargs, must_refuse


def _raw_depth(value: Any) -> int:
    if isinstance(value, Raw):
        return _text_depth(value.text)
    if isinstance(value, Repeated):
        return max(_raw_depth(value.obj), 1 + _raw_depth(value.first))
    if isinstance(value, dict):
        return 1 + max((_raw_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_raw_depth(v) for v in value), default=0)
    return 0


def _text_depth(text: str) -> int:
    level = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            level += 1
            deepest = max(deepest, level)
        elif ch in "]}":
            level -= 1
    return deepest


def _holds_lone_surrogate(text: str) -> bool:
    try:
        value = json.loads(text, parse_int=lambda _: 0)
    except (ValueError, RecursionError):
        return False  # no oracle; such text is refused for its depth or syntax anyway
    return _any_text(value, lambda s: any(0xD800 <= ord(c) <= 0xDFFF for c in s))


def _any_text(value: Any, test: Callable[[str], bool]) -> bool:
    if isinstance(value, str):
        return test(value)
    if isinstance(value, dict):
        return any(test(k) or _any_text(v, test) for k, v in value.items())
    if isinstance(value, list):
        return any(_any_text(v, test) for v in value)
    return False


def _schema_valid(data: Any) -> bool:
    try:
        value = plain(data)
    except (ValueError, RecursionError):
        return True  # not plain JSON data: no schema oracle
    if _contains(value, Raw):
        return True
    return bool(SCHEMA.is_valid(value))


def _contains(value: Any, kind: type) -> bool:
    if isinstance(value, kind):
        return True
    if isinstance(value, dict):
        return any(_contains(v, kind) for v in value.values())
    if isinstance(value, list):
        return any(_contains(v, kind) for v in value)
    return False


def outcome(load: Callable[[], swp.Case]) -> swp.Case | tuple[swp.InputProblem, ...]:
    """The value, or the problems; anything else propagates."""
    try:
        return load()
    except swp.InvalidInput as exc:
        return exc.problems


def classify(raw: str | bytes, kwargs: dict[str, Any], must_refuse: bool) -> str:
    """A few words for what ``loads`` did with a fuzzed input; only "refused" and "accepted" are right."""
    try:
        result = outcome(lambda: swp.loads(raw, swp.Case, **kwargs))
    except Exception as exc:
        return f"uncaught {type(exc).__name__}"
    if isinstance(result, tuple):
        if not result or any(not p.path.startswith("$") for p in result):
            return "problem without a path"
        if any(len(p.message) > 1000 or len(p.path) > 5000 for p in result):
            return "unbounded message"
    if outcome(lambda: strict(raw, **kwargs)) != result:
        return "fast and strict disagree"
    if isinstance(result, tuple):
        return "refused"
    if must_refuse:
        return "accepted but must be refused"
    again = swp.loads(json.dumps(swp.unstructure(result), ensure_ascii=False), swp.Case)
    return "accepted" if again == result else "accepted but does not round-trip"


FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much], deadline=None)


@FUZZ
@given(mutated_cases())
def test_loads_raises_only_invalid_input_on_mutated_cases(mutation: tuple[str | bytes, dict[str, Any], bool]) -> None:
    assert classify(*mutation) in ("refused", "accepted")


@pytest.mark.slow
@settings(FUZZ, max_examples=2000)
@given(mutated_cases())
def test_loads_fuzz_long(mutation: tuple[str | bytes, dict[str, Any], bool]) -> None:
    assert classify(*mutation) in ("refused", "accepted")


def test_the_fuzzer_reaches_every_outcome_it_should() -> None:
    # The fuzzer must produce both refusals and acceptances, or its assertions prove little.
    seen: Counter[str] = Counter()

    @settings(FUZZ, max_examples=60, database=None)
    @given(mutated_cases())
    def record(mutation: tuple[str | bytes, dict[str, Any], bool]) -> None:
        seen[classify(*mutation)] += 1

    record()
    assert seen["refused"] and seen["accepted"], seen


def main(examples: int) -> None:
    """Print the figures of a fuzz run of ``examples`` inputs."""
    seen: Counter[str] = Counter()
    bound = 0

    @settings(FUZZ, max_examples=examples, database=None)
    @given(mutated_cases())
    def record(mutation: tuple[str | bytes, dict[str, Any], bool]) -> None:
        nonlocal bound
        seen[classify(*mutation)] += 1
        bound += mutation[2]

    record()
    print(f"inputs tried: {sum(seen.values())} ({bound} of them known to need refusing)")
    for word, count in sorted(seen.items()):
        print(f"  {word}: {count}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
