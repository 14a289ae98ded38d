"""The GraphQL schema: each feature's queries merged into one root type."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from api import (
    analysis,
    area_map,
    assessment,
    case_markers,
    cases,
    catalog,
    closing,
    component_map,
    components,
    events,
    geography,
    grids,
    handling,
    headline,
    households,
    intake,
    permissions,
    playback,
    staff,
    time_travel,
    visits,
    workload,
)
from api.limits import extensions

Query = merge_types(
    "Query",
    (
        grids.Query,
        cases.Query,
        workload.Query,
        visits.Query,
        assessment.Query,
        analysis.Query,
        catalog.Query,
        staff.Query,
        time_travel.Query,
        permissions.Query,
        headline.Query,
        case_markers.Query,
        component_map.Query,
        area_map.Query,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        intake.Mutation,
        handling.Mutation,
        closing.Mutation,
        visits.Mutation,
        households.Mutation,
        components.Mutation,
        geography.Mutation,
        staff.Mutation,
    ),
)
Subscription = merge_types(
    "Subscription",
    (
        events.Subscription,
        grids.Subscription,
        cases.Subscription,
        workload.Subscription,
        playback.Subscription,
    ),
)

schema = strawberry.Schema(
    query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions()
)
