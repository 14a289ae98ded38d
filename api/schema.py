"""The GraphQL schema: each feature's queries merged into one root type."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from api import (
    analysis,
    assessment,
    cases,
    catalog,
    closing,
    components,
    events,
    geography,
    grids,
    handling,
    households,
    intake,
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
    (events.Subscription, grids.Subscription, cases.Subscription, workload.Subscription),
)

schema = strawberry.Schema(
    query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions()
)
