"""The converter's fast paths (issue 10) against the paths they stand in for.

- Decoding: the msgspec fast path builds our attrs objects itself, running only the validators
  its types do not prove. On valid generated cases (with any text in their text fields) it gives
  what the strict path gives; on generated cases made invalid (values replaced by random JSON,
  keys deleted, added or repeated, our own validators broken) it never accepts what the strict
  path refuses, nor gives a different value for what it accepts.
- Encoding: the generated unstructure functions give exactly what cattrs' own give (the same
  JSON text, key order and set order included) on every public type, every golden event and
  classes of shapes the library does not use; ``dumps`` writes the same bytes with msgspec's
  encoder as with the standard library's.
- Without msgspec everything works: a fresh interpreter where ``import msgspec`` fails decodes,
  refuses and encodes the same.
"""

from __future__ import annotations

import enum
import importlib
import json
import subprocess
import sys
import textwrap
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._events import EVENT_TYPES, decode_event
from socialwork_procurement.model import _converter as conv
from socialwork_procurement.testing import strategies as sst

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "xiamen-case.json"
EVENTS = ROOT / "tests" / "data" / "events"
CATTRS_OWN = conv.make_converter(generated_unstructure=False)
"""A converter with cattrs' own unstructure functions: what the generated ones must equal."""

needs_msgspec = pytest.mark.skipif(conv._fast is None, reason="msgspec (the `fast` extra) is not installed")
MUTATING = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)

PUBLIC_DATA_TYPES = [
    swp.Case,
    swp.CertifiedStaff,
    swp.Contract,
    swp.Contractor,
    swp.Evaluation,
    swp.Governance,
    swp.Installment,
    swp.Planning,
    swp.Purchaser,
    swp.ServicePeriod,
    swp.Staff,
]


def strict(data: str | bytes, cl: type = swp.Case) -> Any:
    return conv._load(data, cl, encoding=None, fast=None)


def fast(data: str | bytes, cl: type = swp.Case) -> Any:
    assert conv._fast is not None
    return conv._fast.loads(data, cl)


def outcome(data: str | bytes, cl: type = swp.Case) -> Any:
    """What the strict path does with ``data``: the value, or the paths of its problems."""
    try:
        return strict(data, cl)
    except swp.InvalidInput as exc:
        return tuple(p.path for p in exc.problems)


# -- valid cases, any text ------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=16)


