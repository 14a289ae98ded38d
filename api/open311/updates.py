"""GET servicerequestupdates (the extension FixMyStreet reads): every public step of
the public requests, in log order, each with the extended status after it. update_id is
the step's position in the log, so `after=<the last update_id seen>` (this endpoint's
own parameter) resumes without a gap or a repeat. start_date and end_date bound when
the steps were taken, 90 days apart at most; by default the last 90 days, unless
`after` is given. page / page_size as for requests."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.open311.endpoint import Call, endpoint
from api.open311.formats import Items, render
from api.open311.requests import dates, paging
from api.open311.wording import step
from projections import open311
from projections.open311 import UpdateRow


@endpoint
async def update_list(call: Call) -> Response:
    params = call.params
    after = params.integer("after", 0, 10**15)
    start, end = dates(params, call.now, default=after is None)
    offset, size = paging(params)
    found = await call.run(
        open311.updates,
        call.services.views,
        call.public,
        start=start,
        end=end,
        after=after,
        offset=offset,
        limit=size,
    )
    channels = await call.run(_channels, call, found)
    shown = [_update(call, u, channels.get(u.number, "")) for u in found]
    return render("service_requests_updates", Items("request_update", shown), call.format)


def _channels(call: Call, found: list[UpdateRow]) -> dict[int, str]:
    """The channel of each request (the note of a report names it)."""
    numbers = sorted({u.number for u in found if u.kind == "reported"})
    if not numbers:
        return {}
    query = open311.Query(call.public, numbers=numbers, limit=len(numbers))
    return {row.number: row.channel for row in open311.requests(call.services.views, query)}


def _update(call: Call, update: UpdateRow, channel: str) -> dict[str, Any]:
    return {
        "update_id": str(update.position),
        "service_request_id": str(update.number),
        "status": update.detail,
        "updated_datetime": update.at,
        "description": step(update, channel, call.catalog, call.language),
        "media_url": update.media_url,
    }
