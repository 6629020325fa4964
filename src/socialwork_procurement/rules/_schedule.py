"""When the mid-term and final evaluations of a service period fall due.

The sources say only that evaluations happen 「在服务周期的中期和末期」 («at the middle and at the
end of the service cycle», 厦府办〔2015〕3号 五(四)); none names a day. The days computed here
are **this library's scheduling policy**, not a source's, and the lifecycle records them in the
``contract_signed`` event so a stored schedule never changes when the policy does.

Policy
------

* **final** is the last day of the service period (``period.end``): the end of the cycle.
* **midterm** is ``period.start + relativedelta(months=M // 2)``, where ``M`` is the number of
  whole calendar months in the period (``relativedelta(period.end + 1 day, period.start)``):
  the first day of the second half, counted in whole months. With an odd ``M`` the second half
  is the longer one (9 months: the mid-term falls 4 months in); days beyond the whole months
  are ignored.
* **Month-end policy: clamp.** ``relativedelta`` clamps to the last day of a shorter month, and
  we keep that: a period starting 31 August has its 6-month mid-term on 28 February (29 in a
  leap year), never on 1 or 2 March. The mid-term therefore stays in the month ``M // 2``
  months after the start.
* **Short periods** (fewer than two whole months, where half of the months would be zero):
  the mid-term is the calendar midpoint in days, ``start + (end - start) // 2`` (rounded down).

Always ``start <= midterm <= final == end``; a one-day period has all three on one day.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import attrs
from attrs import validators as v
from dateutil.relativedelta import relativedelta

from ..model._types import ServicePeriod

__all__ = ["EvaluationSchedule", "evaluation_schedule", "last_day_of_term"]


def last_day_of_term(start: date, length: relativedelta) -> date:
    """The last day of a term of ``length`` that starts on ``start`` (both days counted).

    Month-end policy: the term ends the day before the corresponding day of the end month
    (a year from 1 March 2015 ends on 29 February 2016); where the end month has no
    corresponding day (a term from 29 February into a common year, or from the 31st into a
    30-day month), ``relativedelta`` clamps to the month's last day and the term ends on it.

    >>> last_day_of_term(date(2015, 3, 1), relativedelta(years=1))
    datetime.date(2016, 2, 29)
    >>> last_day_of_term(date(2024, 2, 29), relativedelta(years=3))
    datetime.date(2027, 2, 28)

    Total over ``date``'s range: a term whose end falls after 9999-12-31 covers every later day
    a ``date`` can hold, so its last representable day, ``date.max``, is returned.

    >>> last_day_of_term(date(9998, 6, 1), relativedelta(years=5))
    datetime.date(9999, 12, 31)
    """
    try:
        corresponding = start + length
    except (OverflowError, ValueError):  # the year would pass 9999
        return date.max
    if corresponding.day != start.day:  # clamped: the end month has no corresponding day
        return corresponding
    return corresponding - timedelta(days=1)


@attrs.frozen
class EvaluationSchedule:
    """The days the mid-term and the final evaluation fall due (our policy; see the module)."""

    midterm: date = attrs.field(validator=v.instance_of(date))
    final: date = attrs.field(validator=v.instance_of(date))
    midterm_required: bool = attrs.field(default=True, validator=v.instance_of(bool), kw_only=True)
    """Whether the region's rules in force require a mid-term evaluation
    (:attr:`~socialwork_procurement.Rule.evaluation_stages`: Xiamen's 「中期和末期」). Where none
    does (Henan's 结项验收, Ningxia) ``midterm`` is only the day the policy would give, and no
    mid-term evaluation is due."""

    @final.validator
    def _ordered(self, _attribute: object, value: date) -> None:
        if value < self.midterm:
            raise ValueError(f"the final evaluation ({value}) falls before the mid-term ({self.midterm})")


def whole_months(period: ServicePeriod) -> int:
    """Whole calendar months in ``period`` (both ends are service days).

    Counted as the months from the first service day to the day after the last; for a period that
    ends on ``date.max`` that day does not exist, and the months to the last day are counted instead,
    plus the month the missing day would complete (only when the period starts on a month's first day).

    >>> whole_months(ServicePeriod(date(9999, 3, 1), date(9999, 12, 31)))
    10
    """
    if period.end == date.max:
        span = relativedelta(period.end, period.start)
        return span.years * 12 + span.months + (1 if period.start.day == 1 else 0)
    span = relativedelta(period.end + timedelta(days=1), period.start)
    return span.years * 12 + span.months


def evaluation_schedule(period: ServicePeriod, *, midterm_required: bool = True) -> EvaluationSchedule:
    """The mid-term and final evaluation days of ``period`` under this library's policy.

    ``midterm_required`` says whether the region's rules ask for a mid-term evaluation at all
    (the lifecycle sets it from the rules in force when the contract is signed).

    >>> from datetime import date
    >>> from socialwork_procurement import ServicePeriod
    >>> evaluation_schedule(ServicePeriod(date(2015, 3, 1), date(2016, 2, 29)))
    EvaluationSchedule(midterm=datetime.date(2015, 9, 1), final=datetime.date(2016, 2, 29), midterm_required=True)
    >>> evaluation_schedule(ServicePeriod(date(2015, 8, 31), date(2016, 8, 30))).midterm  # clamped
    datetime.date(2016, 2, 29)
    >>> evaluation_schedule(ServicePeriod(date(2015, 3, 1), date(2015, 3, 31))).midterm  # days
    datetime.date(2015, 3, 16)
    """
    if not isinstance(period, ServicePeriod):
        raise TypeError(f"period must be a ServicePeriod, not {type(period).__name__}")
    return EvaluationSchedule(midterm=_midterm(period), final=period.end, midterm_required=midterm_required)


@functools.lru_cache(maxsize=4096)
def _midterm(period: ServicePeriod) -> date:
    # A rule check asks for the same period's mid-term on every step of a case (issue 10); the
    # day depends on the period alone, and relativedelta costs more than the rest of the check.
    months = whole_months(period)
    if months >= 2:
        return period.start + relativedelta(months=months // 2)
    return period.start + timedelta(days=(period.end - period.start).days // 2)
