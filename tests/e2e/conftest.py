"""The page's end-to-end fixtures: the demo city the README's demo command left, once a
test session (a SQLite file, copied for each server so that tests do not see each
other's changes), `gridcenter serve` over a copy, and Debian's chromium driven by
Playwright. A browser that cannot start fails the tests, never skips them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Error, Page, Playwright, sync_playwright

from api.page import DIST
from infra.bench.page import CHROMIUM
from infra.bench.page import FLAGS as CHROMIUM_FLAGS
from infra.loopback import ApiServer, start_api
from tests.e2e.readme import ROOT, Demo, run_demo
from tests.fixtures import TLS

SCREENSHOTS = ROOT / "build" / "screenshots"


@dataclass(frozen=True)
class City:
    """The seeded demo city: its store and a token of each role the page tests use."""

    store: Path
    operator: str
    auditor: str


@pytest.fixture(scope="session")
def readme_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The README's demo command, once a session (tests/e2e/readme.py)."""
    return run_demo(tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("city") / "city.db")


@pytest.fixture(scope="session")
def demo_city(readme_demo: Demo) -> City:
    """The city the README's demo left: seeded, a day of history, a few seconds live."""
    return City(readme_demo.city, readme_demo.tokens["operator"], readme_demo.tokens["auditor"])


def copy_of(city: City, where: Path) -> str:
    """A database URL for a copy of the seeded store."""
    target = where / "gridcenter.db"
    shutil.copyfile(city.store, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def server(demo_city: City, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """`gridcenter serve` over a copy of the demo city, for a module's tests."""
    if not (DIST / "index.html").is_file():
        pytest.fail(f"the page is not built in {DIST}: bash infra/run.sh test builds it")
    running = start_api(copy_of(demo_city, tmp_path_factory.mktemp("served")))
    running.token = demo_city.operator
    yield running
    running.stop()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright's sync API runs an event loop in this thread while it is open: closed
    at the end of the module, so that later tests may run asyncio themselves."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    try:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    except Error as error:
        pytest.fail(f"chromium could not be started from {CHROMIUM}: {error}")
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (its own storage) at a wall's size; console errors are collected in
    `page.errors`."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.errors = errors  # type: ignore[attr-defined]
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def open_page(page: Page, server: ApiServer, token: str | None = None) -> None:
    """Open the page signed in with `token` (the server's by default) and wait until the
    map is drawn and live."""
    page.goto(f"http://127.0.0.1:{server.port}/?token={token or server.token}")
    page.wait_for_function("() => window.gridcenter && window.gridcenter.ready", timeout=60_000)


def query(server: ApiServer, text: str, token: str | None = None, **variables: Any) -> Any:
    """A GraphQL request over HTTP, synchronously (Playwright's sync API owns the event
    loop of this thread, so the async gql client cannot run beside it)."""
    answer = httpx.post(
        f"http://127.0.0.1:{server.port}/graphql",
        json={"query": text, "variables": variables},
        headers={"Authorization": f"Bearer {token or server.token}"},
        timeout=120,
        verify=TLS,
    ).json()
    assert not answer.get("errors"), answer["errors"]
    return answer["data"]
