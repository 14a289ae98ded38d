"""The `gridcenter` command."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from threading import Event, Thread
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from domain.errors import DomainError, NotFound
from domain.events import EVENT_NAMES
from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.bench import bench_rebuild
from infra.bench.fanout import FanoutFailed, Options, bench_fanout
from infra.bench.fanout.report import machine, notes, summary, table
from infra.bootstrap import build_application, build_projections, event_log
from infra.demo.city import plan_city
from infra.demo.people import ADMIN_CODE, operator_codes
from infra.demo.seed import seed_city
from infra.demo.simulator import Simulator, any_cases, open_cases
from infra.descriptors import allow_open_files
from infra.history import Entry, History, Query
from infra.leases import open_leases
from infra.logs import configure
from infra.rebuild import Rebuilder
from infra.redis_bus import open_bus
from infra.settings import Settings, SettingsInvalid
from infra.threads import take_turns_often
from infra.tokens import issued, mint
from infra.watcher import DeadlineWatch
from infra.workers import ViewWorker
from projections import VIEWS
from projections.bus import EventsRecorded
from projections.runner import BATCH
from projections.store import open_view_store

if TYPE_CHECKING:
    from infra.bench import page as page_bench

cli = typer.Typer(
    name="gridcenter",
    help="Grid-based city governance (网格化管理): an event-sourced command center.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()


@contextmanager
def _application() -> Iterator[tuple[Settings, GridCenter]]:
    try:
        settings = Settings.from_env()
        app = build_application(settings)
    except (SettingsInvalid, ValueError) as error:
        console.print(f"[red]gridcenter: {escape(str(error))}[/red]")
        raise typer.Exit(2) from None
    try:
        yield settings, app
    finally:
        app.close()


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _seed(app: GridCenter, seed: int, settings: Settings) -> None:
    with _progress() as bars:
        tasks: dict[str, TaskID] = {}

        def report(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bars.add_task(what, total=total)
            bars.update(tasks[what], completed=done)

        seeded = seed_city(app, plan_city(seed), seed, report, settings)
    console.print(
        f"seeded {seeded.grids} grids, {seeded.staff} staff, {seeded.components:,} components "
        f"and {seeded.households:,} households: {seeded.events:,} events"
    )


@cli.command()
def seed(seed: Annotated[int, typer.Option(help="Seed of the generated city.")] = 2004) -> None:
    """Record the demo city (a Dongcheng-like district) into an empty store."""
    with _application() as (settings, app):
        head = app.recorder.max_notification_id()
        if head:
            console.print(
                f"[red]the store already holds {head:,} events: seed only an empty store[/red]"
            )
            raise typer.Exit(1)
        _seed(app, seed, settings)


@cli.command()
def demo(
    rate: Annotated[
        float, typer.Option(min=1, help="Reports an hour, on average over a day.")
    ] = 240,
    history: Annotated[float, typer.Option(min=0, help="Days of history to simulate first.")] = 1,
    seed: Annotated[int, typer.Option(help="Seed of the generated city.")] = 2004,
    seconds: Annotated[
        float | None, typer.Option(help="Stop after this many seconds live.")
    ] = None,
) -> None:
    """Seed the demo city if the store is empty, simulate some history if it holds no case
    yet, then simulate the city live."""
    with _application() as (settings, app):
        if not app.recorder.max_notification_id():
            _seed(app, seed, settings)
        now = datetime.now(UTC)
        start = now if any_cases(app) else now - timedelta(days=history)
        simulator = _history(app, start, rate, seed)
        runner = build_projections(settings, app)
        with _progress() as bars:
            task = bars.add_task("views", total=None)
            runner.catch_up(lambda at, head: bars.update(task, completed=at, total=head))
        runner.store.close()  # the server keeps the views current from here
        served = replace(settings, development=True)
        operator, auditor = operator_codes()[0], "AU01"
        tokens = {code: _demo_token(app, code, now) for code in (operator, auditor)}
        signal.signal(signal.SIGTERM, _interrupt)  # a process manager's stop: as Ctrl-C
        with _serving(served):
            console.print(
                f"[bold]live[/bold]: {rate:g} reports an hour; GraphQL (and GraphiQL) at "
                f"http://{served.host}:{served.port}/graphql; Ctrl-C stops"
            )
            console.print(f"operator token ({operator}): {tokens[operator]}", soft_wrap=True)
            console.print(f"auditor token ({auditor}): {tokens[auditor]}", soft_wrap=True)
            page = f"http://{served.host}:{served.port}/?token="
            console.print(
                f"[bold]command center[/bold]: open {page}{tokens[operator]} "
                f"(an auditor, for time travel: {page}{tokens[auditor]})",
                soft_wrap=True,
            )
            _live(app, simulator, seconds)


def _demo_token(app: GridCenter, staff: str, now: datetime) -> str:
    """A token for a demo staff member; its secret, printed for the user to paste."""
    secret, digest = mint()
    app.issue_token(digest, staff, "demo", by=app.actor(ADMIN_CODE), at=now)
    return secret


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def _serving(settings: Settings) -> Iterator[None]:
    """The API server on a thread, for as long as the block runs."""
    import uvicorn  # noqa: PLC0415 - only the commands that serve need the server

    from api.app import create_app  # noqa: PLC0415

    config = uvicorn.Config(
        create_app(settings), host=settings.host, port=settings.port, log_level="warning"
    )
    server = uvicorn.Server(config)
    take_turns_often()
    thread = Thread(target=server.run, name="api", daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    if not thread.is_alive():
        console.print(f"[red]the API could not listen on {settings.host}:{settings.port}[/red]")
        raise typer.Exit(1)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _history(app: GridCenter, start: datetime, rate: float, seed: int) -> Simulator:
    """A simulator that has played everything from `start` up to now, with a progress bar."""
    now = datetime.now(UTC)
    simulator = Simulator(app, start=start, rate=rate, seed=seed)
    simulator.start(open_cases(app))
    if start < now:
        with _progress() as bars:
            span = int((now - start).total_seconds())
            task = bars.add_task("history", total=span)

            def advance(at: datetime) -> None:
                local = at.astimezone(app.calendar.zone)
                done = int((at - start).total_seconds())
                bars.update(task, completed=done, description=f"history {local:%m-%d %H:%M}")

            simulator.run_until(now, advance)
            bars.update(task, completed=span)
    return simulator


def _live(app: GridCenter, simulator: Simulator, seconds: float | None) -> None:
    stop = Event()
    history = History(app, app.calendar.zone)
    position = app.recorder.max_notification_id() or 0
    deadline = datetime.now(UTC) + timedelta(seconds=seconds) if seconds is not None else None

    def show_new() -> None:
        nonlocal position
        for entry in history.read(Query(after=position, limit=None)):
            if entry.name != "ReceiptIssued":
                _print(entry)
            position = entry.position
        if deadline is not None and datetime.now(UTC) >= deadline:
            stop.set()

    try:
        simulator.run_live(stop, on_step=show_new)
    except KeyboardInterrupt:
        console.print("stopped")
    refused = sum(simulator.errors.values())
    console.print(f"{simulator.counts.total():,} commands sent, {refused} refused")


@cli.command()
def events(
    case: Annotated[int | None, typer.Option(help="Only this case's history.")] = None,
    type_: Annotated[
        list[str] | None, typer.Option("--type", help="Only events of this name (repeatable).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Only events by this staff id.")] = None,
    after: Annotated[int, typer.Option(min=0, help="Start after this log position.")] = 0,
    limit: Annotated[int, typer.Option(min=1, help="Print at most this many.")] = 100,
    last: Annotated[int | None, typer.Option(min=1, help="Print the last N instead.")] = None,
) -> None:
    """Print the event log, or one case's full history, in order."""
    names = tuple(type_ or ())
    unknown = [n for n in names if n not in EVENT_NAMES]
    if unknown:
        console.print(
            f"[red]unknown event name {', '.join(unknown)}[/red]; known: {', '.join(EVENT_NAMES)}"
        )
        raise typer.Exit(2)
    with _application() as (_, app):
        query = Query(
            after=after,
            limit=None if case is not None and last is None else limit,
            last=last,
            case=case,
            names=names,
            actor=actor,
        )
        try:
            shown = 0
            for entry in History(app, app.calendar.zone).read(query):
                _print(entry)
                shown += 1
        except LookupError as error:
            console.print(f"[red]{escape(str(error))}[/red]")
            raise typer.Exit(1) from None
        if not shown:
            console.print("no events match")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port.")] = None,
) -> None:
    """Serve the GraphQL API at /graphql (and /healthz), keeping the views current."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from api.app import create_app  # noqa: PLC0415

    try:
        settings = Settings.from_env()
    except SettingsInvalid as error:
        console.print(f"[red]gridcenter: {escape(str(error))}[/red]")
        raise typer.Exit(2) from None
    host, port = host or settings.host, port or settings.port
    allow_open_files()  # a websocket subscriber holds a descriptor
    take_turns_often()
    console.print(f"serving http://{host}:{port}/graphql")
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,  # infra/logs.py has configured logging
        log_level="warning",
        timeout_graceful_shutdown=GRACE,
    )


@cli.command()
def watch(
    every: Annotated[float, typer.Option(min=0.1, help="Seconds between looks.")] = 30,
    now: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z"],
            help="Start the clock at this instant (it then runs at the wall clock's pace): "
            "for tests and drills, e.g. 2027-01-04T09:00:00+0800.",
        ),
    ] = None,
) -> None:
    """Run the deadline watcher: warnings (预警) and overdue marks (超期) as clocks run out.
    Any number may run: each warning and overdue mark is recorded once."""
    offset = timedelta() if now is None else now - datetime.now(UTC)
    with _application() as (settings, app):
        watcher, stop = DeadlineWatch(app), Event()
        bus = open_bus(settings.redis_url)
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        console.print(f"watching deadlines every {every:g} s; Ctrl-C stops")
        try:
            while not stop.wait(0 if not watcher.position else every):
                if recorded := watcher.run_once(datetime.now(UTC) + offset):
                    console.print(f"{recorded} deadline events recorded")
                    bus.publish(EventsRecorded(watcher.app.recorder.max_notification_id() or 0))
        except KeyboardInterrupt:
            console.print("stopped")
        finally:
            bus.close()


projections_cli = typer.Typer(help="The views folded from the log.", no_args_is_help=True)
bench_cli = typer.Typer(
    help="Benchmarks, each beside a raw baseline of the same run.", no_args_is_help=True
)
tokens_cli = typer.Typer(help="Access tokens for the API.", no_args_is_help=True)
open311_cli = typer.Typer(
    help="Clients of the Open311 endpoint (/open311/v2) and their api keys.", no_args_is_help=True
)
cli.add_typer(tokens_cli, name="tokens")
cli.add_typer(open311_cli, name="open311")
cli.add_typer(projections_cli, name="projections")
cli.add_typer(bench_cli, name="bench")


@cli.command()
def project(
    batch: Annotated[int, typer.Option(min=1, help="Events a transaction at most.")] = BATCH,
) -> None:
    """Keep the views up to date: those whose lease this worker takes (all of them if it
    is alone), taking over the views of a worker that stops or dies (Ctrl-C stops)."""
    take_turns_often()
    with _application() as (settings, app):
        store = open_view_store(settings.database_url)
        bus = open_bus(settings.redis_url)
        leases = open_leases(settings.database_url)
        worker = ViewWorker(event_log(app), store, VIEWS, leases, bus, batch)
        reached = worker.catch_up()
        held = ", ".join(view.name for view in worker.held) or "none yet"
        console.print(f"views {held} at position {reached:,}; following the log", soft_wrap=True)
        stop = Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        with suppress(KeyboardInterrupt):
            worker.run(stop)
        bus.close()
        store.close()
        console.print("stopped")


@projections_cli.command("status")
def projections_status() -> None:
    """Each view's position against the head of the log."""
    with _application() as (settings, app):
        runner = build_projections(settings, app)
        head = app.recorder.max_notification_id() or 0
        for view in runner.views:
            behind = head - runner.positions[view.name]
            console.print(
                f"{view.name:<18} v{view.version} at {runner.positions[view.name]:>10,}"
                f"  ({behind:,} behind)"
            )


