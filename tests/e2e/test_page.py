"""The command-center page in a real browser (Debian's chromium, driven by Playwright)
against `gridcenter serve` over the demo city: what an operator and an auditor see and do.
Screenshots go to build/screenshots/."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import shapely
from playwright.sync_api import Locator, Page, expect

from domain.cases import Channel
from domain.grids.geometry import Point
from infra.bootstrap import build_application
from infra.loopback import ApiServer, start_api
from infra.settings import Settings
from tests.e2e.conftest import City, copy_of, open_page, query, screenshot

LEVELS = "query ($asOf: AsOf) { grids(asOf: $asOf) { code level } }"
GRID_MAP = "{ gridMap }"


def levels(server: ApiServer, token: str | None = None, **as_of: Any) -> dict[str, str]:
    found = query(server, LEVELS, token=token or server.token, asOf=as_of or None)
    return {g["code"]: g["level"] for g in found["grids"]}


def page_levels(page: Page) -> dict[str, str]:
    found: dict[str, str] = page.evaluate("() => window.gridcenter.levels()")
    return found


def inside(server: ApiServer, code: str) -> tuple[float, float]:
    """A point inside a grid's boundary."""
    features = query(server, GRID_MAP)["gridMap"]["features"]
    (feature,) = [f for f in features if f["properties"]["code"] == code]
    point = shapely.geometry.shape(feature["geometry"]).representative_point()
    return point.x, point.y


def quiet_grid(server: ApiServer) -> str:
    """A grid at the normal level, with few open cases."""
    found = query(server, "{ grids { code level open } }")["grids"]
    return next(g["code"] for g in found if g["level"] == "normal" and g["open"] < 3)


def report(server: ApiServer, code: str) -> int:
    """A case reported by the operator (from a higher office: no on-site check first)."""
    lon, lat = inside(server, code)
    reported = query(
        server,
        """mutation ($lon: Float!, $lat: Float!, $key: String!) {
          reportCase(channel: HIGHER_OFFICE, category: "E0101", location: {lon: $lon, lat: $lat},
            description: "页面测试：垃圾堆放", key: $key) {
            __typename ... on Recorded { number } ... on Refusal { message } } }""",
        lon=lon,
        lat=lat,
        key=str(uuid.uuid4()),
    )["reportCase"]
    assert reported["__typename"] == "Recorded", reported
    number: int = reported["number"]
    return number


def report_and_file_urgent(server: ApiServer, code: str) -> int:
    number = report(server, code)
    filed = query(
        server,
        """mutation ($number: Int!) { fileCase(number: $number, urgent: true) {
          __typename ... on Refusal { message } } }""",
        number=number,
    )["fileCase"]
    assert filed["__typename"] == "Recorded", filed
    return number


def test_the_page_draws_all_589_grids_coloured_by_their_level(
    page: Page, server: ApiServer
) -> None:
    started = time.monotonic()
    open_page(page, server)
    drawn = time.monotonic() - started
    assert page.evaluate("() => window.gridcenter.drawnGrids") == 589
    expect(page.locator("#map")).to_have_attribute("data-grids", "589")
    assert page_levels(page) == levels(server)
    colours = page.evaluate("() => window.gridcenter.colours")
    for code, level in list(levels(server).items())[:50]:
        assert page.evaluate("(c) => window.gridcenter.fillOf(c)", code) == colours[level]
    expect(page.locator("#connection")).to_have_attribute("data-status", "live")
    expect(page.locator("#headline [data-figure]")).to_have_count(6)
    expect(page.locator("#departments tbody tr").first).to_be_visible()
    expect(page.locator("#overdue .case-row").first).to_be_visible()
    assert page.evaluate("() => window.gridcenter.markers()") > 0
    screenshot(page, "wall-live")
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    assert drawn < 15, f"the page took {drawn:.1f} s to draw"


def hover(page: Page, code: str) -> Locator:
    """Rest the pointer on a grid as a person does: on a spot nothing covers, clear of
    its edges, arriving from beside it, and on another spot if the map moved under the
    pointer (clusters settling after a zoom). Returns the grid's tooltip."""
    tip = page.locator(".leaflet-tooltip.grid-tip")
    for _ in range(3):
        point = page.evaluate("(c) => window.gridcenter.pointOf(c)", code)
        assert point, f"no spot of grid {code} is free of markers and controls"
        page.mouse.move(point["x"] - 8, point["y"] - 8)
        page.mouse.move(point["x"], point["y"], steps=4)
        # Leaflet's canvas takes one pointer move each 32 ms and drops the others, so the
        # last steps may not count: rest, then move once more, within the grid
        page.wait_for_timeout(60)
        page.mouse.move(point["x"] + 1, point["y"])
        try:
            expect(tip).to_contain_text(code, timeout=3000)
        except AssertionError:
            page.mouse.move(0, 0)
            continue
        return tip
    raise AssertionError(f"hovering grid {code} showed no tooltip, three spots tried")


