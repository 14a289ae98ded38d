"""The Open311 view: every case a service request, every public step an update, with
the loop's stages mapped to open / closed and the extended statuses — folded from cases
taken through the real application; no personal data ever stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings

from domain.cases import Channel
from domain.deadlines import Limit, TimeUnit
from domain.service import GridCenter, StaffPlan
from domain.visits import Need
from projections import open311
from projections.open311 import Query, RequestRow, notes, request, requests, scrubbed, updates
from projections.replay import fold
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from tests.fixtures import (
    ADMIN,
    IN_A,
    MONDAY,
    OPERATOR,
    RESIDENT,
    SANITATION,
    WORKER_A,
    Loop,
    head,
)
from tests.histories import HOMES, Step, contents, folded, play, steps

PUBLIC = frozenset({"E0101", "E0501", "E0903", "C0101"})


def folded_store(app: GridCenter) -> MemoryViewStore:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, [open311]).catch_up()
    return store


def the_request(app: GridCenter, number: int) -> RequestRow:
    found = request(folded_store(app), number, PUBLIC)
    assert found is not None
    return found


def public_report(app: GridCenter, loop: Loop, **more: object) -> int:
    report = {"category": "E0101", "description": "路边有垃圾", **more}
    recorded = app.report_case(
        channel=Channel.OPEN311,
        location=IN_A,
        by=RESIDENT,
        at=loop.tick(),
        **report,  # type: ignore[arg-type]
    )
    assert recorded.number is not None
    return recorded.number


def test_a_public_report_taken_round_the_loop_is_open_then_closed_and_fixed(
    app: GridCenter, loop: Loop
) -> None:
    number = public_report(app, loop)
    app.confirm_report(number, found=True, note="现场确有垃圾", by=WORKER_A, at=loop.tick())
    app.file_case(number, by=OPERATOR, at=loop.tick())
    app.dispatch_case(number, by=OPERATOR, at=loop.tick())
    app.accept_case(number, by=SANITATION, at=loop.tick())
    app.handle_case(number, note="已清运", by=SANITATION, at=loop.tick())
    app.verify_case(number, passed=True, note="现场已干净", by=WORKER_A, at=loop.tick())
    app.close_case(number, by=OPERATOR, at=loop.tick())
    store = folded_store(app)
    row = request(store, number, PUBLIC)
    assert row is not None
    steps_seen = [(u.kind, u.status, u.detail) for u in notes(store, [row])[number]]
    assert steps_seen == [
        ("reported", "open", "open"),
        ("confirmed", "open", "investigating"),
        ("filed", "open", "investigating"),
        ("dispatched", "open", "in_progress"),
        ("accepted", "open", "in_progress"),
        ("handled", "open", "in_progress"),
        ("verified", "open", "fixed"),
        ("closed", "closed", "fixed"),
    ]
    assert (row.status, row.detail, row.updated_at) == ("closed", "fixed", loop.at)
    assert row.department == "hwj" and row.deadline is not None
    assert row.note == "现场已干净"  # the close said nothing: the check's note stands


@pytest.mark.parametrize(
    ("end", "detail"),
    [
        pytest.param("not found", "no_further_action", id="the on-site check finds nothing"),
        pytest.param("rejected", "not_councils_responsibility", id="the center rejects it"),
        pytest.param("merged", "duplicate", id="merged into another case"),
    ],
)
def test_a_report_that_ends_without_a_fix_is_closed_with_its_reason(
    app: GridCenter, loop: Loop, end: str, detail: str
) -> None:
    number = public_report(app, loop)
    if end == "not found":
        app.confirm_report(number, found=False, note="现场无垃圾", by=WORKER_A, at=loop.tick())
    elif end == "rejected":
        app.reject_case(number, reason="属物业管理范围", by=OPERATOR, at=loop.tick())
    else:
        other = loop.reported()
        app.merge_case(number, into=other, by=OPERATOR, at=loop.tick())
    row = the_request(app, number)
    assert (row.status, row.detail) == ("closed", detail)
    if end == "merged":
        (last,) = notes(folded_store(app), [row])[number][-1:]
        assert (last.kind, last.other) == ("merged", number + 1)
    else:
        assert row.note in ("not found on site (核实未发现): 现场无垃圾", "属物业管理范围")


def test_a_returned_case_is_back_under_investigation_with_no_agency(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.dispatched()
    app.return_case(number, reason="不归我们管", by=SANITATION, at=loop.tick())
    row = the_request(app, number)
    assert (row.detail, row.department, row.deadline) == ("investigating", None, None)
    assert row.note == ""  # the department's reason is for the center


def test_an_extension_and_a_suspension_move_the_date_expected(app: GridCenter, loop: Loop) -> None:
    number = loop.accepted()
    dispatched = the_request(app, number).deadline
    extension = Limit(1, TimeUnit.WORK_DAYS)
    app.request_extension(number, extension, reason="待采购", by=SANITATION, at=loop.tick())
    assert the_request(app, number).deadline == dispatched  # asking changes nothing
    app.grant_extension(number, by=OPERATOR, at=loop.tick())
    granted = the_request(app, number).deadline
    assert granted is not None and dispatched is not None and granted > dispatched
    app.suspend_case(number, reason="待审批", by=OPERATOR, at=loop.tick())
    assert the_request(app, number).deadline is None
    app.resume_case(number, by=OPERATOR, at=loop.tick(60))
    row = the_request(app, number)
    assert row.deadline is not None and row.deadline > granted
    kinds = [u.kind for u in notes(folded_store(app), [row])[number]]
    assert kinds[-3:] == ["extended", "suspended", "resumed"]
    assert "extension_requested" not in kinds and row.detail == "in_progress"


def test_no_personal_data_is_stored_and_contact_data_in_texts_is_blanked(
    app: GridCenter, loop: Loop
) -> None:
    number = public_report(
        app,
        loop,
        description="李四家门口有垃圾，电话 139-1234-5678，邮箱 li.si@example.com",
        reporter_name="李四",
        reporter_phone="13912345678",
        address="多福巷 3 号，李四 010-65123456",
    )
    row = the_request(app, number)
    assert row.description == "•••家门口有垃圾，电话 •••，邮箱 •••"
    assert row.address == "多福巷 3 号，••• •••"
    everything = str(contents(folded_store(app), [open311]))
    for personal in ("李四", "13912345678", "1234-5678", "example.com", "65123456"):
        assert personal not in everything


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("请致电 13812345678", "请致电 •••"),
        ("+86 138 1234 5678", "•••"),
        ("座机 0571-87654321", "座机 •••"),
        ("客服 400-123-4567", "客服 •••"),
        ("身份证 11010119900307123X", "身份证 •••"),
        (
            "网格 110101001001001 部件 1101010101000001",
            "网格 110101001001001 部件 1101010101000001",
        ),
        ("门牌 12 号，限高 4.5 米", "门牌 12 号，限高 4.5 米"),
    ],
)
def test_contact_data_is_blanked_and_codes_of_the_map_are_kept(text: str, shown: str) -> None:
    assert scrubbed(text) == shown


def test_a_case_raised_on_a_household_visit_is_never_folded(app: GridCenter, loop: Loop) -> None:
    home = HOMES[0]
    app.enrol_staff(
        [StaffPlan(WORKER_A.id, WORKER_A.name, WORKER_A.role, WORKER_A.area)], ADMIN, MONDAY
    )
    app.register_households([home], WORKER_A, MONDAY)
    visit = app.record_visit(
        home.code,
        findings="独居老人",
        by=WORKER_A,
        at=loop.tick(),
        needs=(Need("E0801", "需要帮扶"),),
    ).number
    assert visit is not None
    app.report_need(home.code, visit, 1, by=WORKER_A, at=loop.tick())
    patrol = loop.reported()
    rows = folded_store(app).select(open311.request_rows)
    assert [(r.number, r.channel) for r in rows] == [(patrol, "patrol")]


def test_filing_under_another_category_takes_the_earlier_updates_along(
    app: GridCenter, loop: Loop
) -> None:
    number = public_report(app, loop)
    app.confirm_report(number, found=True, note="", by=WORKER_A, at=loop.tick())
    app.file_case(number, category="E0501", by=OPERATOR, at=loop.tick())
    store = folded_store(app)
    row = request(store, number, PUBLIC)
    assert row is not None and row.category == "E0501" and row.unfiled == ()
    assert {u.category for u in notes(store, [row])[number]} == {"E0501"}
    assert request(store, number, PUBLIC - {"E0501"}) is None
    assert updates(store, PUBLIC - {"E0501"}) == []


def test_requests_are_read_by_the_georeport_filters(app: GridCenter, loop: Loop) -> None:
    garbage = public_report(app, loop)
    vending = loop.reported(category="E0501")
    hidden = loop.reported(category="E0601")  # a dispute: not public
    closed = loop.closed()
    store = folded_store(app)

    def numbers(**given: object) -> list[int]:
        return [r.number for r in requests(store, Query(PUBLIC, **given))]  # type: ignore[arg-type]

    assert numbers() == [closed, vending, garbage]  # the latest reported first
    assert hidden not in numbers(numbers=[hidden, garbage])
    assert numbers(numbers=[vending, garbage, vending]) == [vending, garbage]
    assert numbers(codes=["E0501"]) == [vending]
    assert numbers(statuses=["closed"]) == [closed]
    assert numbers(statuses=["open"]) == [vending, garbage]
    assert numbers(statuses=["closed", "fixed"]) == [closed]
    assert numbers(statuses=["open", "fixed"]) == []
    assert numbers(statuses=["investigating", "open"]) == []
    reported_at = the_request(app, vending).reported_at
    assert numbers(start=reported_at, end=reported_at) == [vending]
    assert numbers(offset=1, limit=1) == [vending]


def test_updates_are_read_in_log_order_after_a_position_or_in_a_window(
    app: GridCenter, loop: Loop
) -> None:
    first = loop.filed()
    loop.reported(category="E0601")  # not public: no update shown
    second = loop.dispatched()
    store = folded_store(app)
    every = updates(store, PUBLIC)
    assert [(u.number, u.kind) for u in every] == [
        (first, "reported"),
        (first, "filed"),
        (second, "reported"),
        (second, "filed"),
        (second, "dispatched"),
    ]
    positions = [u.position for u in every]
    assert positions == sorted(positions) and positions[-1] == head(app)
    assert updates(store, PUBLIC, after=positions[2]) == every[3:]
    assert updates(store, PUBLIC, start=every[1].at, end=every[1].at) == every[1:2]
    assert updates(store, PUBLIC, offset=4, limit=5) == every[4:]


MANY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@MANY
@given(history=steps)
def test_folding_event_by_event_gives_the_same_rows_as_one_fold(
    app_factory: Callable[[str], GridCenter], history: list[Step]
) -> None:
    app = app_factory("memory:")
    play(app, history)
    rows, position = fold(app.recorder, [open311])
    one_by_one = MemoryViewStore()
    ProjectionRunner(app.recorder, one_by_one, [open311], batch=1).catch_up()
    assert contents(one_by_one, [open311]) == folded(rows, [open311], position)
