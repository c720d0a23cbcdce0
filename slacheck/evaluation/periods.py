"""Snapshot periods: instants in a time zone, elapsed share and contract periods.

Every length is computed on UTC instants, because subtracting two aware
datetimes that share a ``tzinfo`` compares wall-clock times and would make
a March in Europe/Berlin (which loses an hour to summer time) 31 full days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slacheck.quantities import ONE, PERIOD_WORDS

MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}


class PeriodError(ValueError):
    """A period that cannot be read; the message names the field and the fix."""


@dataclass(frozen=True)
class Period:
    """The time a snapshot covers: ``[start, end)``, measured up to ``as_of``."""

    start: datetime
    end: datetime
    as_of: datetime
    time_zone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def running(self) -> bool:
        return self.as_of < self.end

    @property
    def minutes(self) -> Decimal:
        return _minutes_between(self.start, self.end)

    @property
    def elapsed_minutes(self) -> Decimal:
        return _minutes_between(self.start, self.as_of)

    @property
    def elapsed(self) -> Decimal:
        """Return the share of the period that has passed, 0 to 1."""
        return self.elapsed_minutes / self.minutes

    @property
    def days(self) -> Decimal:
        return self.minutes / 1440

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def describe(self) -> str:
        start, end = self.local(self.start), self.local(self.end)
        text = f"{_show(start)} to {_show(end)} ({self.time_zone})"
        if self.running:
            text += f", as of {_show(self.local(self.as_of))}"
        return text


def _minutes_between(start: datetime, end: datetime) -> Decimal:
    delta = end.astimezone(UTC) - start.astimezone(UTC)
    microseconds = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return Decimal(microseconds) / Decimal(60_000_000)


def _show(instant: datetime) -> str:
    if (instant.hour, instant.minute, instant.second, instant.microsecond) == (
        0,
        0,
        0,
        0,
    ):
        return instant.date().isoformat()
    return instant.replace(tzinfo=None).isoformat(timespec="minutes")


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PeriodError(
            f"unknown time zone {name!r}; use an IANA name such as UTC"
        ) from None


def parse_instant(text: str, zone: ZoneInfo) -> datetime:
    """Read ``2026-03-01`` or ``2026-03-15T12:00[+01:00]`` as an aware datetime."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            f"{text!r} is not a date or date-time; write 2026-03-01 or 2026-03-15T12:00"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value


def read_period(start: str, end: str, time_zone: str, as_of: str | None) -> Period:
    """Build a period from snapshot fields; raise PeriodError naming the bad field."""
    zone = zone_named(time_zone)
    begin, finish = parse_instant(start, zone), parse_instant(end, zone)
    if finish <= begin:
        raise PeriodError(f"end {end!r} is not after start {start!r}")
    measured = parse_instant(as_of, zone) if as_of is not None else finish
    if not begin < measured <= finish:
        raise PeriodError(f"asOf {as_of!r} lies outside the period {start} to {end}")
    return Period(begin, finish, measured, time_zone)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    try:
        return date(index // 12, index % 12 + 1, day.day)
    except ValueError:
        # Python dates end at year 9999; a period reaching past it is unusable.
        raise PeriodError(
            f"the period after {day.isoformat()} runs past year 9999; "
            "check the snapshot's period dates"
        ) from None


def contract_period(
    period: Period, unit: str, time_zone: str
) -> tuple[datetime, datetime]:
    """Return the calendar ``unit`` in ``time_zone`` holding the snapshot's start."""
    zone = zone_named(time_zone)
    local = period.start.astimezone(zone)
    first = date(local.year, local.month, 1)
    if unit == "quarter":
        first = date(local.year, 3 * ((local.month - 1) // 3) + 1, 1)
    elif unit == "year":
        first = date(local.year, 1, 1)
    begin = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    finish = datetime.combine(
        add_months(first, MONTHS_PER_PERIOD[unit]), datetime.min.time(), tzinfo=zone
    )
    return begin, finish


def covers_one(period: Period, unit: str, time_zone: str) -> str:
    """Return '' when the snapshot covers exactly one ``unit``, else why not."""
    if unit not in MONTHS_PER_PERIOD:
        return f"its period {unit!r} is not a calendar month, quarter or year"
    try:
        begin, finish = contract_period(period, unit, time_zone)
    except PeriodError as error:
        return str(error)
    if _same_instant(begin, period.start) and _same_instant(finish, period.end):
        return ""
    zone = zone_named(time_zone)
    expected = f"{_show(begin)} to {_show(finish.astimezone(zone))} ({time_zone})"
    return (
        f"it is judged per {PERIOD_WORDS[unit]} in {time_zone}, and the snapshot covers "
        f"{period.describe()} rather than exactly one such period, such as {expected}"
    )


def _same_instant(left: datetime, right: datetime) -> bool:
    return left.astimezone(UTC) == right.astimezone(UTC)


def deadline_after(end: datetime, seconds: Decimal, time_zone: str) -> date:
    """Return the last day, in ``time_zone``, on which a claim can still be filed.

    Claims are due before ``end + seconds``; when that instant is a midnight,
    the day before it is the last whole day (30 days after a period ending at
    2026-04-01T00:00 is 2026-05-01T00:00, so the last day is 2026-04-30).
    """
    instant = end.astimezone(UTC) + timedelta(seconds=float(seconds))
    local = instant.astimezone(zone_named(time_zone))
    if local.time() == datetime.min.time():
        return local.date() - timedelta(days=1)
    return local.date()


def elapsed_share_text(period: Period) -> str:
    share = period.elapsed
    if share == ONE:
        return "complete"
    return f"{(share * 100).quantize(Decimal('0.1'))}% elapsed"