def test_hovering_a_grid_shows_its_code_worker_and_counts(page: Page, server: ApiServer) -> None:
    open_page(page, server)
    found = query(server, "{ grids { code open overdue worker } }")["grids"]
    grid = max(found, key=lambda g: (g["open"], g["code"]))
    for _ in range(2):  # zoomed out, clusters cover the busiest grids: the page zooms back in
        page.locator(".leaflet-control-zoom-out").click()
    tip = hover(page, grid["code"])
    expect(tip).to_contain_text("网格员")
    workers = query(server, "{ workerWorkload { id name } }")["workerWorkload"]
    name = next(w["name"] for w in workers if w["id"] == grid["worker"])
    expect(tip).to_contain_text(name)
    expect(tip.locator("tr").first).to_contain_text(f"在办{grid['open']}")
    screenshot(page, "grid-tooltip")


def test_the_components_layer_switches_on_and_shows_the_faulty_ones(
    page: Page, server: ApiServer
) -> None:
    open_page(page, server)
    assert page.evaluate("() => window.gridcenter.components()") == 0
    page.locator(".leaflet-control-layers label", has_text="部件").click()
    page.wait_for_function("() => window.gridcenter.components() > 0")
    faulty = query(server, '{ components(states: ["faulty", "removed"]) { code } }')
    assert page.evaluate("() => window.gridcenter.components()") == len(faulty["components"])
    screenshot(page, "components-layer")


def test_filtering_by_street_narrows_the_map_and_the_panels(page: Page, server: ApiServer) -> None:
    open_page(page, server)
    streets = query(server, "{ areas { code kind nameZh } }")["areas"]
    street = next(a for a in streets if a["kind"] == "street")
    page.locator('select[data-filter="street"]').select_option(street["code"])
    expected = query(
        server,
        "query ($a: String!) { headline(area: $a) { reported } }",
        a=street["code"],
    )["headline"]["reported"]
    reported = page.locator('#headline [data-figure="reported"] .tile-value')
    expect(reported).to_have_text(str(expected))
    rows = page.locator("#overdue .case-row")
    for grid in rows.evaluate_all("(rows) => rows.map(r => r.dataset.grid)"):
        assert grid.startswith(street["code"])
    page.locator('select[data-filter="community"]').select_option(index=1)
    expect(page.locator('select[data-filter="community"]')).not_to_have_value("")
    screenshot(page, "filtered-street")


def test_filing_an_urgent_case_through_the_api_recolours_its_grid_within_a_second(
    page: Page, server: ApiServer
) -> None:
    open_page(page, server)
    code = quiet_grid(server)
    before = page_levels(page)
    assert before[code] == "normal"
    number = report_and_file_urgent(server, code)
    filed = time.monotonic()
    page.wait_for_function(
        "(c) => window.gridcenter.levelOf(c) === 'alarm'", arg=code, timeout=5000, polling="raf"
    )
    took = time.monotonic() - filed
    assert took < 1.0, f"the grid turned alarm {took:.2f} s after the command was recorded"
    alarm = page.evaluate("() => window.gridcenter.colours.alarm")
    assert page.evaluate("(c) => window.gridcenter.fillOf(c)", code) == alarm
    after = page_levels(page)
    assert {c for c in after if after[c] != before[c]} == {code}
    expect(page.locator(f'#feed [data-case="{number}"]').first).to_be_visible()
    screenshot(page, "grid-recoloured")


def test_the_case_drawer_shows_the_timeline_and_sends_the_next_step(
    page: Page, server: ApiServer
) -> None:
    open_page(page, server)
    row = page.locator("#overdue .case-row").first
    number = int(row.get_attribute("data-case") or 0)
    row.click()
    drawer = page.locator("#drawer")
    expect(drawer).to_have_class("drawer open")
    timeline = query(
        server,
        "query ($n: Int!) { case(number: $n) { timeline { name by { name } } } }",
        n=number,
    )["case"]["timeline"]
    expect(drawer.locator(".timeline li")).to_have_count(len(timeline))
    expect(drawer.locator(".timeline li").last).to_contain_text("上报")
    expect(drawer.locator(".timeline li").last).to_contain_text(timeline[0]["by"]["name"])
    expect(drawer.locator("[data-countdown]")).to_contain_text("已超期")
    screenshot(page, "case-drawer")

    fresh = report(server, quiet_grid(server))
    page.locator(f'#feed [data-case="{fresh}"]').first.click()
    expect(drawer.locator("h2")).to_contain_text(str(fresh))
    drawer.locator('[data-act="merge_case"]').click()
    drawer.locator('input[name="into"]').fill("99999999")
    drawer.locator(".action-form button[type=submit]").click()
    expect(drawer.locator(".feedback.refused")).to_have_attribute("data-outcome", "NotFound")
    screenshot(page, "case-refused")
    drawer.locator('[data-act="file_case"]').click()
    drawer.locator(".action-form button[type=submit]").click()
    expect(drawer.locator(".feedback.ok")).to_contain_text("立案")
    drawer.locator('[data-act="dispatch_case"]').click()
    drawer.locator(".action-form button[type=submit]").click()
    expect(drawer.locator(".feedback.ok")).to_contain_text("派遣")
    expect(drawer.locator(".timeline li").first).to_contain_text("派遣")
    expect(drawer.locator("[data-countdown]")).to_contain_text("剩余")
    screenshot(page, "case-dispatched")


