"""`gridcenter seed` and `gridcenter demo`: the demo city, its history, and the city live
with the API serving beside it."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from threading import Event, Thread
from typing import Annotated

import typer

from domain.service import GridCenter
from infra.bootstrap import build_projections
from infra.cli.common import (
    cli,
    console,
    open_application,
    print_entry,
    progress_bars,
    seed_demo_city,
    simulate_history,
)
from infra.collector import freeze_what_lasts
from infra.demo.people import ADMIN_CODE, operator_codes
from infra.demo.simulator import Simulator, any_cases
from infra.history import History, Query
from infra.settings import Settings
from infra.threads import take_turns_often
from infra.tokens import mint


@cli.command()
def seed(seed: Annotated[int, typer.Option(help="Seed of the generated city.")] = 2004) -> None:
    """Record the demo city (a Dongcheng-like district) into an empty store."""
    with open_application() as (settings, app):
        head = app.recorder.max_notification_id()
        if head:
            console.print(
                f"[red]the store already holds {head:,} events: seed only an empty store[/red]"
            )
            raise typer.Exit(1)
        seed_demo_city(app, seed, settings)


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
    with open_application() as (settings, app):
        if not app.recorder.max_notification_id():
            seed_demo_city(app, seed, settings)
        now = datetime.now(UTC)
        start = now if any_cases(app) else now - timedelta(days=history)
        simulator = simulate_history(app, start, rate, seed)
        runner = build_projections(settings, app)
        with progress_bars() as bars:
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
    from api.sockets import Sockets  # noqa: PLC0415

    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        ws=Sockets,
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
    freeze_what_lasts()
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _live(app: GridCenter, simulator: Simulator, seconds: float | None) -> None:
    stop = Event()
    history = History(app, app.calendar.zone)
    position = app.recorder.max_notification_id() or 0
    deadline = datetime.now(UTC) + timedelta(seconds=seconds) if seconds is not None else None

    def show_new() -> None:
        nonlocal position
        for entry in history.read(Query(after=position, limit=None)):
            if entry.name != "ReceiptIssued":
                print_entry(entry)
            position = entry.position
        if deadline is not None and datetime.now(UTC) >= deadline:
            stop.set()

    try:
        simulator.run_live(stop, on_step=show_new)
    except KeyboardInterrupt:
        console.print("stopped")
    refused = sum(simulator.errors.values())
    console.print(f"{simulator.counts.total():,} commands sent, {refused} refused")