def reword(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with any text in its text fields (colons, quotes, escapes, any script), where valid."""
    if isinstance(value, tuple):
        return tuple(reword(draw, item) for item in value)
    if not attrs.has(type(value)):
        return value
    changes: dict[str, Any] = {}
    for f in attrs.fields(attrs.resolve_types(type(value))):
        current = getattr(value, f.name)
        if f.type in (str, str | None) and f.converter is None and draw(st.booleans()):
            changes[f.name] = draw(TEXT if f.type is str else st.none() | TEXT)
        else:
            changes[f.name] = reword(draw, current)
    try:
        return attrs.evolve(value, **changes)
    except (ValueError, TypeError):  # a validator refused the text (an empty name): keep the old value
        return attrs.evolve(value, **{k: v for k, v in changes.items() if attrs.has(type(v)) or isinstance(v, tuple)})


@st.composite
def worded_cases(draw: st.DrawFn) -> swp.Case:
    case: swp.Case = reword(draw, draw(sst.cases()))
    return case


@needs_msgspec
@given(worded_cases(), st.booleans(), st.booleans())
def test_the_fast_path_gives_what_the_strict_path_gives_on_valid_cases(
    case: swp.Case, as_bytes: bool, ascii_only: bool
) -> None:
    text = json.dumps(swp.unstructure(case), ensure_ascii=ascii_only)
    data: str | bytes = text.encode() if as_bytes else text
    assert strict(data) == case
    value = fast(data)
    if value is conv._MISS:
        # The one valid input it declines: an escaped colon, which its duplicate-key count cannot see.
        assert "\\u003a" in text.lower()
    else:
        assert value == case and type(value) is swp.Case


# -- invalid cases: the fast path never accepts what the strict path refuses ----------------------


class Twice:
    """An object written with its key ``key`` given twice, ``first`` the first time."""

    def __init__(self, obj: dict[str, Any], key: str, first: Any) -> None:
        self.obj, self.key, self.first = obj, key, first


def dump(value: Any, ascii_only: bool) -> str:
    if isinstance(value, Twice):
        pairs = [(value.key, value.first), *value.obj.items()]
    elif isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list):
        return "[" + ",".join(dump(v, ascii_only) for v in value) + "]"
    else:
        return json.dumps(value, ensure_ascii=ascii_only)
    return "{" + ",".join(f"{json.dumps(k, ensure_ascii=ascii_only)}:{dump(v, ascii_only)}" for k, v in pairs) + "}"


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
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


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([-1, 0, 2**63, -(2**63), 10**30])
    | st.floats()
    | TEXT
    | st.sampled_from(["1.555", "-0.01", "1e5", " 5", "0.001", "2015-02-30", "2015-3-01", "A3", "SCOPE", ""])
    | st.decimals(places=3).map(str),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def broken_cases(draw: st.DrawFn) -> tuple[str | bytes, Any]:
    """A generated case's JSON with one to three changes; most make it invalid, some do not."""
    data: Any = swp.unstructure(draw(sst.cases()))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places(data)))
        kind = draw(st.sampled_from(["replace", "delete", "extra", "same type", "repeat"]))
        if not path:
            if kind == "replace":
                data = draw(JSON_VALUES)
            continue
        parent, last = at(data, path[:-1]), path[-1]
        if isinstance(parent, Twice):
            continue
        if kind == "replace":
            parent[last] = draw(JSON_VALUES)
        elif kind == "delete":
            del parent[last]
        elif kind == "extra" and isinstance(parent, dict):
            parent[draw(TEXT)] = draw(JSON_VALUES)
        elif kind == "same type":
            # A value of the type the field holds, so that msgspec takes it and our checks decide.
            old = parent[last]
            if isinstance(old, bool):
                parent[last] = not old
            elif isinstance(old, int):
                parent[last] = draw(st.integers(-3, 3) | st.sampled_from([conv.MAX_INTEGER, conv.MAX_INTEGER + 1]))
            elif isinstance(old, str):
                parent[last] = draw(TEXT | st.sampled_from([old.upper(), old + ".001", "-" + old, old[:-1]]))
            elif isinstance(old, list) and old:
                parent[last] = [*old, draw(st.sampled_from(old))]
        elif kind == "repeat" and isinstance(parent, dict) and isinstance(parent[last], dict) and parent[last]:
            obj = parent[last]
            parent[last] = Twice(obj, draw(st.sampled_from(sorted(obj))), draw(JSON_VALUES))
    text = dump(data, draw(st.booleans()))
    return (text.encode() if draw(st.booleans()) else text), data


@needs_msgspec
@MUTATING
@given(broken_cases())
def test_the_fast_path_never_accepts_what_the_strict_path_refuses(broken: tuple[str | bytes, Any]) -> None:
    data, _ = broken
    decided = outcome(data)
    value = fast(data)
    if isinstance(decided, tuple):
        assert value is conv._MISS, decided
    else:
        assert value is conv._MISS or (value == decided and type(value) is type(decided))


def part(data: dict[str, Any], key: str, default: dict[str, Any]) -> dict[str, Any]:
    """``data[key]``, first set to ``default`` when the case has no such part."""
    if not isinstance(data.get(key), dict):
        data[key] = default
    found: dict[str, Any] = data[key]
    return found


DATE_LIKE = (
    st.text(st.sampled_from("0123456789-+:TZ ./\u0660\uff10"), max_size=12)
    | st.dates().map(date.isoformat)
    | st.sampled_from(["2016-02-29", "2015-02-29", "0000-01-01", "9999-12-31", "2015-13-01", "2015-01-32", "2015-1-1"])
)


@needs_msgspec
@given(DATE_LIKE)
def test_msgspec_reads_a_date_only_where_the_strict_path_does(text: str) -> None:
    # The fast path lets msgspec read dates: it must take exactly the strict "YYYY-MM-DD".
    data = json.dumps({"contract": {"signed_on": text}})
    decided, value = outcome(data), fast(data)
    if isinstance(decided, tuple):
        assert value is conv._MISS
    else:
        assert value == decided


