"""When Xiamen's mid-term and final evaluations fall due (厦府办〔2015〕3号 五(四)).

The source says only 「要在服务周期的中期和末期,组织或委托第三方专业评估机构开展评估」: evaluations
happen «at the middle and at the end of the service cycle». It names no day. The days computed
here are **our scheduling policy**, not the source's, and are documented as such.
"""

from __future__ import annotations

from datetime import date, timedelta

from socialwork_procurement import ServicePeriod


def evaluation_schedule(service_period: ServicePeriod) -> tuple[date, date]:
    """The mid-term and final evaluation dates of ``service_period``: ``(midterm, final)``.

    Policy (ours, not the source's, which says only 「服务周期的中期和末期」):

    * **midterm** = the calendar midpoint of the period in days, rounded down:
      ``start + (end - start) // 2`` days. Both ends of the period are service days, so for a
      period of an odd number of days this is the exact middle day, and for an even number the
      earlier of the two middle days. Example: 2015-03-01 .. 2016-02-29 (366 days) ->
      2015-08-30.
    * **final** = the last day of the service period (``service_period.end``).

    Why days and not months: «start + half the length in whole months» (``relativedelta``)
    clamps at month ends (31 January + 1 month = 28/29 February), so two periods of different
    lengths can share one midpoint, and it is undefined for periods shorter than two months
    (half of zero whole months puts the mid-term on the first day). The day midpoint has no
    month-end policy to declare, is defined for every period (a one-day period has
    midterm == final == that day) and always satisfies
    ``start <= midterm <= final == end``.

    >>> from datetime import date
    >>> evaluation_schedule(ServicePeriod(date(2015, 3, 1), date(2016, 2, 29)))
    (datetime.date(2015, 8, 30), datetime.date(2016, 2, 29))
    """
    start, end = service_period.start, service_period.end
    midterm = start + timedelta(days=(end - start).days // 2)
    return midterm, end
