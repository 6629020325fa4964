"""Benchmark: a JSON round trip of the example case through the strict path, the fast path, and others.

Issue 10 asks whether an optional msgspec fast path is worth having, and whether orjson or msgspec
would be worth a dependency for *encoding*. This measures, in one run, the median time of:

- the round trip ``loads`` + ``json.dumps(unstructure(...))`` through the strict path alone (what
  every install does without the ``fast`` extra), through the fast path, and through the bare
  pre-hardening pipeline (``json.loads`` + cattrs ``structure``, no duplicate-key, depth or
  surrogate checks) for reference; and ``loads`` + ``dumps`` (the generated unstructure, then
  msgspec's encoder), what a program with the ``fast`` extra does;
- the same case in pydantic v2 models generated from our attrs types (strict, extra fields
  forbidden, but none of our validators) and in msgspec alone (decoding straight into our attrs
  classes: it runs our validators but not our converters, and accepts floats for money, extra
  keys and duplicate keys, so it is a floor, not an alternative);
- encoding alone: ``unstructure`` (the library's generated functions, and cattrs' own for
  comparison), then ``json.dumps``, ``orjson.dumps`` or ``msgspec.json.encode``.

It prints microseconds and ratios, never thresholds. pydantic, msgspec and orjson are measured when
installed (``pip install pydantic msgspec orjson``) and skipped with a note otherwise:

    python benchmarks/bench_converter.py [--repeat 7] [--number 2000]
"""

from __future__ import annotations

import argparse
import enum
import functools
import importlib
import json
import statistics
import time
import timeit
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, get_args, get_origin

import attrs

import socialwork_procurement as swp
from socialwork_procurement.model import _converter as conv

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "xiamen-case.json"


def optional_module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def medians_us(candidates: dict[str, Callable[[], object]], repeat: int, number: int) -> dict[str, tuple[float, float]]:
    """Median and best µs per call of each candidate, timed in interleaved rounds.

    The clock is this process's CPU time, so time the machine spends on other jobs (two cores,
    shared) does not count; and each round times every candidate once, so what disturbance is
    left (caches) falls on them all alike. The best round is shown beside the median.
    """
    times: dict[str, list[float]] = {label: [] for label in candidates}
    for _ in range(repeat):
        for label, fn in candidates.items():
            times[label].append(timeit.Timer(fn, timer=time.process_time).timeit(number=number) / number * 1e6)
    return {label: (statistics.median(ts), min(ts)) for label, ts in times.items()}


