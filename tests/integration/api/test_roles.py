"""Every role against every operation it must be refused — each mutation, query and
subscription — with what the refusal says; a refused command records nothing. And the
personal data of a case's reporter, shown only to the operator and the grid's worker.

One server a store for the whole table (the refusals change nothing, so they share it)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from domain.cases import Channel
from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from domain.visits import Need
from infra.loopback import ApiServer, start_api
from infra.tokens import digest_of, mint
from tests.conftest import POSTGRES
from tests.fixtures import (
    ADMIN,
    COMMUNITY,
    DISTRICT,
    GRID_A,
    GRID_B,
    IN_A,
    OPERATOR,
    UNBOUNDED_QUEUE,
    WORKER_A,
    Loop,
    head,
)
from tests.histories import HOMES
from tests.integration.api.client import TRANSPORT_WS, query, root_fields, wait_for_case

W, S, OP, D, AU, AD, P = "W001", "S001", "OP01", "D001", "AU01", "AD01", "P001"
ROLES = [W, S, OP, D, AU, AD, P]
STAFF = [
    StaffPlan(W, "张网格", Role.GRID_WORKER, (GRID_A,)),
    StaffPlan(S, "赵监督", Role.SUPERVISOR, (COMMUNITY,)),
    StaffPlan(OP, "王调度", Role.OPERATOR, (DISTRICT,)),
    StaffPlan(D, "水务 刘", Role.DEPARTMENT, department="swj"),
    StaffPlan(AU, "审计 周", Role.AUDITOR),
    StaffPlan(AD, "管理 吴", Role.ADMIN, ("",)),
    StaffPlan(P, "12345 app", Role.PUBLIC),
]


class Scene:
    """The store the table runs against: a case dispatched to sanitation (hwj), in grid A,
    reported by a resident with their name and phone; households; a token to revoke."""

    def __init__(
        self, app: GridCenter, server: ApiServer, tokens: dict[str, str], token: str
    ) -> None:
        self.app, self.server, self.tokens, self.token = app, server, tokens, token


@pytest.fixture(scope="module", params=["sqlite", POSTGRES])
def scene(
    request: pytest.FixtureRequest,
    app_factory: Callable[[str], GridCenter],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Scene]:
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('roles')) / 'gridcenter.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    app = app_factory(url)
    app.enrol_staff(STAFF, ADMIN, Loop(app).at)
    tokens = {}
    for plan in STAFF:
        tokens[plan.code], digest = mint()
        app.issue_token(digest, plan.code, "roles", by=ADMIN, at=Loop(app).at)
    app.register_households(HOMES, ADMIN, Loop(app).at)
    loop = Loop(app)
    need = (Need("E0101", "楼道堆物"),)
    app.record_visit(HOMES[0].code, "独居老人, 楼道堆物", by=WORKER_A, at=loop.tick(), needs=need)
    app.report_case(
        channel=Channel.HOTLINE,
        category="E0101",
        location=IN_A,
        description="路边垃圾",
        by=OPERATOR,
        at=loop.tick(),
        reporter_name="李四",
        reporter_phone="13912345678",
    )
    app.confirm_report(1, found=True, note="属实", by=WORKER_A, at=loop.tick())  # 核实
    app.file_case(1, by=OPERATOR, at=loop.tick())
    app.dispatch_case(1, by=OPERATOR, at=loop.tick())  # to hwj
    server = start_api(url)
    server.token = tokens[OP]
    wait_for_case(server, 1, "dispatched")
    yield Scene(app, server, tokens, token=digest_of(tokens[AU])[:8])
    server.stop()
    app.close()


# Commands: (mutation, the roles refused) ------------------------------------------------------

REFUSAL = "__typename ... on Refusal { message }"

CASE = "number: 1"
RING = "[[116.40, 39.93], [116.41, 39.93], [116.41, 39.94], [116.40, 39.94], [116.40, 39.93]]"
GRID = f'{{code: "{GRID_A}", nameZh: "甲", nameEn: "A", boundary: {RING}, households: 1, '
GRID += "population: 1}"
HOME = f'household: "{GRID_A}0001"'
FIELD, CENTER = {W, S}, {OP}
NOT_FIELD = {OP, D, AU, AD, P}
NOT_CENTER = {W, S, D, AU, AD, P}
NOT_DEPARTMENT = {W, S, OP, AU, AD, P}
NOT_ADMIN = {W, S, OP, D, AU, P}
COMMANDS: list[tuple[str, set[str]]] = [
    ('reportCase(channel: HOTLINE, category: "E0101", location: {lon: 116.405, lat: 39.935}, '
     'description: "x")', NOT_CENTER),
    (f"confirmReport({CASE}, found: true)", NOT_FIELD),
    (f"fileCase({CASE})", NOT_CENTER),
    (f'rejectCase({CASE}, reason: "x")', NOT_CENTER),
    (f"mergeCase({CASE}, into: 1)", NOT_CENTER),
    (f"dispatchCase({CASE})", NOT_CENTER),
    (f"acceptCase({CASE})", NOT_DEPARTMENT),
    (f'returnCase({CASE}, reason: "x")', NOT_DEPARTMENT),
    (f'handleCase({CASE}, note: "x")', NOT_DEPARTMENT),
    (f'requestExtension({CASE}, reason: "x", extension: {{amount: 1, unit: WORK_DAYS}})',
     NOT_DEPARTMENT),
    (f"grantExtension({CASE})", NOT_CENTER),
    (f'refuseExtension({CASE}, reason: "x")', NOT_CENTER),
    (f'suspendCase({CASE}, reason: "x")', NOT_CENTER),
    (f"resumeCase({CASE})", NOT_CENTER),
    (f"verifyCase({CASE}, passed: true)", NOT_FIELD),
    (f"closeCase({CASE})", NOT_CENTER),
    (f'resolveOnSpot({CASE}, note: "x")', NOT_FIELD),
    (f'escalateCase({CASE}, reason: "x")', {D, AU, AD, P}),
    (f"evaluateCase({CASE}, satisfaction: 5)", {W, S, D, AU, AD}),
    (f'recordVisit({HOME}, findings: "x")', NOT_FIELD),
    (f"reportNeed({HOME}, visit: 1, need: 1)", NOT_FIELD),
    (f'tagHousehold({HOME}, tag: VETERAN)', {OP, D, AU, P}),
    (f'untagHousehold({HOME}, tag: ELDERLY_ALONE)', {OP, D, AU, P}),
    (f"moveOut({HOME})", {OP, D, AU, P}),
    (f'registerHouseholds(households: [{{code: "{GRID_A}0009", address: "x", location: '
     '{lon: 116.405, lat: 39.935}, members: 1, headName: "x", headPhone: "1"}])', {OP, D, AU, P}),
    ('registerComponents(components: [{code: "1101010101000009", location: {lon: 116.405, '
     'lat: 39.935}, owner: "swj", maintainer: "swj"}])', NOT_ADMIN),
    (f'drawDistrict(nameZh: "东城区", nameEn: "Dongcheng", outline: {RING})', NOT_ADMIN),
    (f"drawMap(streets: [], communities: [], grids: [{GRID}])", NOT_ADMIN),
    (f'redrawGrids(boundaries: [{{code: "{GRID_A}", boundary: {RING}}}])', NOT_ADMIN),
    (f'splitGrid(code: "{GRID_A}", parts: [{GRID}])', NOT_ADMIN),
    (f'mergeGrids(codes: ["{GRID_A}", "{GRID_B}"], into: {GRID})', NOT_ADMIN),
    (f'staffGrids(duties: [{{grid: "{GRID_A}", worker: "{W}"}}])', NOT_ADMIN),
    ('enrolStaff(staff: [{code: "X1", name: "x", role: AUDITOR}])', NOT_ADMIN),
    (f'reassignStaff(code: "{W}", area: ["{GRID_B}"])', NOT_ADMIN),
    (f'staffLeaves(code: "{W}")', NOT_ADMIN),
    (f'issueToken(staff: "{W}")', NOT_ADMIN),
    ('revokeToken(token: "TOKEN")', NOT_ADMIN),
]  # fmt: skip


def test_the_table_names_every_mutation_query_and_subscription() -> None:
    for root, table in (("Mutation", COMMANDS), ("Query", READS), ("Subscription", SUBSCRIPTIONS)):
        named = {_field(text) for text, _ in table}
        assert set(root_fields(root)) - named - EVERYONE == set(), root


def _field(text: str) -> str:
    return text.removeprefix("subscription").strip(" {").partition("(")[0].partition(" ")[0]


EVERYONE = {"areas", "gridMap", "areaMap", "catalog", "staff", "viewer", "permissions"}
"""Read by any signed-in caller (the roster as far as their scope reaches)."""


@pytest.mark.parametrize("staff", ROLES)
def test_each_role_is_refused_every_command_it_may_not_send(scene: Scene, staff: str) -> None:
    before, wrong = head(scene.app), []
    for text, refused in COMMANDS:
        if staff not in refused:
            continue
        sent = f"mutation {{ {text.replace('TOKEN', scene.token)} {{ {REFUSAL} }} }}"
        (answer,) = query(scene.server, sent, scene.tokens[staff]).values()
        if answer["__typename"] != "NotAllowed" or "may not" not in answer["message"]:
            wrong.append((text.partition("(")[0], answer))
    assert wrong == [], "\n".join(map(str, wrong))
    assert head(scene.app) == before


# Reads: (operation, {role: what the refusal says}) --------------------------------------------

DEPARTMENTS = "may not read departments' workload"
READS: list[tuple[str, dict[str, str]]] = [
    ("{ grids { code } }", {D: "may not read area", P: "may not read area"}),
    ('{ area(code: "") { open } }', {W: "reads only within", S: "reads only within",
                                     D: "may not read area", P: "may not read area"}),
    (f'{{ grid(code: "{GRID_B}") {{ level }} }}', {W: "may not read area", D: "may not read area",
                                                  P: "may not read area"}),
    (f'{{ caseBoard(filter: {{area: "{GRID_B}"}}) {{ next }} }}', {W: "may not read area",
                                                                  P: "may not read area"}),
    ('{ caseBoard(filter: {department: "hwj"}) { next } }', {D: "only the cases of department",
                                                            P: "may not read area"}),
    ("{ case(number: 1) { stage } }", {D: "only the cases of department", P: "may not read"}),
    ("{ departmentWorkload { code } }", {W: DEPARTMENTS, S: DEPARTMENTS, P: DEPARTMENTS}),
    ("{ workerWorkload { id } }", {D: "may not read grid workers", P: "may not read grid workers"}),
    ('{ visitCoverage(area: "") { quarter } }', {W: "reads only within", S: "reads only within",
                                                D: "may not read area", P: "may not read area"}),
    ('{ departmentAssessment(code: "hwj", period: DAY, day: "2026-03-09") { grade } }',
     {W: "may not read department", S: "may not read department", P: "may not read department",
      D: "only the cases of department"}),
    ('{ gridAssessment(code: "", period: DAY, day: "2026-03-09") { grade } }',
     {W: "reads only within", S: "reads only within", D: "may not read area",
      P: "may not read area"}),
    (f'{{ workerAssessment(staff: "{W}", period: DAY, day: "2026-03-09") {{ grade }} }}',
     {S: "only their own", D: "only their own", P: "only their own"}),
    ('{ monthlyAnalysis(month: "2026-03") { month } }', {W: "reads only within",
                                                        S: "reads only within",
                                                        D: "may not read area",
                                                        P: "may not read area"}),
    ("{ reportMonths }", {W: "reads only within", S: "reads only within", D: "may not read area",
                          P: "may not read area"}),
    ("{ moment(asOf: {position: 1}) { position } }",
     {r: "for auditors" for r in ROLES if r != AU}),
    ("{ caseBoard(asOf: {position: 1}) { next } }",
     {**{r: "for auditors" for r in ROLES if r != AU}, P: "may not read area"}),
    ('{ headline(area: "") { reported } }', {W: "reads only within", S: "reads only within",
                                            D: "may not read area", P: "may not read area"}),
    ('{ caseMarkers(area: "") { number } }', {W: "reads only within", S: "reads only within",
                                             D: "may not read area", P: "may not read area"}),
    ('{ components(area: "") { code } }', {W: "reads only within", S: "reads only within",
                                          D: "may not read area", P: "may not read area"}),
]  # fmt: skip
SUBSCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("subscription { events { position } }", {W: "whole event stream", S: "whole event stream",
                                              P: "whole event stream"}),
    ('subscription { events(filter: {department: "hwj"}) { position } }',
     {D: "only the cases of department swj", W: "event stream of department hwj",
      S: "event stream of department hwj", P: "event stream of department hwj"}),
    ("subscription { gridStatus { code } }", {D: "may not read area", P: "may not read area"}),
    ('subscription { caseUpdates(department: "hwj") { number } }',
     {D: "only the cases of department swj", P: "may not read"}),
    ("subscription { workloadUpdates { departments { code } } }", {P: "may not read workload"}),
    ('subscription { replay(start: "2026-03-09T09:00:00+08:00", end: "2026-03-09T10:00:00+08:00")'
     " { position } }", {r: "for auditors" for r in ROLES if r != AU}),
]  # fmt: skip


@pytest.mark.parametrize("staff", ROLES)
def test_each_role_is_refused_what_it_may_not_read_or_follow(scene: Scene, staff: str) -> None:
    token = scene.tokens[staff]
    answers = [_answer(lambda text=text: query(scene.server, text, token)) for text, _ in READS]
    answers += followed(scene.server, [text for text, _ in SUBSCRIPTIONS], token)
    wrong = []
    for (text, refused), error in zip(READS + SUBSCRIPTIONS, answers, strict=True):
        says = refused.get(staff)
        if error is None:
            if says is not None:
                wrong.append((text, f"served, but should be refused: {says}"))
            continue
        code = (error.errors or [{}])[0].get("extensions", {}).get("code")
        if says is None or says not in str(error) or code != "FORBIDDEN":
            wrong.append((text, str(error)))
    assert wrong == [], "\n".join(map(str, wrong))


def _answer(send: Callable[[], Any]) -> TransportQueryError | None:
    try:
        send()
    except TransportQueryError as error:
        return error
    return None


def followed(server: ApiServer, texts: list[str], token: str) -> list[TransportQueryError | None]:
    """Each subscription's refusal, or None if it started: all subscribed at once, each
    waiting for a first answer or a moment of quiet (a stream with nothing to send yet
    has started too); a refusal comes at once, as TransportQueryError."""

    async def start(text: str) -> TransportQueryError | None:
        transport = WebsocketsTransport(
            url=server.ws,
            subprotocols=[TRANSPORT_WS],
            init_payload={"Authorization": f"Bearer {token}"},
            connect_args=UNBOUNDED_QUEUE,
        )
        async with Client(transport=transport) as session:
            answers = session.subscribe(GraphQLRequest(text))
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(anext(answers), QUIET)
            except TransportQueryError as error:
                return error
            finally:
                await answers.aclose()
        return None

    async def all_of() -> list[TransportQueryError | None]:
        return list(await asyncio.gather(*(start(text) for text in texts)))

    return asyncio.run(all_of())


QUIET = 2.0
"""Seconds without an answer or a refusal after which a subscription counts as served."""


# Personal data ------------------------------------------------------------------------------


@pytest.mark.parametrize(("staff", "shown"), [(OP, True), (W, True), (S, False), (AU, False)])
def test_the_reporters_contact_is_shown_only_to_the_operator_and_the_grids_worker(
    scene: Scene, staff: str, shown: bool
) -> None:
    found = query(
        scene.server, "{ case(number: 1) { reporter { name phone } } }", scene.tokens[staff]
    )
    expected: Any = {"name": "李四", "phone": "13912345678"} if shown else None
    assert found["case"]["reporter"] == expected