@projections_cli.command("rebuild")
def projections_rebuild(
    names: Annotated[
        list[str] | None, typer.Argument(help="Views to rebuild (all if none).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes rebuilding side by side.")] = 2,
) -> None:
    """Fold views again from position 0 and replace what they hold."""
    with _application() as (settings, app):
        runner = build_projections(settings, app)
        known = [view.name for view in runner.views]
        unknown = [n for n in names or () if n not in known]
        if unknown:
            console.print(f"[red]no view {', '.join(unknown)}[/red]; views: {', '.join(known)}")
            raise typer.Exit(2)
        with (
            console.status(f"rebuilding {', '.join(names or known)} …"),
            Rebuilder(settings, event_log(app), runner, workers) as rebuilder,
        ):
            head = rebuilder.rebuild(names or None)
        console.print(f"rebuilt {', '.join(names or known)} up to position {head:,}")


@bench_cli.command("projections")
def bench_projections(
    repeat: Annotated[int, typer.Option(min=1, help="Runs of each; the median counts.")] = 3,
    history: Annotated[float, typer.Option(min=0, help="Days to simulate into an empty log.")] = 2,
    workers: Annotated[int, typer.Option(min=1, help="Processes rebuilding side by side.")] = 2,
) -> None:
    """Rebuild throughput of all views beside the raw rate of reading and decoding the
    same events. Seeds the demo city and simulates history first if the log has no case."""
    with _application() as (settings, app):
        if not app.recorder.max_notification_id():
            _seed(app, 2004, settings)
        if not any_cases(app):
            _history(app, datetime.now(UTC) - timedelta(days=history), rate=240, seed=2004)
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

    with _application() as (settings, app), tempfile.TemporaryDirectory() as scratch:
        source = settings.database_url.removeprefix("sqlite:///")
        copy = replace(settings, database_url=f"sqlite:///{scratch}/gridcenter.db")
        if settings.database_url.startswith("sqlite:///") and any_cases(app):
            page_bench.copy_store(Path(source), Path(scratch))
            console.print(f"a copy of {source}")
        else:
            console.print("seeding the demo city into a scratch store …")
            seeding = build_application(copy)
            _seed(seeding, 2004, copy)
            _history(seeding, datetime.now(UTC) - timedelta(days=1), rate=240, seed=2004)
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
    try:
        settings = Settings.from_env()
    except SettingsInvalid as error:
        console.print(f"[red]gridcenter: {escape(str(error))}[/red]")
        raise typer.Exit(2) from None
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


