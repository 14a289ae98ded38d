"""Open-data and analysts' exports at /export/…, read from the views.

Open data, no token (what Open311 shows anyone):
- /export/grids.geojson — every grid's boundary with its status now: level and reasons,
  open cases by stage, urgent, overdue, due soon, last report and visit, households and
  population. Not who is on duty: staff are not open data.
- /export/cases.geojson — the open cases of public categories as points, with the public
  fields of Open311 (never one raised on a household visit; no contact data).

Not public, a bearer token (`Authorization: Bearer …`) with the rights GraphQL gives it:
- /export/case_board.csv — the case board as the caller may read it (the district's
  readers everything, grid workers and supervisors their area, department staff their
  department's cases); filters `stages`, `category`, `area`, `department`, `channel`,
  `overdue` as the caseBoard query's; open cases and those ended in the last week unless
  stages are named.
- /export/assessment.csv — figures in long form (one row a subject and figure, with its
  formula and version) for `subject` department, grid or worker, `period` day, week or
  month, the `day` it holds; `code` names the subjects (comma-separated): by default
  every department, the caller's area, or the caller (a grid worker).

CSV is UTF-8 with a header row; times in ISO 8601 with the district's offset; text that a
spreadsheet would take for a formula (starting with = + - @) is written after a '."""

from starlette.routing import Route

from api.exports.assessment import assessment_csv
from api.exports.case_board import case_board_csv
from api.exports.open_data import cases_geojson, grids_geojson

routes = [
    Route("/export/grids.geojson", grids_geojson, methods=["GET"]),
    Route("/export/cases.geojson", cases_geojson, methods=["GET"]),
    Route("/export/case_board.csv", case_board_csv, methods=["GET"]),
    Route("/export/assessment.csv", assessment_csv, methods=["GET"]),
]

__all__ = ["routes"]
