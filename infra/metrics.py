"""What a process tells Prometheus at /metrics. Counters and gauges live in the default
registry of prometheus_client; the projection lag is measured when scraped
(api/operations.py), since it is a fact of the database, not of this process."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

EVENTS_APPENDED = Counter("gridcenter_events_appended", "Events this process recorded.")
NOTICES_DROPPED = Counter(
    "gridcenter_notices_dropped",
    "Notices not delivered: not sent over Redis, or for a subscriber that fell behind.",
    ["reason"],
)
NOTICES_RECEIVED = Counter(
    "gridcenter_notices_received", "Notices received from other processes over Redis."
)
SUBSCRIBERS = Gauge("gridcenter_subscribers", "Subscriptions open on this node.", ["field"])
ANSWERS = Counter(
    "gridcenter_answers",
    "Answers of live views sent to subscribers: written at once, or awaited (queued for a "
    "connection whose buffer was full, or under a server without the write-now extension).",
    ["how"],
)
BROADCASTS = Gauge(
    "gridcenter_broadcasts", "Shared executions of live views on this node (one per query)."
)
LOG_HEAD = Gauge("gridcenter_log_head", "The last position of the log.")
LAG_POSITIONS = Gauge(
    "gridcenter_projection_lag_positions", "Positions a view is behind the log.", ["view"]
)
LAG_SECONDS = Gauge(
    "gridcenter_projection_lag_seconds",
    "Seconds since the first event a view has not folded was recorded (0: caught up).",
    ["view"],
)