def _print(entry: Entry) -> None:
    at = entry.at.strftime("%Y-%m-%d %H:%M") if entry.at else "-"
    by = f"{entry.by.name} ({entry.by.role.value})" if entry.by else "-"
    console.print(
        f"[dim]{entry.position:>8}[/dim] {at} [bold]{entry.name}[/bold] {escape(entry.subject)} "
        f"[cyan]{escape(by)}[/cyan] {escape(entry.details)}",
        soft_wrap=True,
    )


def main() -> None:
    configure(os.environ.get("GRIDCENTER_LOG_FORMAT") or "text")
    try:
        cli()
    except DomainError as error:
        console.print(f"[red]refused: {escape(str(error))}[/red]")
        sys.exit(1)


GRACE = 10
"""Seconds a stopping server gives requests in flight; subscribers are told to
reconnect elsewhere (close code 1012, service restart)."""
ADMIN_OPTION = typer.Option("--by", help="The admin's staff code (the demo city's is A0001).")


@tokens_cli.command("issue")
def tokens_issue(
    staff: Annotated[str, typer.Argument(help="Staff code of the holder, e.g. OP01.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    by: Annotated[str, ADMIN_OPTION] = "A0001",
) -> None:
    """Issue a token and print its secret: shown this once, kept only as a digest."""
    with _application() as (_, app):
        secret, digest = mint()
        try:
            app.issue_token(digest, staff, label, by=app.actor(by), at=datetime.now(UTC))
        except DomainError as error:
            console.print(f"[red]{escape(str(error))}[/red]")
            raise typer.Exit(1) from None
        console.print(f"token {digest[:8]} for {staff}: [bold]{secret}[/bold]", soft_wrap=True)


@tokens_cli.command("revoke")
def tokens_revoke(
    token: Annotated[str, typer.Argument(help="The token's short name (see list).")],
    by: Annotated[str, ADMIN_OPTION] = "A0001",
) -> None:
    """Revoke a token: it never works again."""
    with _application() as (_, app):
        found = [t for t in issued(event_log(app)) if t.digest.startswith(token)]
        if len(found) != 1:
            console.print(f"[red]{'no' if not found else 'more than one'} token {token}[/red]")
            raise typer.Exit(1)
        try:
            app.revoke_token(found[0].digest, by=app.actor(by), at=datetime.now(UTC))
        except DomainError as error:
            console.print(f"[red]{escape(str(error))}[/red]")
            raise typer.Exit(1) from None
        console.print(f"token {found[0].short} revoked")


@tokens_cli.command("list")
def tokens_list() -> None:
    """Every token issued: its short name, holder, label, when, and whether revoked."""
    with _application() as (_, app):
        for token in issued(event_log(app)):
            state = "revoked" if token.revoked else "valid"
            console.print(
                f"{token.short}  {token.staff:<10} "
                f"{token.issued_at.astimezone(app.calendar.zone):%Y-%m-%d %H:%M}  "
                f"{state:<7}  {escape(token.label)}"
            )


@open311_cli.command("key")
def open311_key(
    client: Annotated[str, typer.Argument(help="A short code for the client, e.g. O311-fms.")],
    name: Annotated[
        str | None, typer.Option(help="The app's name, when the client is new.")
    ] = None,
    by: Annotated[str, ADMIN_OPTION] = "A0001",
) -> None:
    """Issue an api key for an Open311 client, enrolling the client (with the public role)
    the first time: its reports come in through the open311 channel under its name. The
    key is a token: `gridcenter tokens list` shows it, `tokens revoke` ends it."""
    with _application() as (_, app):
        admin, now = app.actor(by), datetime.now(UTC)
        try:
            known = app.actor(client)
        except NotFound:
            app.enrol_staff([StaffPlan(client, name or client, Role.PUBLIC)], by=admin, at=now)
            known = app.actor(client)
        if known.role is not Role.PUBLIC:
            console.print(
                f"[red]{escape(client)} is {known.role.label}, not an Open311 client[/red]"
            )
            raise typer.Exit(1)
        secret, digest = mint()
        app.issue_token(digest, client, f"open311: {known.name}", by=admin, at=now)
        console.print(
            f"api key {digest[:8]} for {escape(client)} ({escape(known.name)}): "
            f"[bold]{secret}[/bold]",
            soft_wrap=True,
        )
