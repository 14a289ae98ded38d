"""The demo city's people: staff of every role, grid service teams and households.

Everything here is invented from a seed; names and phone numbers are fake but look
like the real thing, so the demo shows what personal data looks like — and that the
outputs mask it."""

from __future__ import annotations

import random
from collections.abc import Iterator

from domain.catalog import Catalog
from domain.service import HouseholdPlan, StaffPlan
from domain.staff import Role
from domain.visits import Tag
from infra.demo.city import CityPlan, GridPlan, random_point_in

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅"
    "沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔"
    "白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强春梅海"
    "燕红梅玉兰小红德明文华桂兰淑珍淑兰凤英金凤振华建军"
)
_TAG_SHARES = (
    (Tag.ELDERLY_ALONE, 0.04),
    (Tag.EMPTY_NEST, 0.08),
    (Tag.DISABLED, 0.03),
    (Tag.LOW_INCOME, 0.02),
    (Tag.SPECIAL_CARE, 0.005),
    (Tag.LEFT_BEHIND_CHILD, 0.01),
    (Tag.VETERAN, 0.02),
    (Tag.RENTED, 0.2),
)
_TEAM_DUTIES = (
    "网格长",
    "专职网格员",
    "兼职网格员",
    "社区民警",
    "楼门长",
    "志愿者",
    "物业管理员",
    "卫生监督员",
)
OPERATORS, AUDITORS, STAFF_PER_DEPARTMENT = 8, 2, 3
ADMIN_CODE = "A0001"


def person(rng: random.Random) -> str:
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(_SURNAMES) + given


def phone(rng: random.Random) -> str:
    prefix = rng.choice(("139", "138", "137", "136", "135", "186", "187", "158"))
    return f"{prefix}{rng.randrange(10**8):08d}"


def worker_code(grid: str) -> str:
    return f"W{grid}"


def supervisor_code(community: str) -> str:
    return f"S{community}"


def department_codes(department: str) -> list[str]:
    return [f"D-{department}-{n:02d}" for n in range(1, STAFF_PER_DEPARTMENT + 1)]


def operator_codes() -> list[str]:
    return [f"OP{n:02d}" for n in range(1, OPERATORS + 1)]


def staff(city: CityPlan, catalog: Catalog, rng: random.Random) -> list[StaffPlan]:
    """Admin, operators and auditors of the district, a supervisor per community, a grid
    worker per grid, and a few staff per department."""
    district = (city.district_code,)
    plans = [StaffPlan(ADMIN_CODE, "系统管理员", Role.ADMIN, ("",))]
    plans += [StaffPlan(code, person(rng), Role.OPERATOR, district) for code in operator_codes()]
    plans += [
        StaffPlan(f"AU{n:02d}", person(rng), Role.AUDITOR, ("",)) for n in range(1, AUDITORS + 1)
    ]
    plans += [
        StaffPlan(supervisor_code(c.code), person(rng), Role.SUPERVISOR, (c.code,))
        for c in city.communities
    ]
    plans += [
        StaffPlan(worker_code(g.code), person(rng), Role.GRID_WORKER, (g.code,)) for g in city.grids
    ]
    plans += [
        StaffPlan(code, person(rng), Role.DEPARTMENT, department=d.code)
        for d in catalog.departments
        for code in department_codes(d.code)
    ]
    return plans


def team(rng: random.Random) -> list[str]:
    """A grid service team of 6–8 (Zhoushan's model): duty and name."""
    size = rng.randint(6, 8)
    return [f"{duty} {person(rng)}" for duty in _TEAM_DUTIES[:size]]


def households(grid: GridPlan, community_name: str, rng: random.Random) -> Iterator[HouseholdPlan]:
    for serial in range(1, grid.households + 1):
        building, rest = divmod(serial - 1, 24)
        unit, room = divmod(rest, 8)
        tags = tuple(tag for tag, share in _TAG_SHARES if rng.random() < share)
        yield HouseholdPlan(
            code=f"{grid.code}{serial:04d}",
            address=f"{community_name}{building + 1}号楼{unit + 1}单元{101 + room}",
            location=random_point_in(grid.boundary, rng),
            members=1 if Tag.ELDERLY_ALONE in tags else rng.choice((1, 2, 2, 3, 3, 3, 4, 5)),
            tags=tags,
            head_name=person(rng),
            head_phone=phone(rng),
        )
