"""The store's fast paths agree with its strict ones (issue 10).

An append encodes each payload once (:func:`_encode_payload`: the C encoder, then the text read
back) instead of walking it first; a replay decodes rows with :func:`decode_events`, which
recomputes hashes straight from the columns. Both fall back to the strict code for anything
they do not accept outright. These tests hold them to that: on any payload the fast encoder
gives the strict text and value or the strict error, and on any row, damaged or not, the fast
decoder gives the strict event or the strict ``TamperDetected``.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import OrderedDict
from datetime import UTC, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialwork_procurement._errors import TamperDetected
from socialwork_procurement.store._core import Policy, decode_event, decode_events
from socialwork_procurement.store._protocol import (
    HashScheme,
    PayloadNotJSON,
    _encode_payload,
    _loads,
    payload_json,
)
from socialwork_procurement.store._sqlite import SQLiteEventStore
from socialwork_procurement.testing.store_contract import TEST_KEY, event, json_objects

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path


def _strict(payload: Mapping[str, Any]) -> tuple[str, Any]:
    text = payload_json(payload)
    return text, json.loads(text)


def _same_outcome(payload: Any) -> None:
    try:
        expected: tuple[str, Any] | PayloadNotJSON = _strict(payload)
    except PayloadNotJSON as exc:
        expected = exc
    if isinstance(expected, PayloadNotJSON):
        with pytest.raises(PayloadNotJSON) as info:
            _encode_payload(payload)
        assert (info.value.path, str(info.value)) == (expected.path, str(expected))
        return
    text, value = _encode_payload(payload)
    assert (text, value) == expected
    assert type(value) is dict


@given(payload=json_objects)
def test_the_fast_encoder_gives_the_strict_text_and_value(payload: dict[str, Any]) -> None:
    _same_outcome(payload)


class _Key(str):
    """A str subclass as a key: JSON writes its text."""


@pytest.mark.parametrize(
    "payload",
    [
        {"t": (1, (2, 3))},  # tuples become lists: the strict path decides
        {"m": MappingProxyType({"a": 1})},  # not a dict: the C encoder refuses, the strict walk accepts
        {"o": OrderedDict([("b", 1), ("a", 2)])},
        {_Key("k"): _Key("v")},
        {"x": {1: "a"}},  # an int key would come back a str key
        {"x": {True: "a"}},
        {"x": {None: "a"}},
        {"x": {1: "a", "1": "b"}},  # mixed keys cannot even be sorted
        {"x": Decimal("1.10")},
        {"x": [1, float("nan")]},
        {"x": -math.inf},
        {"x": "\ud800"},  # a lone surrogate
        {"x": b"bytes"},
        {"x": {1, 2}},
        {"x": datetime(2024, 1, 1, tzinfo=UTC)},
        {"x": 10**5000},  # longer than int-to-str conversion allows
        {"名称": "社工", "z": "\x00", "f": [1e16, -0.0, 2.5], "n": None, "b": False},
        OrderedDict([("z", 1)]),  # a mapping that is not exactly a dict, at the top
        MappingProxyType({"a": [1]}),
    ],
)
def test_the_fast_encoder_on_what_the_strict_walk_changes_or_refuses(payload: Any) -> None:
    _same_outcome(payload)


def test_the_fast_encoder_on_nesting_too_deep() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    _same_outcome({"x": deep})
    circular: dict[str, Any] = {}
    circular["self"] = circular
    _same_outcome(circular)


@pytest.mark.parametrize("text", ['{"a":1}', ' {"a":1}', '{"a":1} ', '{"a":1}x', '{"a":', "[1]", "1", ""])
def test_loads_is_json_loads(text: str) -> None:
    try:
        expected = json.loads(text)
    except ValueError as exc:
        with pytest.raises(type(exc)):
            _loads(text)
    else:
        assert _loads(text) == expected


# --------------------------------------------------------------------------- decoding rows

_ROW = (
    "SELECT case_id, version, position, event_type, schema_version, payload, recorded_at, prev_hash, hash,"
    " hash_scheme FROM swp_events ORDER BY position"
)


def _rows(path: Path, key: bytes | None) -> tuple[list[tuple[Any, ...]], Policy]:
    """The rows of a small real store, and the policy the store reads them with."""
    with SQLiteEventStore(path, key=key) as store:
        store.append("案-1", 0, [event(1), event(2, "Paid", amount="1.10", 名称="社工")])
        store.append("b", 0, [event(3)])
        store.append("案-1", 2, [event(4, items=[1, [2, 3]])])
        policy = store._policy
    conn = sqlite3.connect(path)
    try:
        return [tuple(row) for row in conn.execute(_ROW)], policy
    finally:
        conn.close()


def _strict_decode(rows: Sequence[tuple[Any, ...]], policy: Policy) -> list[Any] | str:
    try:
        return [decode_event(row, policy) for row in rows]
    except TamperDetected as exc:
        return str(exc)


def _fast_decode(rows: Sequence[tuple[Any, ...]], policy: Policy) -> list[Any] | str:
    try:
        return list(decode_events(rows, policy))
    except TamperDetected as exc:
        return str(exc)


def test_decoding_intact_rows(tmp_path: Path) -> None:
    for key in (None, TEST_KEY):
        rows, policy = _rows(tmp_path / f"intact-{key is None}.sqlite3", key)
        decoded = _fast_decode(rows, policy)
        assert isinstance(decoded, list)
        assert decoded == _strict_decode(rows, policy)
        assert [type(e.version) for e in decoded] == [int] * 4
        assert {e.hash_scheme for e in decoded} == {HashScheme.SHA256 if key is None else HashScheme.HMAC_SHA256}


# What SQLite's dynamic typing lets a damaged row hold in each column, besides its own type.
_DAMAGE: dict[int, list[Any]] = {
    0: [5, None, b"c", "\udcff"],  # case_id
    1: ["2", 2.0, None, True, -1, 2**40],  # version
    2: ["1", 1.0, None, 0],  # position
    3: [7, None, b"x", "Other"],  # event_type
    4: ["1", 1.5, None, 2],  # schema_version
    5: [5, None, b"{}", '{"n": 1}', " {}", "[1]", '{"n":1}x', "{", '{"n":1.0}', "\udcff"],  # payload
    6: [5, None, b"t", "2024-03-01T08:30:01", "yesterday", "2024-03-01T16:30:01+08:00"],  # recorded_at
    7: [5, None, "0" * 64, '"'],  # prev_hash
    8: [5, None, "f" * 64],  # hash
    9: ["2", 2.0, None, 1, 3, 9],  # hash_scheme
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, tuple[list[tuple[Any, ...]], Policy]]:
    """Rows of an unkeyed and of a keyed store (keyed: True), written once for the module."""
    folder = tmp_path_factory.mktemp("codec")
    return {keyed: _rows(folder / f"{keyed}.sqlite3", TEST_KEY if keyed else None) for keyed in (False, True)}


@settings(max_examples=300)
@given(data=st.data(), keyed=st.booleans())
def test_decoding_damaged_rows_gives_the_strict_outcome(
    stores: dict[bool, tuple[list[tuple[Any, ...]], Policy]], data: st.DataObject, keyed: bool
) -> None:
    rows, policy = stores[keyed]
    damaged = [list(row) for row in rows]
    for _ in range(data.draw(st.integers(1, 3), label="damages")):
        row = data.draw(st.integers(0, len(damaged) - 1), label="row")
        column = data.draw(st.sampled_from(sorted(_DAMAGE)), label="column")
        damaged[row][column] = data.draw(st.sampled_from(_DAMAGE[column]), label="value")
    as_rows = [tuple(row) for row in damaged]
    assert _fast_decode(as_rows, policy) == _strict_decode(as_rows, policy)


@pytest.mark.parametrize("depth", [63, 64, 65, 500, 990])
def test_nesting_is_limited_the_same_on_both_paths_and_named(depth: int) -> None:
    # Library policy (MAX_PAYLOAD_DEPTH): a payload too deep to read back from any stack is refused
    # on append, by the fast encoder exactly as by the strict walk, naming where.
    from socialwork_procurement.store._protocol import MAX_PAYLOAD_DEPTH

    for leaf in ([], {}):
        value: Any = leaf
        for _ in range(depth - 1):
            value = [value] if isinstance(leaf, list) else {"k": value}
        payload = {"x": value}
        _same_outcome(payload)
        if depth + 1 > MAX_PAYLOAD_DEPTH:
            with pytest.raises(PayloadNotJSON, match="this library's limit"):
                _encode_payload(payload)


def test_a_timestamp_with_no_utc_equivalent_is_tamper_on_both_paths(tmp_path: Path) -> None:
    # 0001-01-01T00:00:00+08:00 has no UTC day in date's range: a forged row, never a crash.
    rows, policy = _rows(tmp_path / "forged.sqlite3", None)
    forged = [rows[0][:6] + ("0001-01-01T00:00:00+08:00",) + rows[0][7:], *rows[1:]]
    fast, strict = _fast_decode(forged, policy), _strict_decode(forged, policy)
    assert isinstance(fast, str) and fast == strict
