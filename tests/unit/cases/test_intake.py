"""Report (上报), on-site check (核实), filing (立案), rejection and merging."""

from __future__ import annotations

import orjson
import pytest
from eventsourcing.persistence import StoredEvent

from domain.cases import Channel, Stage
from domain.catalog import AnswerRefused, UnknownCategory
from domain.errors import NotPermitted, OutsideDistrict, RuleBroken
from domain.service import GridCenter
from tests.fixtures import (
    COVER,
    GRID_A,
    GRID_B,
    IN_A,
    IN_B,
    OPERATOR,
    OUTSIDE,
    RESIDENT,
    SANITATION,
    SUPERVISOR,
    WORKER_A,
    WORKER_B,
    Loop,
    events_since,
    head,
    names_since,
    refused,
)


def test_grid_worker_reports_a_problem_located_in_their_grid(app: GridCenter, loop: Loop) -> None:
    before = head(app)
    recorded = app.report_case(
        channel=Channel.PATROL,
        category="E0101",
        location=IN_A,
        description=" 暴露垃圾 ",
        by=WORKER_A,
        at=loop.tick(),
        photos=("photo://1.jpg",),
    )
    (reported,) = events_since(app, before)
    assert type(reported).__name__ == "CaseReported"
    assert (reported.number, reported.grid, reported.description) == (1, GRID_A, "暴露垃圾")
    assert reported.by == WORKER_A and reported.at == loop.at
    assert recorded.number == 1 and recorded.version == 1
    assert recorded.positions == (before + 1,)


def test_a_report_keeps_its_address_and_its_answers_to_the_categorys_questions(
    app: GridCenter, loop: Loop
) -> None:
    before = head(app)
    app.report_case(
        **GOOD_REPORT,
        at=loop.tick(),
        address=" 东华门街道多福巷社区 北口 ",
        answers={"garbage_kind": ["household", "bulky"]},
    )
    (reported,) = events_since(app, before)
    assert reported.address == "东华门街道多福巷社区 北口"
    assert reported.answers == {"garbage_kind": ["household", "bulky"]}


def test_a_report_recorded_before_addresses_and_answers_still_replays(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.reported()
    stored = app.recorder.select_notifications(start=head(app), limit=1)[0]
    state = {k: v for k, v in orjson.loads(stored.state).items() if k not in ("address", "answers")}
    old = StoredEvent(
        stored.originator_id, stored.originator_version, stored.topic, orjson.dumps(state)
    )
    case = app.mapper.to_domain_event(old).mutate(None)
    assert case is not None and (case.number, case.address, case.answers) == (number, None, {})


def test_case_numbers_count_up_from_one(loop: Loop) -> None:
    assert [loop.reported(), loop.reported(), loop.reported()] == [1, 2, 3]


GOOD_REPORT = {
    "channel": Channel.PATROL,
    "category": "E0101",
    "location": IN_A,
    "description": "暴露垃圾",
    "by": WORKER_A,
}


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"location": OUTSIDE, "channel": Channel.HOTLINE, "by": OPERATOR}, OutsideDistrict,
         "outside every grid of 东城区"),
        ({"category": "E9999"}, UnknownCategory, "unknown category 'E9999'"),
        ({"location": IN_B}, NotPermitted, f"grid {GRID_B}: it is outside their area"),
        ({"by": RESIDENT}, NotPermitted, "may not report through the patrol channel"),
        ({"component": COVER}, RuleBroken, "of class C0101, not of the reported category E0101"),
        ({"description": "  "}, RuleBroken, "needs a description"),
        ({"by": SANITATION}, NotPermitted, "may not report case"),
        ({"answers": {"colour": ["red"]}}, AnswerRefused, "category E0101 asks no question"),
        ({"answers": {"garbage_kind": ["glass"]}}, AnswerRefused, "'glass' is not one of"),
    ],
    ids=["outside", "unknown category", "other grid", "wrong channel", "component class",
         "no description", "department", "unknown question", "answer not a choice"],
)  # fmt: skip
def test_a_bad_report_is_refused_records_nothing_and_spends_no_number(
    app: GridCenter, loop: Loop, change: dict[str, object], error: type[Exception], message: str
) -> None:
    report = {**GOOD_REPORT, **change}
    refused(app, lambda: app.report_case(**report, at=loop.tick()), error, message)
    assert loop.reported() == 1


