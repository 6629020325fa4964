"""Benchmark bulk screening, and write generated registries for the screening docs.

Measured in one run, as ratios (never thresholds asserted in tests):

- records per second of ``screen`` on N generated Xiamen contractors (default 1,000,000), local,
  against a plain function written by hand from the Xiamen contractor rules, which gives the same
  decision and failing rule ids (checked on every record);
- the same with strict conversion of JSON objects included (what ``swp screen`` does per line);
- peak traced memory of ``screen`` at two record counts, to show it does not grow with the count;
- ``screen_cluster`` on a local Dask cluster of two worker processes against the local run.

Usage::

    python benchmarks/bench_screen.py [--records 1000000] [--memory 20000,200000] [--dask-records N] [--no-dask]
    python benchmarks/bench_screen.py --write registry.jsonl --records 100000      # a registry to screen
    python benchmarks/bench_screen.py --write registry.csv --records 1000 --chinese # CSV with Chinese headers

The records are Xiamen contractors of every legal form with facts given, missing or false at random
(seeded, so every run screens the same registry); they are checked on 2015-03-01, during the Xiamen
pilot and before the national decree takes effect, so only the Xiamen contractor rules decide them.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import socialwork_procurement as swp
from socialwork_procurement.screening import CHINESE_HEADERS, CHINESE_VALUES, screen

ON = date(2015, 3, 1)
REGION = "xiamen"

# -- generated registries -----------------------------------------------------------------------------

_FORMS = (
    ("private_non_enterprise_unit", 40),
    ("social_group", 20),
    ("foundation", 8),
    ("enterprise", 12),
    ("public_institution", 8),
    ("mass_organization", 4),
    ("individual", 3),
    ("rural_collective_economic_organization", 2),
    ("grassroots_self_governing_organization", 2),
    ("other", 1),
)
_FORM_NAMES = [f for f, _ in _FORMS]
_FORM_WEIGHTS = [w for _, w in _FORMS]
_TYPE_CODE = {"private_non_enterprise_unit": "52", "social_group": "51", "foundation": "53", "enterprise": "91"}
_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_GOVERNANCE = ("internal_governance", "bylaws", "public_credibility", "operating_capacity",
               "professional_service_capacity")


def _fact(rng: random.Random, p_true: float = 0.8, p_missing: float = 0.1) -> bool | None:
    draw = rng.random()
    if draw < p_missing:
        return None
    return draw < p_missing + p_true


def synthetic_contractor(rng: random.Random, number: int) -> dict[str, Any]:
    """One JSON-shaped contractor record: mostly complete and eligible, some facts missing or false."""
    form = rng.choices(_FORM_NAMES, _FORM_WEIGHTS)[0]
    record: dict[str, Any] = {"name": f"厦门市第{number}号社会工作服务机构", "legal_form": form}
    if form in _TYPE_CODE and rng.random() < 0.7:
        first17 = _TYPE_CODE[form] + "350203" + "".join(rng.choice(_USCC_BODY) for _ in range(9))
        record["uscc"] = first17 + swp.uscc_check_char(first17)
    for key in ("independent_legal_person", "lawfully_registered", "non_profit"):
        value = _fact(rng, 0.9, 0.05)
        if value is not None:
            record[key] = value
    if form in ("enterprise", "public_institution"):
        value = _fact(rng, 0.6, 0.3)
        if value is not None:
            record["has_required_capacity"] = value
    if form == "public_institution" and rng.random() < 0.7:
        record["public_institution_category"] = rng.choice(
            ["public_institution_category_1", "public_institution_category_2", "business_public_institution"]
        )
    if rng.random() < 0.6:
        record["registration_date"] = (date(2005, 1, 1) + timedelta(days=rng.randrange(3000))).isoformat()
    if rng.random() < 0.85:
        staff: dict[str, Any] = {"full_time": rng.randrange(1, 60)}
        team = _fact(rng, 0.8, 0.1)
        if team is not None:
            staff["professional_team"] = team
        if rng.random() < 0.5:
            staff["certified"] = {
                "assistant_social_worker": rng.randrange(10),
                "social_worker": rng.randrange(6),
                "senior_social_worker": rng.randrange(2),
            }
        record["staff"] = staff
    if rng.random() < 0.85:
        governance = {k: v for k in _GOVERNANCE if (v := _fact(rng, 0.93, 0.03)) is not None}
        record["governance"] = governance
    return record


def synthetic_records(count: int, *, seed: int = 11) -> Iterator[dict[str, Any]]:
    """``count`` generated contractor records, lazily (the same ones for the same seed)."""
    rng = random.Random(seed)
    for number in range(count):
        yield synthetic_contractor(rng, number + 1)


def _flatten(data: dict[str, Any], prefix: str = "contractor.") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


_CSV_COLUMNS = (
    "contractor.uscc", "contractor.name", "contractor.legal_form", "contractor.independent_legal_person",
    "contractor.lawfully_registered", "contractor.non_profit", "contractor.has_required_capacity",
    "contractor.public_institution_category", "contractor.registration_date", "contractor.staff.full_time",
    "contractor.staff.professional_team", "contractor.staff.certified.assistant_social_worker",
    "contractor.staff.certified.social_worker", "contractor.staff.certified.senior_social_worker",
    *(f"contractor.governance.{k}" for k in _GOVERNANCE),
)


def write_registry(path: Path, count: int, *, chinese: bool = False, seed: int = 11) -> None:
    """Write ``count`` generated records as JSON Lines (``.jsonl``) or CSV (``.csv``; ``chinese``: Chinese
    headers and values where the documented table has them)."""
    if path.suffix == ".csv":
        header_of = {column: column for column in _CSV_COLUMNS}
        value_of: dict[str, dict[str, str]] = {}
        if chinese:
            for header, column in CHINESE_HEADERS.items():
                if column in header_of and header_of[column] == column:
                    header_of[column] = header
            value_of["contractor.legal_form"] = {v: k for k, v in CHINESE_VALUES[swp.LegalForm].items()}
            value_of["contractor.public_institution_category"] = {
                v: k for k, v in CHINESE_VALUES[swp.PublicInstitutionCategory].items()
            }
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([header_of[c] for c in _CSV_COLUMNS])
            for record in synthetic_records(count, seed=seed):
                flat = _flatten(record)
                row = []
                for column in _CSV_COLUMNS:
                    value = flat.get(column)
                    if value is None:
                        row.append("")
                    elif isinstance(value, bool):
                        row.append(("是" if value else "否") if chinese else ("true" if value else "false"))
                    else:
                        text = str(value)
                        row.append(value_of.get(column, {}).get(text, text))
                writer.writerow(row)
        return
    with path.open("w", encoding="utf-8") as out:
        for record in synthetic_records(count, seed=seed):
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


# -- the plain-function limit ------------------------------------------------------------------------

_ON_LIST = frozenset({swp.LegalForm.SOCIAL_GROUP, swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, swp.LegalForm.FOUNDATION})
_WITH_CAPACITY = frozenset({swp.LegalForm.ENTERPRISE, swp.LegalForm.PUBLIC_INSTITUTION})


def xiamen_contractor_plain(c: swp.Contractor) -> tuple[swp.Decision, tuple[str, ...]]:
    """Decision and failing rule ids of Xiamen's four hard contractor rules (厦府办〔2015〕3号 三(二)), by hand.

    In the registry's order (rule ids sorted). The soft «private agencies are the main contractors»
    rule never gates, so it is not here.
    """
    failed: list[str] = []
    unknown = False
    g = c.governance
    if g is None:
        unknown = True
    else:
        values = (g.internal_governance, g.bylaws, g.public_credibility, g.operating_capacity,
                  g.professional_service_capacity)
        if False in values:
            failed.append("xiamen.contractor.governance_capacity")
        elif None in values:
            unknown = True
    if c.legal_form is swp.LegalForm.INDIVIDUAL or c.independent_legal_person is False:
        failed.append("xiamen.contractor.independent_legal_person")
    elif c.independent_legal_person is None:
        unknown = True
    if c.legal_form not in _ON_LIST:
        if c.legal_form not in _WITH_CAPACITY or c.has_required_capacity is False:
            failed.append("xiamen.contractor.org_type")
        elif c.has_required_capacity is None:
            unknown = True
    team = c.staff.professional_team if c.staff is not None else None
    if team is False:
        failed.append("xiamen.contractor.professional_team")
    elif team is None:
        unknown = True
    if failed:
        return swp.Decision.INELIGIBLE, tuple(failed)
    return (swp.Decision.UNDETERMINED if unknown else swp.Decision.ELIGIBLE), ()


# -- measurements ------------------------------------------------------------------------------------


def _stream(pool: list[Any], count: int) -> Iterator[Any]:
    return itertools.islice(itertools.cycle(pool), count)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:10,.0f} records/s ({seconds * 1e6 / count:6.1f} µs each)"


def measure_local(registry: swp.Registry, records: int, pool_size: int) -> float:
    raw = list(synthetic_records(pool_size))
    cases = [swp.structure({"contractor": r}, swp.Case) for r in raw]
    expected = []
    for case in cases:
        assert case.contractor is not None
        expected.append(xiamen_contractor_plain(case.contractor))

    started = time.perf_counter()
    for case in _stream(cases, records):
        assert case.contractor is not None
        xiamen_contractor_plain(case.contractor)
    plain = time.perf_counter() - started

    started = time.perf_counter()
    screened = 0
    for result in screen(_stream(cases, records), region=REGION, on=ON, registry=registry):
        want = expected[result.index % pool_size]
        if (result.decision, result.failed) != want:
            raise AssertionError(f"record {result.index}: screen says {result.decision}, {result.failed}; "
                                 f"the plain function says {want}")
        screened += 1
    ours = time.perf_counter() - started
    assert screened == records

    started = time.perf_counter()
    for _result in screen(_stream(raw, records), region=REGION, on=ON, registry=registry):
        pass
    converted = time.perf_counter() - started

    decisions = {d: sum(1 for e in expected if e[0] is d) for d in swp.Decision}
    print(f"{records:,} records ({pool_size:,} distinct, cycled), {REGION} on {ON}; "
          + ", ".join(f"{d.value} {n / pool_size:.0%}" for d, n in decisions.items()))
    print(f"  plain function (the limit)        {_rate(records, plain)}")
    print(f"  screen, Case objects              {_rate(records, ours)}   {plain / ours:.3f}x the limit "
          "(same decision and failing rules on every record)")
    print(f"  screen, JSON objects (converted)  {_rate(records, converted)}   {plain / converted:.3f}x the limit")
    return ours


def measure_memory(registry: swp.Registry, counts: list[int]) -> None:
    # CPython keeps freed small tuples for reuse, which tracemalloc still counts: fill those free lists first.
    for _result in screen(synthetic_records(5000, seed=1), region=REGION, on=ON, registry=registry):
        pass
    peaks = []
    for count in counts:
        tracemalloc.start()
        for _result in screen(synthetic_records(count), region=REGION, on=ON, registry=registry):
            pass
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    shown = ", ".join(f"{c:,} records: {p / 1024:,.0f} KiB" for c, p in zip(counts, peaks, strict=True))
    print(f"  peak traced memory while screening  {shown}  (ratio {peaks[-1] / peaks[0]:.2f} for "
          f"{counts[-1] / counts[0]:.0f}x the records)")


def measure_dask(registry: swp.Registry, records: int, pool_size: int) -> None:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("  dask: not installed (pip install 'socialwork-procurement[dask]'), skipped")
        return
    from socialwork_procurement.screening import screen_cluster

    raw = list(synthetic_records(pool_size))
    started = time.perf_counter()
    local = sum(1 for _ in screen(_stream(raw, records), region=REGION, on=ON, registry=registry))
    local_time = time.perf_counter() - started
    started = time.perf_counter()
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        startup = time.perf_counter() - started
        started = time.perf_counter()
        remote = sum(1 for _ in screen_cluster(_stream(raw, records), scheduler=client, region=REGION, on=ON))
        remote_time = time.perf_counter() - started
    assert local == remote == records
    print(f"  local, one process                {_rate(records, local_time)}")
    print(f"  dask, two worker processes        {_rate(records, remote_time)}   "
          f"speed-up {local_time / remote_time:.2f}x (cluster start-up {startup:.1f} s, not counted)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=10_000, help="distinct generated records, cycled")
    parser.add_argument("--memory", default="20000,200000", help="two record counts for the memory check")
    parser.add_argument("--dask-records", type=int, default=None, help="records for the Dask run (default --records)")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--write", type=Path, help="write a generated registry (.jsonl or .csv) and exit")
    parser.add_argument("--chinese", action="store_true", help="--write a .csv: Chinese headers and values")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.write is not None:
        write_registry(args.write, args.records, chinese=args.chinese, seed=args.seed)
        print(f"wrote {args.records:,} generated records to {args.write}", file=sys.stderr)
        return
    registry = swp.load_registry()
    measure_local(registry, args.records, min(args.pool, args.records))
    measure_memory(registry, [int(n) for n in args.memory.split(",")])
    if not args.no_dask:
        measure_dask(registry, args.dask_records or args.records, min(args.pool, args.records))


if __name__ == "__main__":
    main()
