"""The views: deterministic folds of the log that every screen and report reads."""

from projections import (
    assessment,
    case_board,
    case_markers,
    component_map,
    grid_map,
    grid_status,
    headline,
    monthly_analysis,
    open311,
    staff,
    visit_coverage,
    workload,
)
from projections.assessment import grids as assessment_grids
from projections.view import View

VIEWS: tuple[View, ...] = (
    case_board,
    grid_status,
    workload,
    visit_coverage,
    assessment,
    assessment_grids,
    monthly_analysis,
    grid_map,
    open311,
    staff,
    case_markers,
    component_map,
    headline,
)
"""Every view, by name in `view.name`; the runner folds them all in one pass."""

__all__ = ["VIEWS"]
