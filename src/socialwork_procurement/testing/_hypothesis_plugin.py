"""Registers our strategies for ``st.from_type``; Hypothesis calls the hook through its entry point.

Registration must happen before anything resolves our types, because ``from_type`` caches what
it resolved; the ``hypothesis`` entry-point group runs this when Hypothesis is imported. The
strategies module imports Hypothesis itself, so each type is registered with a resolver that
imports it on first use (importing it here would be circular).
"""

from __future__ import annotations

from typing import Any

_STRATEGY_OF = {
    "Case": "cases",
    "CertifiedStaff": "certified_staff",
    "Contract": "contracts",
    "Contractor": "contractors",
    "Evaluation": "evaluations",
    "Governance": "governance",
    "Installment": "installments",
    "Planning": "plannings",
    "Purchaser": "purchasers",
    "ServicePeriod": "service_periods",
    "Staff": "staff",
}


def _resolver(function_name: str) -> Any:
    def resolve(_type: type) -> Any:
        from . import strategies

        return getattr(strategies, function_name)()

    return resolve


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from ..model import _types as _model

    for class_name, function_name in _STRATEGY_OF.items():
        st.register_type_strategy(getattr(_model, class_name), _resolver(function_name))