@needs_msgspec
@pytest.mark.parametrize(
    "number",
    [0, 7, conv.MAX_INTEGER, conv.MAX_INTEGER + 1, -1, -conv.MAX_INTEGER, -conv.MAX_INTEGER - 1, 10**30, 10**400, "1.0", "1e2", "-0"],
)
def test_whole_numbers_are_bounded_alike(number: int | str) -> None:
    for text in (
        f'{{"contractor":{{"name":"x","legal_form":"foundation","staff":{{"full_time":{number}}}}}}}',
        f'{{"contract":{{"amount":{number}}}}}',
    ):
        decided, value = outcome(text), fast(text)
        if isinstance(decided, tuple):
            assert value is conv._MISS
        else:
            assert value == decided


# Each breaks one of our own validators (the ones the fast path must run itself), on any case.
def _bad_uscc(data: dict[str, Any], draw: st.DrawFn) -> str:
    code = draw(sst.uscc_codes())
    wrong = draw(st.sampled_from([c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[-1]]))
    part(data, "contractor", {"name": "x", "legal_form": "foundation"})["uscc"] = code[:-1] + wrong
    return "$.contractor.uscc"


def _amount_finer_than_fen(data: dict[str, Any], draw: st.DrawFn) -> str:
    part(data, "contract", {})["amount"] = draw(st.sampled_from(["0.001", "12.345", "1.0001"]))
    return "$.contract.amount"


def _negative_amount(data: dict[str, Any], draw: st.DrawFn) -> str:
    part(data, "planning", {})["budget"] = draw(st.sampled_from(["-1", "-0.01", -5]))
    return "$.planning.budget"


def _negative_count(data: dict[str, Any], draw: st.DrawFn) -> str:
    staff = part(part(data, "contractor", {"name": "x", "legal_form": "foundation"}), "staff", {})
    staff["full_time"] = draw(st.integers(max_value=-1))
    return "$.contractor.staff.full_time"


def _grade_date_without_grade(data: dict[str, Any], draw: st.DrawFn) -> str:
    contractor = part(data, "contractor", {"name": "x", "legal_form": "foundation"})
    contractor["evaluation_grade"] = None
    contractor["grade_awarded_on"] = draw(sst.dates()).isoformat()
    return "$.contractor.grade_awarded_on"


def _period_ends_before_it_starts(data: dict[str, Any], draw: st.DrawFn) -> str:
    start = draw(sst.dates(min_value=date(2011, 1, 1)))
    end = draw(sst.dates(max_value=start.replace(day=1) if start.day > 1 else date(2010, 12, 31)))
    part(data, "contract", {})["service_period"] = {"start": start.isoformat(), "end": end.isoformat()}
    return "$.contract.service_period.end"


def _installments_over_the_amount(data: dict[str, Any], draw: st.DrawFn) -> str:
    contract = part(data, "contract", {})
    contract["amount"] = "100.00"
    contract["installments"] = [{"due": "2016-01-01", "amount": "60.00"}, {"due": "2016-06-01", "amount": "40.01"}]
    return "$.contract.installments"


def _score_over_100(data: dict[str, Any], draw: st.DrawFn) -> str:
    evaluation = {"stage": "final_evaluation", "evaluator": "x", "evaluator_role": "third_party", "date": "2016-01-01"}
    data["evaluations"] = [{**evaluation, "score": draw(st.sampled_from(["100.01", "101", 1000]))}]
    return "$.evaluations[0].score"


def _blank_name(data: dict[str, Any], draw: st.DrawFn) -> str:
    purchaser = data.get("purchaser") or {"kind": "street_office"}
    data["purchaser"] = {**purchaser, "name": draw(st.sampled_from(["", " ", "\u3000", "\t\n"]))}
    return "$.purchaser.name"


def _repeated_item(data: dict[str, Any], draw: st.DrawFn) -> str:
    part(data, "contract", {})["service_domains"] = ["community", "elderly_care", "community"]
    return "$.contract.service_domains"


