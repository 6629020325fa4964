"""Test kit for pack authors and apps: strategies, the conformance check, the store contract.

- :mod:`socialwork_procurement.testing.strategies`: Hypothesis strategies for every public type
  (also registered for ``st.from_type``);
- :func:`assert_pack_conforms`: the properties every region pack must hold;
- :func:`assert_quotes_verbatim`: every rule's quote is verbatim in the source file it cites;
- :mod:`socialwork_procurement.testing.pytest_plugin`: runs ``swp_scenarios*.yaml`` files as tests;
- :mod:`socialwork_procurement.testing.store_contract`: the contract suite every event store passes.

The strategies and the conformance check need the ``test`` extra (Hypothesis). They load when first
used, not when this package is imported: the pytest plugin above is loaded by every pytest run in an
environment where the core is installed, and must work there without Hypothesis.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import strategies
    from ._conformance import ConformanceError, assert_pack_conforms, static_problems
    from ._quotes import SEEDS_MISSING, QuoteMismatch, assert_quotes_verbatim, seeds_dir

__all__ = [
    "SEEDS_MISSING",
    "ConformanceError",
    "QuoteMismatch",
    "assert_pack_conforms",
    "assert_quotes_verbatim",
    "seeds_dir",
    "static_problems",
    "strategies",
]

_LAZY = {
    "strategies": (".strategies", None),
    "ConformanceError": ("._conformance", "ConformanceError"),
    "assert_pack_conforms": ("._conformance", "assert_pack_conforms"),
    "static_problems": ("._conformance", "static_problems"),
    "SEEDS_MISSING": ("._quotes", "SEEDS_MISSING"),
    "QuoteMismatch": ("._quotes", "QuoteMismatch"),
    "assert_quotes_verbatim": ("._quotes", "assert_quotes_verbatim"),
    "seeds_dir": ("._quotes", "seeds_dir"),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
