"""The views: deterministic folds of the log that every screen and report reads."""

from projections import assessment, case_board, monthly_analysis, visit_coverage
from projections.view import View

VIEWS: tuple[View, ...] = (case_board, visit_coverage, monthly_analysis, assessment)
"""Every view, by name in `view.name`; the runner folds them all in one pass."""

__all__ = ["VIEWS"]