def test_time_travel_shows_the_district_as_it_was_and_replays_a_period(
    page: Page, server: ApiServer, demo_city: City
) -> None:
    open_page(page, server, demo_city.auditor)
    minute = (datetime.now(UTC) - timedelta(hours=3)).replace(second=0, microsecond=0)
    local = minute + timedelta(hours=8)  # as the district's clock shows it
    page.locator('[data-travel="toggle"]').click()
    page.locator('[data-travel="instant"]').fill(local.strftime("%Y-%m-%dT%H:%M"))
    page.locator('[data-travel="show"]').click()
    page.wait_for_function("() => document.body.dataset.asOf", timeout=60_000)  # a fold of the log
    expect(page.locator("#mode-banner")).to_contain_text("正在查看")
    earlier = levels(server, demo_city.auditor, instant=minute.isoformat())
    assert page_levels(page) == earlier
    assert earlier != levels(server), f"nothing changed since {minute}"
    screenshot(page, "time-travel")

    end = minute + timedelta(hours=1)
    page.locator('[data-travel="start"]').fill(local.strftime("%Y-%m-%dT%H:%M"))
    page.locator('[data-travel="end"]').fill(
        (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator('[data-travel="speed"]').select_option("3600")
    page.locator('[data-travel="play"]').click()
    page.wait_for_function(
        "(end) => window.gridcenter.replayAt() >= end",
        arg=end.timestamp() * 1000,
        timeout=60_000,
    )
    expect(page.locator("#mode-banner")).to_contain_text("回放结束")
    assert page_levels(page) == levels(server, demo_city.auditor, instant=end.isoformat())
    screenshot(page, "replay")
    page.locator('[data-travel="live"]').click()
    expect(page.locator("body")).to_have_attribute("data-mode", "live")
    assert not page.errors, page.errors  # type: ignore[attr-defined]


def test_the_language_switch_relabels_the_page_and_is_remembered(
    page: Page, server: ApiServer
) -> None:
    open_page(page, server)
    expect(page.locator("h1")).to_have_text("东城区网格化管理指挥中心")
    page.locator("#language").click()
    expect(page.locator("h1")).to_have_text("Dongcheng Grid Management Command Center")
    expect(page.locator('#headline [data-figure="reported"] .tile-label')).to_have_text("Reported")
    expect(page.locator("#connection")).to_have_text("Live")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    screenshot(page, "wall-english")
    page.reload()
    page.wait_for_function("() => window.gridcenter && window.gridcenter.ready")
    expect(page.locator("h1")).to_have_text("Dongcheng Grid Management Command Center")
    page.locator("#language").click()
    expect(page.locator("h1")).to_have_text("东城区网格化管理指挥中心")


def test_a_link_with_a_token_signs_in_and_a_page_without_one_asks_for_it(
    page: Page, server: ApiServer
) -> None:
    page.goto(f"http://127.0.0.1:{server.port}/")
    expect(page.locator("#sign-in")).to_be_visible()
    page.locator("#token-input").fill("gc_not-a-token")
    page.locator("#sign-in button[type=submit]").click()
    expect(page.locator("#sign-in-error")).to_have_text("令牌无效或已吊销")
    open_page(page, server)
    assert "token" not in page.url  # not left in the address bar or the history
    expect(page.locator("#viewer")).to_contain_text("指挥中心")


def test_the_page_survives_a_server_restart_and_catches_up_on_what_it_missed(
    page: Page, demo_city: City, tmp_path: Path
) -> None:
    url = copy_of(demo_city, tmp_path)
    server = start_api(url)
    server.token = demo_city.operator
    try:
        open_page(page, server)
        code = quiet_grid(server)
        lon, lat = inside(server, code)
        server.stop()
        expect(page.locator("#connection")).to_have_attribute("data-status", "reconnecting")
        number = record_while_down(url, Point(lon, lat))
        server = start_api(url, port=server.port)
        server.token = demo_city.operator
        expect(page.locator("#connection")).to_have_attribute("data-status", "live", timeout=30_000)
        page.wait_for_function(
            "(c) => window.gridcenter.levelOf(c) === 'alarm'", arg=code, timeout=15_000
        )
        expect(page.locator(f'#feed [data-case="{number}"]').first).to_be_visible()
        assert page_levels(page) == levels(server)
        screenshot(page, "after-restart")
    finally:
        server.stop()


def record_while_down(url: str, where: Point) -> int:
    """An urgent case reported and filed straight into the store while no server runs."""
    app = build_application(Settings(database_url=url))
    try:
        operator, at = app.actor("OP01"), datetime.now(UTC)
        recorded = app.report_case(
            channel=Channel.HIGHER_OFFICE,
            category="E0101",
            location=where,
            description="服务器重启期间上报",
            by=operator,
            at=at,
        )
        assert recorded.number is not None
        app.file_case(recorded.number, by=operator, at=at, urgent=True)
        return recorded.number
    finally:
        app.close()
