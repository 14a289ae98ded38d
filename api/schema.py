"""The GraphQL schema: each feature's queries merged into one root type."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from api import cases, grids
from api.events import Subscription

Query = merge_types("Query", (grids.Query, cases.Query))

schema = strawberry.Schema(query=Query, subscription=Subscription)
