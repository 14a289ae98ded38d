"""The processes of a deployment: `serve` (API nodes), `project` (projection workers) and
`watch` (the deadline watcher)."""

from __future__ import annotations

import signal
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from threading import Event
from typing import Annotated

import typer

from infra.bootstrap import event_log
from infra.cli.common import cli, console, open_application, settings_from_env
from infra.collector import freeze_what_lasts
from infra.descriptors import allow_open_files
from infra.leases import open_leases
from infra.redis_bus import open_bus
from infra.threads import take_turns_often
from infra.watcher import DeadlineWatch
from infra.workers import ViewWorker
from projections import VIEWS
from projections.bus import EventsRecorded
from projections.runner import BATCH
from projections.store import open_view_store

GRACE = 10
"""Seconds a stopping server gives requests in flight; subscribers are told to
reconnect elsewhere (close code 1012, service restart)."""


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port.")] = None,
) -> None:
    """Serve the GraphQL API at /graphql (and /healthz), keeping the views current."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from api.app import create_app  # noqa: PLC0415
    from api.sockets import Sockets  # noqa: PLC0415

    settings = settings_from_env()
    host, port = host or settings.host, port or settings.port
    allow_open_files()  # a websocket subscriber holds a descriptor
    take_turns_often()
    console.print(f"serving http://{host}:{port}/graphql")
    app = create_app(settings)
    freeze_what_lasts()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,  # infra/logs.py has configured logging
        log_level="warning",
        timeout_graceful_shutdown=GRACE,
        ws=Sockets,
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
    with open_application() as (settings, app):
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


@cli.command()
def project(
    batch: Annotated[int, typer.Option(min=1, help="Events a transaction at most.")] = BATCH,
) -> None:
    """Keep the views up to date: those whose lease this worker takes (all of them if it
    is alone), taking over the views of a worker that stops or dies (Ctrl-C stops)."""
    take_turns_often()
    with open_application() as (settings, app):
        store = open_view_store(settings.database_url)
        bus = open_bus(settings.redis_url)
        leases = open_leases(settings.database_url)
        worker = ViewWorker(event_log(app), store, VIEWS, leases, bus, batch)
        reached = worker.catch_up()
        freeze_what_lasts()
        held = ", ".join(view.name for view in worker.held) or "none yet"
        console.print(f"views {held} at position {reached:,}; following the log", soft_wrap=True)
        stop = Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        with suppress(KeyboardInterrupt):
            worker.run(stop)
        bus.close()
        store.close()
        console.print("stopped")
