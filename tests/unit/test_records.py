"""Events as the views read them: the fields they convert on demand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from projections.periods import CST
from projections.records import Record


def recorded_at(at: datetime) -> Record:
    return Record(1, "CaseReported", "ab" * 16, 1, {"at": {"_data_": at.isoformat()}})


def test_the_local_day_turns_at_midnight_china_standard_time() -> None:
    assert recorded_at(datetime(2026, 3, 1, 15, 59, 59, 999999, tzinfo=UTC)).day == "2026-03-01"
    assert recorded_at(datetime(2026, 3, 1, 16, 0, tzinfo=UTC)).day == "2026-03-02"
    assert recorded_at(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)).day == "2027-01-01"


@given(
    at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    offset=st.sampled_from([0, 0, 8, -5, 5.5]),
)
def test_the_local_day_is_the_day_of_the_instant_in_china_standard_time(
    at: datetime, offset: float
) -> None:
    """UTC instants, as the domain records them, and instants in any other offset."""
    instant = at.replace(tzinfo=timezone(timedelta(hours=offset)))
    assert recorded_at(instant).day == instant.astimezone(CST).date().isoformat()
