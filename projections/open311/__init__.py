"""The Open311 view: every case as a GeoReport v2 service request, and every public step
of it as an update (the servicerequestupdates extension; update_id = the event's position).

Status: the loop's stages map to Open311's `status` (open / closed) and to the extended
statuses of the FixMyStreet extension (`detail`), each update carrying the pair after it:

| event (stage after it)                  | status | extended status              |
|-----------------------------------------|--------|------------------------------|
| CaseReported (reported)                 | open   | open                         |
| CaseConfirmed (checked on site, 核实)   | open   | investigating                |
| CaseFiled (filed)                       | open   | investigating                |
| CaseReturned (back at the center)       | open   | investigating                |
| CaseDispatched, CaseAccepted            | open   | in_progress                  |
| CaseHandled (fix reported, unchecked)   | open   | in_progress                  |
| ReworkOrdered (fix failed the check)    | open   | in_progress                  |
| CaseVerified, CaseResolvedOnSpot        | open   | fixed                        |
| CaseClosed (结案)                        | closed | fixed                        |
| CaseMerged (a duplicate)                | closed | duplicate                    |
| CaseRejected by the on-site check       | closed | no_further_action            |
| CaseRejected by the center (不予立案)    | closed | not_councils_responsibility  |

ExtensionGranted, CaseSuspended, CaseResumed, CaseEscalated and DuplicateMerged are
updates too (they change what the public sees: the date expected, the level handling
it, a duplicate joining) and keep the status. Internal steps — ExtensionRequested and
ExtensionRefused, the deadline watch, the reporter's evaluation — are not updates.

Privacy: the view never stores personal data. A report's description and the notes of
its steps are kept with the reporter's own name and phone blanked, and anything shaped
like a phone number, an e-mail address or an identity-card number blanked too. Cases
raised on a household visit (channel visit) are about a household: they are not folded.
Which categories are public is the catalog's to say; readers filter on it (read.py).
"""

from projections.open311.fold import (
    NAME,
    STATUSES,
    RequestRow,
    UpdateRow,
    apply,
    events,
    request_rows,
    scrubbed,
    update_rows,
)
from projections.open311.read import Query, notes, request, requests, updates

name = NAME
version = 1
tables = (request_rows, update_rows)

__all__ = [
    "STATUSES",
    "Query",
    "RequestRow",
    "UpdateRow",
    "apply",
    "events",
    "name",
    "notes",
    "request",
    "request_rows",
    "requests",
    "scrubbed",
    "tables",
    "update_rows",
    "updates",
    "version",
]
