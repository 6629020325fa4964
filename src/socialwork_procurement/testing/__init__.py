"""Test kit for pack authors and apps: strategies, the conformance check, the store contract.

- :mod:`socialwork_procurement.testing.strategies`: Hypothesis strategies for every public type
  (also registered for ``st.from_type``);
- :func:`assert_pack_conforms`: the properties every region pack must hold;
- :mod:`socialwork_procurement.testing.pytest_plugin`: runs ``swp_scenarios*.yaml`` files as tests;
- :mod:`socialwork_procurement.testing.store_contract`: the contract suite every event store passes.

This package needs the ``test`` extra (Hypothesis, pytest).
"""

from __future__ import annotations

from . import strategies
from ._conformance import ConformanceError, assert_pack_conforms, static_problems

__all__ = ["ConformanceError", "assert_pack_conforms", "static_problems", "strategies"]
