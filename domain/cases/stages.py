"""The vocabulary of the closed loop: stages, channels and levels."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from domain.staff import Role


class Stage(StrEnum):
    REPORTED = "reported"  # 已上报
    FILED = "filed"  # 已立案
    DISPATCHED = "dispatched"  # 已派遣
    ACCEPTED = "accepted"  # 已签收
    RETURNED = "returned"  # 已退回
    HANDLED = "handled"  # 已处置
    REWORK = "rework"  # 返工中
    VERIFIED = "verified"  # 已核查
    RESOLVED_ON_SPOT = "resolved_on_spot"  # 已自行处置
    CLOSED = "closed"  # 已结案
    REJECTED = "rejected"  # 不予立案
    MERGED = "merged"  # 已合并

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in (Stage.CLOSED, Stage.REJECTED, Stage.MERGED)

    @property
    def clock_runs(self) -> bool:
        """The deadline clock runs while the department owes an answer."""
        return self in (Stage.DISPATCHED, Stage.ACCEPTED, Stage.REWORK)


_STAGE_LABELS = {
    Stage.REPORTED: "reported (已上报)",
    Stage.FILED: "filed (已立案)",
    Stage.DISPATCHED: "dispatched (已派遣)",
    Stage.ACCEPTED: "accepted (已签收)",
    Stage.RETURNED: "returned (已退回)",
    Stage.HANDLED: "handled (已处置)",
    Stage.REWORK: "in rework (返工中)",
    Stage.VERIFIED: "verified (已核查)",
    Stage.RESOLVED_ON_SPOT: "resolved on the spot (已自行处置)",
    Stage.CLOSED: "closed (已结案)",
    Stage.REJECTED: "rejected (不予立案)",
    Stage.MERGED: "merged (已合并)",
}


class Channel(StrEnum):
    PATROL = "patrol"  # 网格员巡查
    SUPERVISOR = "supervisor"  # 监督员巡查
    VISIT = "visit"  # 走访发现
    HOTLINE = "hotline"  # 12345 热线
    APP = "app"  # 市民 app
    OPEN311 = "open311"  # Open311 GeoReport
    VIDEO = "video"  # 视频监控
    HIGHER_OFFICE = "higher_office"  # 上级交办

    @property
    def needs_check(self) -> bool:
        """Reports nobody of ours has seen need an on-site check (核实) before filing."""
        return self in (Channel.HOTLINE, Channel.APP, Channel.OPEN311, Channel.VIDEO)

    @property
    def roles(self) -> frozenset[Role]:
        return _CHANNEL_ROLES[self]


_CHANNEL_ROLES = {
    Channel.PATROL: frozenset({Role.GRID_WORKER}),
    Channel.SUPERVISOR: frozenset({Role.SUPERVISOR}),
    Channel.VISIT: frozenset({Role.GRID_WORKER, Role.SUPERVISOR}),
    Channel.HOTLINE: frozenset({Role.OPERATOR}),
    Channel.APP: frozenset({Role.PUBLIC}),
    Channel.OPEN311: frozenset({Role.PUBLIC}),
    Channel.VIDEO: frozenset({Role.OPERATOR}),
    Channel.HIGHER_OFFICE: frozenset({Role.OPERATOR}),
}


class Level(IntEnum):
    """Who coordinates a case; what a level cannot solve goes one level up."""

    GRID = 1
    COMMUNITY = 2
    STREET = 3
    DISTRICT = 4
    CITY = 5

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def of_area(cls, area_code: str) -> Level:
        """The level an area code names: 15 digits a grid, 12 a community, 9 a street, …"""
        return {15: cls.GRID, 12: cls.COMMUNITY, 9: cls.STREET, 6: cls.DISTRICT}.get(
            len(area_code), cls.CITY
        )
