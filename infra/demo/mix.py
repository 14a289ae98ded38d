"""What the simulated city reports, through which channel, and when in the day.

Weights are rough shares from the practice: patrols find garbage, vending and broken
covers; the 12345 hotline hears noise, heating, parking and neighbours; cameras see
street order; visits find people who need help."""

from __future__ import annotations

import random
from collections.abc import Mapping

from domain.cases import Channel

CHANNELS: Mapping[Channel, float] = {
    Channel.PATROL: 42,
    Channel.SUPERVISOR: 10,
    Channel.HOTLINE: 22,
    Channel.APP: 9,
    Channel.OPEN311: 3,
    Channel.VIDEO: 12,
    Channel.HIGHER_OFFICE: 2,
}

_STREET = {
    "E0101": 20,
    "E0102": 6,
    "E0103": 5,
    "E0201": 10,
    "E0203": 3,
    "E0501": 8,
    "E0502": 8,
    "E0504": 8,
    "E0303": 2,
    "E0304": 3,
    "E0305": 2,
    "E0701": 1,
    "E0703": 1,
}
_COMPONENTS = {
    "C0101": 4,
    "C0102": 4,
    "C0103": 3,
    "C0104": 1,
    "C0105": 1,
    "C0106": 1,
    "C0107": 1,
    "C0201": 6,
    "C0203": 2,
    "C0204": 2,
    "C0301": 5,
    "C0302": 1,
    "C0401": 3,
    "C0403": 2,
    "C0603": 1,
}
CATEGORIES: Mapping[Channel, Mapping[str, float]] = {
    Channel.PATROL: {**_STREET, **_COMPONENTS},
    Channel.SUPERVISOR: {**_STREET, **_COMPONENTS},
    Channel.HOTLINE: {"E0303": 10, "E0601": 6, "E0903": 8, "E0904": 4, "E0905": 3, "E0101": 8,
                      "E0503": 10, "E0702": 3, "E0801": 3, "E0602": 3, "E0603": 5, "E0604": 3,
                      "E0401": 2, "E0402": 1, "E0403": 1, "E0404": 0.5, "C0101": 2, "C0201": 4},
    Channel.APP: {"E0101": 10, "E0503": 8, "C0201": 6, "C0102": 3, "E0303": 6, "E0201": 4,
                  "E0504": 6, "E0305": 2},
    Channel.OPEN311: {"E0101": 8, "C0201": 6, "E0504": 5, "C0301": 3, "E0102": 3},
    Channel.VIDEO: {"E0501": 10, "E0502": 8, "E0503": 10, "E0101": 6, "E0104": 1},
    Channel.HIGHER_OFFICE: {"E0302": 3, "E0702": 2, "E0602": 2, "E0704": 1},
}  # fmt: skip
NEEDS: Mapping[str, float] = {"E0801": 5, "E0901": 3, "E0902": 3, "E0903": 3, "E0802": 1,
                              "E0601": 2}  # fmt: skip
"""What a household visit turns up as a need."""

SMALL_MATTERS = frozenset({"E0101", "E0102", "E0201", "E0203", "E0504", "C0301"})
"""What a grid worker can often put right on the spot (小事不出格)."""

HOURLY = (0.25, 0.2, 0.15, 0.15, 0.2, 0.3, 0.5, 0.8, 1.2, 1.6, 1.7, 1.5, 1.1, 1.2,
          1.5, 1.6, 1.5, 1.3, 1.1, 0.9, 0.8, 0.6, 0.45, 0.3)  # fmt: skip
"""Reports in each local hour relative to the daily mean: quiet nights, busy mornings."""

FINDINGS = (
    "入户走访，家中情况正常",
    "老人身体状况良好，叮嘱注意防寒",
    "了解家庭近况，宣传垃圾分类",
    "核对人口信息，更新联系方式",
    "宣传防诈骗知识，留下网格员电话",
    "检查燃气使用安全，提醒开窗通风",
    "租户信息已登记，提醒签订租赁合同",
)


def choose(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def choose_channel(rng: random.Random) -> Channel:
    return rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