def _attested_twice(data: dict[str, Any], draw: st.DrawFn) -> str:
    attestation = {"condition": "ningxia.contractor.specific_conditions", "attested_by": "x", "basis": "y", "date": "2016-01-01"}
    data["attestations"] = [attestation, {**attestation, "basis": "z"}]
    return "$.attestations"


BREAKS = [
    _bad_uscc,
    _amount_finer_than_fen,
    _negative_amount,
    _negative_count,
    _grade_date_without_grade,
    _period_ends_before_it_starts,
    _installments_over_the_amount,
    _score_over_100,
    _blank_name,
    _repeated_item,
    _attested_twice,
]


@needs_msgspec
@pytest.mark.parametrize("breaking", BREAKS, ids=lambda f: f.__name__.strip("_"))
@settings(max_examples=max(10, settings.default.max_examples // 4))  # eleven of them: a quarter each
@given(data=st.data())
def test_the_fast_path_runs_our_own_validators(breaking: Any, data: st.DataObject) -> None:
    plain = swp.unstructure(data.draw(sst.cases()))
    path = breaking(plain, data.draw)
    text = json.dumps(plain, ensure_ascii=False)
    assert path in outcome(text)
    assert fast(text) is conv._MISS
    assert fast(text.encode()) is conv._MISS


def test_the_fast_path_leaves_out_only_attrs_type_checks() -> None:
    # Every validator that is not attrs' own instance_of / optional / deep_iterable (ours) runs.
    attrs_own = (conv._INSTANCE_OF, conv._OPTIONAL, conv._DEEP_ITERABLE)
    for cl in PUBLIC_DATA_TYPES:
        for f in attrs.fields(attrs.resolve_types(cl)):
            kept = conv._kept_validators(f)
            ours = [p for p in conv._parts(f.validator) if not isinstance(p, attrs_own)]
            assert all(any(k is p for k in kept) for p in ours), (cl.__name__, f.name)
            if f.converter is not None:  # after a converter the types prove nothing
                assert len(kept) == len(conv._parts(f.validator))


@needs_msgspec
def test_the_fast_path_declines_while_attrs_validators_are_switched_off() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    with attrs.validators.disabled():
        assert fast(text) is conv._MISS
    assert fast(text) == strict(text)


def _stripped(value: str) -> str:
    return value.strip()


@attrs.frozen
class Inner:
    code: str = attrs.field(converter=_stripped)


@attrs.frozen
class PostInit:
    """A class whose ``__init__`` does more than set its fields: the fast path calls it."""

    count: int = attrs.field(validator=attrs.validators.ge(0))
    label: str = attrs.field(default=attrs.Factory(lambda self: f"n{self.count}", takes_self=True))
    inner: Inner | None = None

    def __attrs_post_init__(self) -> None:
        if self.label == "bad":
            raise ValueError("a bad label")


@attrs.define(slots=False)
class Mutable:
    """A class that is neither frozen nor slotted (its fields live in ``__dict__``)."""

    name: str
    tags: frozenset[str] = frozenset()
    when: date | None = None


def test_the_fast_path_builds_plain_classes_itself_and_calls_the_others() -> None:
    assert all(conv._plain_init(cl) for cl in PUBLIC_DATA_TYPES)
    assert conv._plain_init(Mutable) and conv._plain_init(Inner)
    assert not conv._plain_init(PostInit)


@needs_msgspec
@pytest.mark.parametrize(
    ("cl", "text"),
    [
        (PostInit, '{"count": 3}'),
        (PostInit, '{"count": 3, "label": "x", "inner": {"code": " a "}}'),
        (PostInit, '{"count": -1}'),
        (PostInit, '{"count": 3, "label": "bad"}'),
        (PostInit, '{"count": 3, "inner": {"code": 1}}'),
        (Mutable, '{"name": "a:b", "tags": ["x", "y:z"], "when": "2016-02-29"}'),
        (Mutable, '{"name": "a", "tags": ["x", "x"]}'),
        (Mutable, '{"name": "a", "name": "b"}'),
    ],
)
def test_classes_of_other_shapes_give_what_the_strict_path_gives(cl: type, text: str) -> None:
    decided = outcome(text, cl)
    value = fast(text, cl)
    if isinstance(decided, tuple):
        assert value is conv._MISS
    else:
        assert value == decided and type(value) is cl


# -- encoding ---------------------------------------------------------------------------------------


def same_as_cattrs(value: Any) -> None:
    ours, theirs = conv.unstructure(value), CATTRS_OWN.unstructure(value)
    assert ours == theirs
    # The same text: key order, set order and every value's JSON type.
    assert json.dumps(ours, ensure_ascii=False, default=repr) == json.dumps(theirs, ensure_ascii=False, default=repr)


@pytest.mark.parametrize("cl", PUBLIC_DATA_TYPES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_the_generated_unstructure_gives_what_cattrs_gives(cl: type, data: st.DataObject) -> None:
    same_as_cattrs(data.draw(st.from_type(cl)))


@given(worded_cases())
def test_the_generated_unstructure_gives_what_cattrs_gives_on_any_text(case: swp.Case) -> None:
    same_as_cattrs(case)


@pytest.mark.parametrize("fixture", sorted(p.name for p in EVENTS.glob("*.json")))
def test_the_generated_unstructure_gives_what_cattrs_gives_on_every_golden_event(fixture: str) -> None:
    stored = json.loads((EVENTS / fixture).read_text(encoding="utf-8"))
    for entry in stored if isinstance(stored, list) else [stored]:  # one event, or a whole history
        event = decode_event(entry["event_type"], entry["schema_version"], entry["payload"])
        assert type(event) is EVENT_TYPES[entry["event_type"]]
        same_as_cattrs(event)


class Colour(str, enum.Enum):  # noqa: UP042 - a mixin enum, unlike the library's StrEnums
    RED = "red"
    BLUE = "blue"


@attrs.frozen
class Tree:
    name: str
    children: tuple[Tree, ...] = ()
    parent: Tree | None = None


@attrs.frozen
class Odd:
    """Shapes the library's types do not have: each must still come out as cattrs writes it."""

    stamp: datetime
    mapping: dict[str, int]
    listed: list[Colour]
    texts: frozenset[str]
    colours: frozenset[Colour]
    mixed: tuple[Colour | None, ...]
    pair: tuple[int, str]
    anything: Any
    either: int | str
    _private: int = 0
    amount: Decimal | None = None


@attrs.frozen
class NotInInit:
    """cattrs leaves a field outside ``__init__`` out; such a class keeps cattrs' own function."""

    shown: int
    hidden: int = attrs.field(default=5, init=False)


@given(
    st.builds(
        Odd,
        stamp=st.datetimes(),
        mapping=st.dictionaries(TEXT, st.integers()),
        listed=st.lists(st.sampled_from(Colour)),
        texts=st.frozensets(TEXT),
        colours=st.frozensets(st.sampled_from(Colour)) | st.frozensets(st.sampled_from(["red", "blue"])),
        mixed=st.lists(st.none() | st.sampled_from(Colour)).map(tuple),
        pair=st.tuples(st.integers(), TEXT),
        anything=JSON_VALUES,
        either=st.integers() | TEXT,
        private=st.integers(),
        amount=st.none() | st.decimals(allow_nan=False, allow_infinity=False),
    )
)
def test_classes_of_other_shapes_unstructure_as_cattrs_does(value: Odd) -> None:
    same_as_cattrs(value)


def test_a_field_outside_init_is_left_out_as_cattrs_does() -> None:
    same_as_cattrs(NotInInit(3))
    assert conv.unstructure(NotInInit(3)) == {"shown": 3}


def test_recursive_classes_unstructure_as_cattrs_does() -> None:
    tree = Tree("a", (Tree("b"), Tree("c", (Tree("d"),))), parent=Tree("root"))
    same_as_cattrs(tree)
    assert conv.unstructure(tree)["children"][1]["children"][0]["name"] == "d"


def test_a_set_of_equal_text_keeps_the_general_order() -> None:
    # Plain strings in a set of enum members (only possible by building one without validators).
    with attrs.validators.disabled():
        terms: frozenset[Any] = frozenset({"scope", swp.ContractTerm.PRICE})
        contract = attrs.evolve(swp.Contract(), stated_terms=terms)
    same_as_cattrs(contract)


@given(worded_cases())
def test_dumps_writes_what_loads_reads_back(case: swp.Case) -> None:
    raw = conv.dumps(case)
    assert raw == conv._json_bytes(swp.unstructure(case))  # msgspec's bytes, if installed, are json's
    assert swp.loads(raw, swp.Case) == case


JSON_WITHOUT_FLOATS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from([2**64, -(2**63) - 1, 10**40]) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10,
)


@needs_msgspec
@given(JSON_WITHOUT_FLOATS)
def test_msgspec_writes_the_bytes_json_writes(value: Any) -> None:
    # What unstructure gives holds no floats (money and scores are decimal text).
    assert conv._encode is not conv._json_bytes
    assert conv._encode(value) == conv._json_bytes(value)


def test_dumps_refuses_a_lone_surrogate_either_way() -> None:
    purchaser = swp.Purchaser(name="a\ud800", kind=swp.PurchaserKind.OTHER)
    with pytest.raises(UnicodeEncodeError):
        conv.dumps(purchaser)
    with pytest.raises(UnicodeEncodeError):
        conv._json_bytes(swp.unstructure(purchaser))


# -- without msgspec --------------------------------------------------------------------------------

WITHOUT_MSGSPEC = """
import json, sys
sys.modules["msgspec"] = None  # `import msgspec` now raises ImportError, as if it were not installed
import socialwork_procurement as swp
from socialwork_procurement.model import _converter as conv
assert conv._fast is None and conv._encode is conv._json_bytes
text = open(sys.argv[1], encoding="utf-8").read()
case = swp.loads(text, swp.Case)
refused = {}
for bad in sys.argv[2:]:
    try:
        swp.loads(bad, swp.Case)
    except swp.InvalidInput as exc:
        refused[bad] = [[p.path, p.message] for p in exc.problems]
print(json.dumps({"case": swp.unstructure(case), "dumps": conv.dumps(case).decode(), "refused": refused}))
"""

REFUSED = [
    '{"contract":{"amount":"5000000.00","amount":"0.01"}}',
    '{"contractor":{"name":"x","legal_form":"foundation","uscc":"91350100M000100Y4Z"}}',
    '{"contractor":{"name":1,"legal_form":"x","staff":{"full_time":-2}},"contract":{"amount":0.5}}',
]


def test_without_msgspec_the_library_decodes_refuses_and_encodes_the_same() -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(WITHOUT_MSGSPEC), str(EXAMPLE), *REFUSED],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(result.stdout)
    case = swp.loads(EXAMPLE.read_text(encoding="utf-8"), swp.Case)
    assert seen["case"] == swp.unstructure(case)
    assert seen["dumps"].encode() == conv.dumps(case)
    for bad in REFUSED:
        with pytest.raises(swp.InvalidInput) as info:
            swp.loads(bad, swp.Case)
        assert seen["refused"][bad] == [[p.path, p.message] for p in info.value.problems]


def test_without_msgspec_there_is_no_fast_path_and_json_encodes(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_module(name: str) -> None:
        raise ImportError(name)

    monkeypatch.setattr(importlib, "import_module", no_module)
    assert conv._load_fast_path() is None
    assert conv._load_encoder() is conv._json_bytes


def test_first_use_from_many_threads_at_once() -> None:
    # Generating a class's functions is once per class and guarded: a class another thread is
    # building must never look recursive to this one (which would make unstructure fail).
    import threading

    from socialwork_procurement.model._converter import make_converter

    converter = make_converter()
    case = swp.Case(contractor=swp.Contractor(name="某中心", legal_form=swp.LegalForm.FOUNDATION))
    expected = make_converter(generated_unstructure=False).unstructure(case)
    start = threading.Barrier(8)
    results: list[object] = []

    def run() -> None:
        start.wait()
        try:
            results.append(converter.unstructure(case))
        except BaseException as exc:  # recorded, so the assertion below names it
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 8