def test_public_report_cannot_be_filed_before_the_on_site_check(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.reported(channel=Channel.APP)
    refused(
        app,
        lambda: app.file_case(number, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "needs an on-site check",
    )


def test_confirmed_public_report_can_be_filed(app: GridCenter, loop: Loop) -> None:
    number = loop.reported(channel=Channel.APP)
    before = head(app)
    app.confirm_report(number, found=True, note="现场属实", by=WORKER_A, at=loop.tick())
    app.file_case(number, by=OPERATOR, at=loop.tick())
    assert names_since(app, before) == ["CaseConfirmed", "CaseFiled"]
    assert app.case(number).stage is Stage.FILED


def test_on_site_check_that_finds_nothing_rejects_the_report(app: GridCenter, loop: Loop) -> None:
    number = loop.reported(channel=Channel.HOTLINE)
    before = head(app)
    app.confirm_report(number, found=False, note="现场无垃圾", by=WORKER_A, at=loop.tick())
    (rejected,) = events_since(app, before)
    assert type(rejected).__name__ == "CaseRejected"
    assert "not found on site" in rejected.reason and rejected.by == WORKER_A
    assert app.case(number).stage is Stage.REJECTED


def test_reports_by_our_own_staff_need_no_on_site_check(
    app: GridCenter, loop: Loop, case_reported: int
) -> None:
    refused(
        app,
        lambda: app.confirm_report(case_reported, found=True, note="", by=WORKER_A, at=loop.tick()),
        RuleBroken,
        "needs no on-site check",
    )


def test_only_the_grids_own_worker_checks_a_report(app: GridCenter, loop: Loop) -> None:
    number = loop.reported(channel=Channel.APP)
    refused(
        app,
        lambda: app.confirm_report(number, found=True, note="", by=WORKER_B, at=loop.tick()),
        NotPermitted,
        "outside their area",
    )
    app.confirm_report(number, found=True, note="", by=SUPERVISOR, at=loop.tick())


def test_operator_files_a_case_correcting_its_category_and_urgency(
    app: GridCenter, loop: Loop, case_reported: int
) -> None:
    before = head(app)
    app.file_case(case_reported, by=OPERATOR, at=loop.tick(), category="E0501", urgent=True)
    (filed,) = events_since(app, before)
    assert (type(filed).__name__, filed.category, filed.urgent) == ("CaseFiled", "E0501", True)


def test_a_grid_worker_cannot_file_a_case(app: GridCenter, loop: Loop, case_reported: int) -> None:
    refused(
        app,
        lambda: app.file_case(case_reported, by=WORKER_A, at=loop.tick()),
        NotPermitted,
        "may not file case",
    )


def test_a_case_is_filed_only_once(app: GridCenter, loop: Loop, case_filed: int) -> None:
    refused(
        app,
        lambda: app.file_case(case_filed, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        r"cannot be filed: it is filed \(已立案\)",
    )


def test_filing_a_case_about_a_component_marks_it_faulty(app: GridCenter, loop: Loop) -> None:
    number = loop.reported(category="C0101", component=COVER)
    before = head(app)
    app.file_case(number, by=OPERATOR, at=loop.tick())
    assert names_since(app, before) == ["CaseFiled", "ComponentFaultFound"]


def test_rejecting_a_report_needs_a_reason(app: GridCenter, loop: Loop, case_reported: int) -> None:
    refused(
        app,
        lambda: app.reject_case(case_reported, reason=" ", by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "without a reason",
    )
    app.reject_case(case_reported, reason="不属于城市管理范围", by=OPERATOR, at=loop.tick())
    assert app.case(case_reported).stage is Stage.REJECTED


def test_merged_duplicate_carries_its_followers_to_the_open_case(
    app: GridCenter, loop: Loop, case_dispatched: int
) -> None:
    duplicate = loop.reported(channel=Channel.APP)
    before = head(app)
    app.merge_case(duplicate, into=case_dispatched, by=OPERATOR, at=loop.tick())
    merged, joined = events_since(app, before)
    assert (type(merged).__name__, merged.into) == ("CaseMerged", case_dispatched)
    assert (type(joined).__name__, joined.duplicate) == ("DuplicateMerged", duplicate)
    assert RESIDENT.id in app.case(case_dispatched).followers
    assert app.case(duplicate).stage is Stage.MERGED


def test_a_case_cannot_be_merged_into_a_closed_case(
    app: GridCenter, loop: Loop, case_closed: int
) -> None:
    duplicate = loop.reported()
    refused(
        app,
        lambda: app.merge_case(duplicate, into=case_closed, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        r"that case is closed",
    )


def test_a_case_cannot_be_merged_into_itself(
    app: GridCenter, loop: Loop, case_reported: int
) -> None:
    refused(
        app,
        lambda: app.merge_case(case_reported, into=case_reported, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "into itself",
    )


def test_a_step_cannot_be_dated_before_the_cases_last_step(
    app: GridCenter, loop: Loop, case_reported: int
) -> None:
    earlier = loop.at.replace(hour=8)
    refused(
        app,
        lambda: app.file_case(case_reported, by=OPERATOR, at=earlier),
        RuleBroken,
        "cannot come before its last step",
    )
