"""The assessment view (绩效评价): day tallies of every department, grid and grid worker,
from which the figures of formula version 1 (domain/assessment.py) are read for any day,
week or month, and for any area by its grid-code prefix. The visits due come from its
companion view `projections.assessment.grids`; reading the field figures needs both."""

from projections.assessment import grids
from projections.assessment.cases import STEPS, fold_case, reported, staffed, visited
from projections.assessment.read import department, grid, worker
from projections.assessment.rows import NAME, facts, on_duty, tallies
from projections.records import Record
from projections.view import Rows

name = NAME
version = 3
tables = (tallies, facts, on_duty)
events = frozenset({"CaseReported", "GridStaffed", "VisitRecorded", *STEPS})


def apply(record: Record, rows: Rows) -> None:
    if record.name in STEPS:
        fold_case(record, rows)
    elif record.name == "CaseReported":
        reported(record, rows)
    elif record.name == "VisitRecorded":
        visited(record, rows)
    else:
        staffed(record, rows)


__all__ = [
    "apply",
    "department",
    "events",
    "grid",
    "grids",
    "name",
    "tables",
    "version",
    "worker",
]
