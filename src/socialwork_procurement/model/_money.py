"""Money: ``Decimal`` yuan (CNY), held to the fen (0.01), never a float.

Amounts given to us must already be exact to the fen: ``"1234.567"`` is refused, not rounded,
because rounding a caller's figure silently would change what they stored. Amounts we *compute*
(an evaluation fee) are quantised with a rounding mode the rule declares; the default is
``ROUND_HALF_UP`` (四舍五入), the usual practice for fen amounts in Chinese public finance.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

FEN: Final = Decimal("0.01")
"""One fen (分), the smallest unit an amount is held to."""

DEFAULT_ROUNDING: Final = ROUND_HALF_UP
"""Rounding used when a computed amount is quantised and the rule declares no other."""

DECIMAL_TEXT: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
"""The only text accepted for a decimal: ASCII digits, an optional sign and fraction, nothing
else (no exponent, spaces, underscores, full-width or other scripts' digits)."""

MAX_YUAN: Final = Decimal("1e15")
"""Amounts at or above this (a thousand trillion yuan) are refused as input errors."""

MAX_YUAN_DIGITS: Final = 15
"""Digits before the point of the largest amount accepted (``MAX_YUAN`` has one more)."""

MAX_AMOUNT_TEXT: Final = 40
"""Longest text :func:`parse_yuan` reads, sign and point included: longer text is refused
before it is converted, so a million-digit "amount" costs nothing (at most 15 digits of
yuan and a fraction exact to the fen fit in far less)."""

MAX_SHOWN: Final = 40
"""Characters of an offending value quoted in a message; longer values end in "…"."""


def quantize_fen(value: Decimal, rounding: str = DEFAULT_ROUNDING) -> Decimal:
    """Round a computed amount to the fen with the declared ``rounding`` mode."""
    return value.quantize(FEN, rounding=rounding)


def parse_yuan(value: object) -> Decimal:
    """Turn ``"1234.50"``, ``1234`` or a ``Decimal`` into an exact fen amount.

    Floats and bools are refused (binary noise; ``True`` is not 1 yuan), as are text that is
    not plain ASCII digits (no exponent, spaces, underscores or other scripts' digits),
    negative amounts, non-finite values and amounts finer than the fen.
    """
    if isinstance(value, (bool, float)):
        raise TypeError(f"an amount must be a string or Decimal, not {type(value).__name__}")
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, Decimal):
        result = value
    elif isinstance(value, str):
        if len(value) > MAX_AMOUNT_TEXT:
            raise ValueError(f"{shown(value)} is too long for an amount (at most {MAX_AMOUNT_TEXT} characters)")
        if not DECIMAL_TEXT.fullmatch(value):
            raise ValueError(f"{shown(value)} is not an amount: write digits with an optional fraction, like 1234.50")
        result = Decimal(value)
    else:
        raise TypeError(f"an amount must be a string or Decimal, not {type(value).__name__}")
    check_fen_exact(result)
    if result < 0:
        raise ValueError(f"an amount cannot be negative: {shown(result)}")
    return quantize_fen(result)


def check_fen_exact(value: Decimal) -> None:
    """Raise ``ValueError`` unless ``value`` is finite, plausible and exact to the fen.

    Negative zero is refused too: it would print as ``-0.00``.
    """
    if not value.is_finite():
        raise ValueError(f"{value} is not a finite amount")
    # ``adjusted()`` is the exponent of the leading digit, read without arithmetic: ``abs()``
    # would round in the context and signal decimal.Overflow on a million-digit value.
    if not value.is_zero() and value.adjusted() >= MAX_YUAN_DIGITS:
        raise ValueError(f"{shown(value)} is too large for an amount in yuan")
    try:
        exact = value == value.quantize(FEN, rounding=DEFAULT_ROUNDING)
    except InvalidOperation:  # pragma: no cover - excluded by MAX_YUAN, kept as a guard
        raise ValueError(f"{value} cannot be held to the fen") from None
    if not exact:
        raise ValueError(f"{shown(value)} is finer than one fen (0.01 yuan)")
    if value.is_zero() and value.is_signed():
        raise ValueError("an amount cannot be negative zero")


def money_validator(_instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a non-negative ``Decimal`` exact to the fen (or ``None``)."""
    if value is None:
        return
    if not isinstance(value, Decimal):
        raise TypeError(f"{attribute.name} must be a Decimal amount, not {type(value).__name__}")
    check_fen_exact(value)
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative: {shown(value)}")


def shown(value: object) -> str:
    """``value`` as text for a message (``repr`` for text), cut to :data:`MAX_SHOWN` characters and "…"."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def format_yuan(value: Decimal) -> str:
    """``Decimal('15000')`` -> ``'15000.00'``: the string form used in JSON output."""
    return format(quantize_fen(value), "f")


def format_decimal(value: Decimal) -> str:
    """Plain positional text of a decimal, never exponent form (``5E+3`` -> ``'5000'``)."""
    return format(value, "f")
