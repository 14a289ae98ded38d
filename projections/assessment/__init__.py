"""The assessment view (绩效评价): day tallies of every department, grid and grid worker,
from which the figures of formula version 1 (domain/assessment.py) are read for any day,
week or month, and for any area by its grid-code prefix."""

from projections.assessment.cases import STEPS, fold_case, reported
from projections.assessment.grids import FOLDS
from projections.assessment.read import department, grid, worker
from projections.assessment.rows import NAME, duties, duty_days, facts, tallies
from projections.records import Record
from projections.view import Rows

name = NAME
version = 1
tables = (tallies, facts, duties, duty_days)
events = frozenset({"CaseReported", *STEPS, *FOLDS})


def apply(record: Record, rows: Rows) -> None:
    if record.name in STEPS:
        fold_case(record, rows)
    elif record.name == "CaseReported":
        reported(record, rows)
    else:
        FOLDS[record.name](record, rows)


__all__ = ["apply", "department", "events", "grid", "name", "tables", "version", "worker"]
