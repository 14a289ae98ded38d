"""Grid status (网格状态): how each grid stands — its open cases, what is overdue or due
soon, when it last had a report and a visit, who is on duty — and its level (normal,
attention, alarm) for the command center's wall map, rolled up per community, street and
district.

Rules (the figures that depend on the time are read at `now`; `Rules` holds the spans):
- A case is open from its report until it is closed, rejected or merged. It counts in the
  grid it was reported in, under its stage (reported, filed, dispatched, accepted, returned,
  handled, rework, verified, resolved_on_spot), and as urgent if it was filed urgent.
- Overdue: an open case whose deadline in force has passed at `now` while its clock runs
  (dispatched, accepted or in rework, and not suspended). Handling by the deadline is on
  time, so a case is overdue only after it. This is the moment the watcher records as
  CaseOverdue; reading it from the deadline shows it without waiting for the watcher, and
  shows a case sent back to rework after its deadline as overdue at once.
- Due soon: a running deadline not passed yet but within `due_soon` (2 hours) of `now`.
- Levels: alarm — an overdue case, or an urgent case open; attention — otherwise a case due
  soon, `busy` (5) or more open cases, or a worker on duty who has recorded no visit in the
  grid for `quiet` (14 days) since they took it over; normal — none of these. The reasons
  come with the level: overdue, urgent, due_soon, busy, quiet.
- Areas: an area code is a prefix of its grids' codes (12 digits a community, 9 a street,
  6 the district); an area sums its grids and its level is its worst grid's.
- A retired grid keeps the cases reported in it: it stays listed, counted and coloured
  while any of them is open, but adds no households or population (its successors have
  them) and has no quiet rule.
- Last report and last visit are the latest business instants seen, so a report or visit
  synced late from a phone never moves them back.
- Notices name the codes of the grids that changed and bring their rows (`noticed`): a
  grid's status at any instant is its row's (`status_of`), so screens read nothing more.
"""

from projections.grid_status.fold import NAME, apply, events, grid_rows, open_cases
from projections.grid_status.read import (
    ALARM,
    ATTENTION,
    NORMAL,
    RULES,
    AreaStatus,
    GridStatus,
    Rules,
    area,
    changed,
    grid,
    grids,
    grids_of,
    status_of,
)

name = NAME
version = 4
tables = (grid_rows, open_cases)
noticed = grid_rows

__all__ = [
    "ALARM",
    "ATTENTION",
    "NORMAL",
    "RULES",
    "AreaStatus",
    "GridStatus",
    "Rules",
    "apply",
    "area",
    "changed",
    "events",
    "grid",
    "grids",
    "grids_of",
    "name",
    "noticed",
    "status_of",
    "tables",
    "version",
]
