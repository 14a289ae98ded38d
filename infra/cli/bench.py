"""`gridcenter bench …`: the benchmarks, each beside a raw baseline of the same run."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from infra.bench import bench_rebuild
from infra.bench.fanout import FanoutFailed, Options, bench_fanout
from infra.bench.fanout.report import machine, notes, summary, table
from infra.bootstrap import build_application, build_projections, event_log
from infra.cli.common import (
    cli,
    console,
    open_application,
    seed_demo_city,
    settings_from_env,
    simulate_history,
)
from infra.demo.simulator import any_cases
from infra.rebuild import Rebuilder

if TYPE_CHECKING:
    from infra.bench import page as page_bench

bench_cli = typer.Typer(
    help="Benchmarks, each beside a raw baseline of the same run.", no_args_is_help=True
)
cli.add_typer(bench_cli, name="bench")


@bench_cli.command("projections")
def bench_projections(
    repeat: Annotated[int, typer.Option(min=1, help="Runs of each; the median counts.")] = 3,
    history: Annotated[float, typer.Option(min=0, help="Days to simulate into an empty log.")] = 2,
    workers: Annotated[int, typer.Option(min=1, help="Processes rebuilding side by side.")] = 2,
) -> None:
    """Rebuild throughput of all views beside the raw rate of reading and decoding the
    same events. Seeds the demo city and simulates history first if the log has no case."""
    with open_application() as (settings, app):
        if not app.recorder.max_notification_id():
            seed_demo_city(app, 2004, settings)
        if not any_cases(app):
            simulate_history(app, datetime.now(UTC) - timedelta(days=history), rate=240, seed=2004)
        runner = build_projections(settings, app)
        log = event_log(app)
        with Rebuilder(settings, log, runner, workers) as rebuilder:
            result = bench_rebuild(log, runner.views, rebuilder.rebuild, repeat)
        console.print(
            f"{result.events:,} events the views read, median of {repeat} after a warm-up:\n"
            f"  raw read + decode (1 process)          {result.raw:>9,.0f} events/s\n"
            f"  rebuild of all views ({workers} processes)  {result.rebuild:>9,.0f} events/s"
            f"  ({result.share:.0%} of raw)"
        )
        for number, group in enumerate(rebuilder.groups, 1):
            console.print(f"  process {number}: {', '.join(group)}")


@bench_cli.command("page")
def bench_page(
    minutes: Annotated[
        float, typer.Option(min=0, help="Minutes of the simulator run for the memory.")
    ] = 10,
    rate: Annotated[float, typer.Option(min=1, help="Events a second the simulator records.")] = 20,
    repeat: Annotated[int, typer.Option(min=1, help="Page loads of each; the median counts.")] = 5,
) -> None:
    """Time to a fully drawn map in headless Chromium beside an empty page and Leaflet
    drawing the same grids from static GeoJSON, then the page's JavaScript heap while the
    simulator records `rate` events a second — on a copy of the store (seeded with the demo
    city and a day of history if it has no case)."""
    from infra.bench import page as page_bench  # noqa: PLC0415 - needs Playwright, from the test extras

    with open_application() as (settings, app), tempfile.TemporaryDirectory() as scratch:
        source = settings.database_url.removeprefix("sqlite:///")
        copy = replace(settings, database_url=f"sqlite:///{scratch}/gridcenter.db")
        if settings.database_url.startswith("sqlite:///") and any_cases(app):
            page_bench.copy_store(Path(source), Path(scratch))
            console.print(f"a copy of {source}")
        else:
            console.print("seeding the demo city into a scratch store …")
            seeding = build_application(copy)
            seed_demo_city(seeding, 2004, copy)
            simulate_history(seeding, datetime.now(UTC) - timedelta(days=1), rate=240, seed=2004)
            seeding.close()
        bench_app = build_application(copy)
        try:
            token = page_bench.issue_operator_token(bench_app)
            with page_bench.served(Path(scratch) / "gridcenter.db") as base:
                load = page_bench.measure_load(base, token, repeat)
                console.print(
                    f"time to a fully drawn map ({load.grids} grids), median of {repeat}:\n"
                    f"  empty page                          {load.empty_ms:>7,.0f} ms\n"
                    f"  Leaflet + static GeoJSON (baseline)  {load.baseline_ms:>7,.0f} ms\n"
                    f"  the command-center page             {load.page_ms:>7,.0f} ms"
                    f"  (runs: {', '.join(f'{r:,.0f}' for r in load.runs)})"
                )
                if minutes:
                    console.print(f"memory over {minutes:g} min at {rate:g} events/s:")
                    memory = page_bench.measure_memory(
                        base, token, bench_app, minutes, rate, _show_sample
                    )
                    heaps = [s.heap_mb for s in memory.samples]
                    console.print(
                        f"  {memory.rate:.1f} events/s recorded; JS heap {heaps[0]:.1f} → "
                        f"{heaps[-1]:.1f} MB (max {max(heaps):.1f}), slope "
                        f"{memory.slope:+.3f} MB/min after the first sample"
                    )
        finally:
            bench_app.close()


def _show_sample(sample: page_bench.Sample) -> None:
    console.print(
        f"  {sample.seconds / 60:5.1f} min  {sample.events:>7,} events  "
        f"heap {sample.heap_mb:6.1f} MB  {sample.nodes:>6,} DOM nodes  "
        f"{sample.markers:>5,} markers"
    )


@bench_cli.command("fanout")
def bench_fanout_command(
    subscribers: Annotated[
        str, typer.Option(help="Numbers of websocket subscribers to try, comma-separated.")
    ] = "1000,5000",
    clients: Annotated[int, typer.Option(min=1, help="Client processes holding them.")] = 4,
    rate: Annotated[float, typer.Option(min=1, help="The first rate, commands a second.")] = 50,
    seconds: Annotated[float, typer.Option(min=1, help="Seconds the first rate runs.")] = 10,
    step_seconds: Annotated[
        float, typer.Option(min=1, help="Seconds each further rate of the ramp runs.")
    ] = 5,
    steps: Annotated[int, typer.Option(min=1, help="Rates tried at most, the first too.")] = 16,
) -> None:
    """The live wall map pushed to websocket subscribers spread over two API nodes, beside
    a raw websockets broadcast of the same payloads to the same subscribers: latency from
    commit to delivery and deliveries a second, at the first rate and at the highest rate
    each sustains. Starts its own PostgreSQL and Redis unless GRIDCENTER_DATABASE_URL
    (PostgreSQL) and GRIDCENTER_REDIS_URL name them; the nodes, the worker and the clients
    run as processes of their own on this machine."""
    try:
        counts = tuple(int(n) for n in subscribers.split(","))
    except ValueError:
        counts = ()
    if not counts or min(counts) < 2:
        raise typer.BadParameter("numbers of 2 or more, e.g. 1000,5000", param_hint="--subscribers")
    settings = settings_from_env()
    options = Options(counts, clients, rate, seconds, step_seconds, steps)
    console.print(machine(clients), soft_wrap=True)
    try:
        runs = bench_fanout(settings, options, lambda line: console.print(line, soft_wrap=True))
    except FanoutFailed as error:
        console.print(f"[red]the benchmark could not run: {escape(str(error))}[/red]")
        raise typer.Exit(1) from None
    Console(width=max(console.width, 170)).print(table(runs))  # wide even into a file
    for run in runs:
        for line in summary(run, rate):
            console.print(line, soft_wrap=True)
    for line in notes():
        console.print(line, soft_wrap=True)
