"""The page's benchmark (`gridcenter bench page`), in headless Chromium against a server
over a copy of the demo city — never the store itself, which the memory run fills with
simulated events:

1. Time to a fully drawn map: from navigation to the 589 grids drawn and coloured by
   their status (the page's `timings.coloured`), beside two baselines measured in the same
   run and browser — an empty page, and Leaflet drawing the same polygons from a static
   GeoJSON file with nothing else (web/src/baseline.js). Median of `repeat` loads, each in
   a fresh browser context (no cache).
2. The page's JavaScript heap (after a forced garbage collection) and DOM node count,
   sampled while the simulator records about `rate` events a second for `minutes`; flat is
   the target, so the slope of a straight line through the samples is reported.

It needs Playwright (the test extras: bash infra/run.sh test installs them) and Debian's
chromium."""

from __future__ import annotations

import os
import shutil
import statistics
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from domain.service import GridCenter
from infra.demo.simulator import Simulator, open_cases
from infra.loopback import start_api
from infra.tokens import mint

CHROMIUM = os.environ.get("GRIDCENTER_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless on a machine with no GPU and a closed network (no calls home); the page's
tests launch it so too."""
TICK = 0.25
"""Seconds between the simulator's slices in the memory run."""
SAMPLE_EVERY = 30.0
"""Seconds between heap samples."""


@dataclass(frozen=True)
class Load:
    empty_ms: float  # an empty page, navigation to first frame
    baseline_ms: float  # Leaflet drawing the grids from static GeoJSON
    page_ms: float  # the command-center page: grids drawn and coloured by status
    grids: int
    runs: list[float]


@dataclass(frozen=True)
class Sample:
    seconds: float
    events: int  # recorded since the run began
    heap_mb: float
    nodes: int
    markers: int


@dataclass
class Memory:
    minutes: float
    rate: float  # events a second, measured
    samples: list[Sample] = field(default_factory=list)

    @property
    def slope(self) -> float:
        """MB a minute of a least-squares line through the heap samples after the first."""
        points = [(s.seconds / 60, s.heap_mb) for s in self.samples[1:]]
        if len(points) < 2:
            return 0.0
        mean_x = statistics.fmean(x for x, _ in points)
        mean_y = statistics.fmean(y for _, y in points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


@contextmanager
def served(store: Path) -> Iterator[str]:
    """`gridcenter serve` over `store` in a process of its own; yields its base URL."""
    server = start_api(f"sqlite:///{store}")
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def copy_store(source: Path, into: Path) -> Path:
    target = into / "gridcenter.db"
    shutil.copyfile(source, target)
    return target


def issue_operator_token(app: GridCenter) -> str:
    secret, digest = mint()
    app.issue_token(digest, "OP01", "bench page", by=app.actor("A0001"), at=datetime.now(UTC))
    return secret


def measure_load(base: str, token: str, repeat: int) -> Load:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - the test extras

    grids = _grid_map(base, token)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:

            def timed(url: str, ready: str, value: str, route: bool = False) -> float:
                context = browser.new_context(viewport={"width": 1920, "height": 1080})
                page = context.new_page()
                if route:
                    page.route("**/assets/grids.json", lambda r: r.fulfill(body=grids))
                page.goto(url)
                page.wait_for_function(ready, timeout=120_000)
                found = float(page.evaluate(value))
                context.close()
                return found

            empty, baseline, ours = [], [], []
            for _ in range(repeat):
                empty.append(
                    timed(
                        "data:text/html,<!doctype html><title>empty</title><p>empty</p>",
                        "() => document.readyState === 'complete'",
                        "() => new Promise(r => requestAnimationFrame(() => r(performance.now())))",
                    )
                )
                baseline.append(
                    timed(
                        f"{base}/assets/baseline.html",
                        "() => window.baseline && window.baseline.drawn === 589",
                        "() => window.baseline.ms",
                        route=True,
                    )
                )
                ours.append(
                    timed(
                        f"{base}/?token={token}",
                        "() => window.gridcenter && window.gridcenter.timings.coloured",
                        "() => window.gridcenter.timings.coloured",
                    )
                )
        finally:
            browser.close()
    return Load(
        statistics.median(empty),
        statistics.median(baseline),
        statistics.median(ours),
        589,
        ours,
    )


def _grid_map(base: str, token: str) -> bytes:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=orjson.dumps({"query": "{ gridMap }"}),
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return orjson.dumps(orjson.loads(answer.read())["data"]["gridMap"])


def measure_memory(
    base: str,
    token: str,
    app: GridCenter,
    minutes: float,
    rate: float,
    report: Callable[[Sample], None] | None = None,
) -> Memory:
    """The page open, live, while the simulator records about `rate` events a second."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - the test extras

    def head() -> int:
        return app.recorder.max_notification_id() or 0

    simulator = Simulator(app, start=datetime.now(UTC), rate=240, seed=7)
    simulator.start(open_cases(app))
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"{base}/?token={token}")
            page.wait_for_function(
                "() => window.gridcenter && window.gridcenter.ready", timeout=120_000
            )
            cdp = page.context.new_cdp_session(page)
            memory = Memory(minutes, 0.0)
            began, first = time.monotonic(), head()
            step, next_sample = timedelta(seconds=10), 0.0
            while True:
                elapsed = time.monotonic() - began
                if elapsed >= next_sample:
                    sample = _sample(cdp, page, elapsed, head() - first)
                    memory.samples.append(sample)
                    if report is not None:
                        report(sample)
                    next_sample += SAMPLE_EVERY
                if elapsed >= minutes * 60:
                    break
                tick = time.monotonic()
                before = head()
                simulator.run_until(simulator.now + step)
                made = head() - before
                wanted = rate * TICK  # adapt the business time a slice covers to the rate asked
                step *= min(2.0, max(0.5, wanted / max(made, 1)))
                step = min(max(step, timedelta(milliseconds=200)), timedelta(minutes=30))
                time.sleep(max(0.0, TICK - (time.monotonic() - tick)))
            memory.rate = (head() - first) / (time.monotonic() - began)
        finally:
            browser.close()
    return memory


def _sample(cdp: Any, page: Any, seconds: float, events: int) -> Sample:
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    counters = cdp.send("Memory.getDOMCounters")
    markers = int(page.evaluate("() => window.gridcenter.markers()"))
    return Sample(seconds, events, heap["usedSize"] / 2**20, int(counters["nodes"]), markers)