def pydantic_models(pydantic: Any) -> Any:
    """Pydantic v2 models mirroring our attrs types (strict, frozen, no extra fields), built from them."""
    config = pydantic.ConfigDict(strict=True, extra="forbid", frozen=True)
    made: dict[type, Any] = {}

    def annotation(t: Any) -> Any:
        origin = get_origin(t)
        if origin in (typing.Union, UnionType):
            (inner,) = [a for a in get_args(t) if a is not NoneType]
            return typing.Optional[annotation(inner)]  # noqa: UP045
        if origin is tuple:
            return tuple[annotation(get_args(t)[0]), ...]  # type: ignore[misc]
        if origin is frozenset:
            return frozenset[annotation(get_args(t)[0])]  # type: ignore[misc]
        if isinstance(t, type) and attrs.has(t):
            return model(t)
        if t in (str, int, bool, Decimal, date) or (isinstance(t, type) and issubclass(t, enum.Enum)):
            return t
        raise TypeError(f"no pydantic mirror for {t!r}")

    def model(cl: type) -> Any:
        if cl not in made:
            fields = {
                f.name: (annotation(f.type), ... if f.default is attrs.NOTHING else f.default)
                for f in attrs.fields(attrs.resolve_types(cl))
            }
            made[cl] = pydantic.create_model(f"P{cl.__name__}", __config__=config, **fields)
        return made[cl]

    return model(swp.Case)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=1000)
    args = parser.parse_args()
    text = EXAMPLE.read_text(encoding="utf-8")
    raw = text.encode()
    case = swp.loads(text, swp.Case)
    plain = swp.unstructure(case)

    def dumps(value: swp.Case) -> str:
        return json.dumps(swp.unstructure(value), ensure_ascii=False)

    def strict_load() -> swp.Case:
        return conv._load(raw, swp.Case, encoding=None, fast=None)

    def fast_load() -> swp.Case:
        return conv._load(raw, swp.Case, encoding=None, fast=conv._fast)

    refused = b'{"contract":{"amount":"5000000.00","amount":"0.01"}}'
    notes: list[str] = []
    trips: dict[str, Callable[[], object]] = {
        "strict path (cattrs; every install)": lambda: dumps(strict_load()),
        "bare json.loads + cattrs structure (before issue 9)": lambda: dumps(swp.structure(json.loads(raw), swp.Case)),
        "strict path, then dumps without msgspec (generated unstructure + json)": (
            lambda: conv._json_bytes(swp.unstructure(strict_load()))
        ),
    }
    loads: dict[str, Callable[[], object]] = {
        "strict path": strict_load,
        "bare json.loads + cattrs structure (before issue 9)": lambda: swp.structure(json.loads(raw), swp.Case),
    }
    if conv._fast is not None:
        assert conv._fast.loads(raw, swp.Case) == case, "the fast path must take the example"
        assert swp.loads(conv.dumps(case), swp.Case) == case
        trips["fast path (msgspec mirrors, then our constructors)"] = lambda: dumps(fast_load())
        trips["fast path, then dumps (generated unstructure + msgspec encoder)"] = lambda: conv.dumps(fast_load())
        loads["fast path"] = fast_load
        loads["a duplicate key, refused by the strict path"] = lambda: _refused(refused, None)
        loads["the same, the fast path first (declines; strict decides)"] = lambda: _refused(refused, conv._fast)
    else:
        notes.append("msgspec not installed: no fast path (pip install 'socialwork-procurement[fast]')")
    pydantic = optional_module("pydantic")
    if pydantic is not None:
        model = pydantic_models(pydantic)
        assert model.model_validate_json(raw).model_dump(mode="json")["contract"]["amount"] == "500000.00"
        trips[PYDANTIC] = lambda: model.model_validate_json(raw).model_dump_json()
        loads[PYDANTIC] = lambda: model.model_validate_json(raw)
        validated = model.model_validate_json(raw)
    else:
        notes.append("pydantic not installed: skipped")
    msgspec = optional_module("msgspec")
    if msgspec is not None:
        trips["msgspec alone into our attrs types (lax, see above: a floor)"] = (
            lambda: msgspec.json.encode(msgspec.json.decode(raw, type=swp.Case))
        )

    cattrs_own = conv.make_converter(generated_unstructure=False)
    assert cattrs_own.unstructure(case) == plain
    encoders: dict[str, Callable[[], object]] = {
        "unstructure (generated per class)": lambda: swp.unstructure(case),
        "unstructure (cattrs' own functions, before issue 10)": lambda: cattrs_own.unstructure(case),
        "json.dumps(...).encode()": lambda: json.dumps(plain, ensure_ascii=False).encode(),
    }
    compact = json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
    for name, attribute in (("orjson", "dumps"), ("msgspec", "json.encode")):
        module = optional_module(name)
        if module is None:
            notes.append(f"{name} not installed: skipped")
            continue
        fn = module
        for part in attribute.split("."):
            fn = getattr(fn, part)
        assert fn(plain) == compact, f"{name} writes different JSON"
        encoders[f"{name}.{attribute} (the same bytes as compact json.dumps)"] = functools.partial(fn, plain)

    encoders["dumps (unstructure, then msgspec or json; the whole encoding)"] = lambda: conv.dumps(case)
    if pydantic is not None:
        encoders[PYDANTIC] = validated.model_dump_json

    rounds = f"CPU time, medians of {args.repeat} interleaved rounds of {args.number} calls"
    print(f"{EXAMPLE.name}: {len(raw)} bytes; {rounds}")
    for note in notes:
        print(f"  ({note})")
    print("\nRound trip of the example case (decode, then encode: unstructure + json.dumps unless a row says dumps):")
    results = medians_us(trips, args.repeat, args.number)
    table(results, "strict path (cattrs; every install)", "the strict path")
    versus_pydantic(results, "fast path, then dumps (generated unstructure + msgspec encoder)")
    print("\nDecoding alone:")
    results = medians_us(loads, args.repeat, args.number)
    table(results, "strict path", "the strict path")
    versus_pydantic(results, "fast path")
    print("\nEncoding alone (unstructure, then the JSON bytes; the encoders' ratios are to json.dumps):")
    results = medians_us(encoders, args.repeat, args.number)
    table(results, "json.dumps(...).encode()", "json.dumps")
    versus_pydantic(results, "dumps (unstructure, then msgspec or json; the whole encoding)")
    unstructure, std = results["unstructure (generated per class)"][0], results["json.dumps(...).encode()"][0]
    for label, (us, _) in results.items():
        if label.startswith(("orjson", "msgspec")):
            whole = (unstructure + std) / (unstructure + us)
            print(f"  unstructure + {label.split(' ')[0]}: {whole:4.2f}x as fast as unstructure + json.dumps")


PYDANTIC = "pydantic v2 models of our types (strict, none of our validators)"


def versus_pydantic(results: dict[str, tuple[float, float]], label: str) -> None:
    """How many times pydantic's time the row ``label`` takes (issue 10's target is at most 1)."""
    if PYDANTIC in results and label in results:
        print(f"  {label.split(' (')[0]}: {results[label][0] / results[PYDANTIC][0]:4.2f}x the time pydantic takes")


def table(results: dict[str, tuple[float, float]], base_label: str, base_name: str) -> None:
    width = 70
    base, base_best = results[base_label]
    print(f"  {'':{width}} {'median':>8}  {'best':>8}")
    for label, (us, best) in results.items():
        ratio = f"{base / us:5.2f}x {base_name} ({base_best / best:.2f}x best)"
        print(f"  {label:{width}} {us:8.1f}  {best:8.1f} µs  {ratio}")


def _refused(raw: bytes, fast: Any) -> None:
    try:
        conv._load(raw, swp.Case, encoding=None, fast=fast)
    except swp.InvalidInput:
        return
    raise AssertionError("a duplicate key must be refused")


if __name__ == "__main__":
    main()
