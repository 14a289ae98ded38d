"""What the commands share: the Typer app, the console, the application opened from the
settings (a bad setting is a usage error, exit 2), progress bars, seeding and history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

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

from domain.service import GridCenter
from infra.bootstrap import build_application
from infra.demo.city import plan_city
from infra.demo.seed import seed_city
from infra.demo.simulator import Simulator, open_cases
from infra.history import Entry
from infra.settings import Settings, SettingsInvalid

cli = typer.Typer(
    name="gridcenter",
    help="Grid-based city governance (网格化管理): an event-sourced command center.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()


def settings_from_env() -> Settings:
    """The settings, or a usage error (exit 2) naming the bad one."""
    try:
        return Settings.from_env()
    except SettingsInvalid as error:
        console.print(f"[red]gridcenter: {escape(str(error))}[/red]")
        raise typer.Exit(2) from None


@contextmanager
def open_application() -> Iterator[tuple[Settings, GridCenter]]:
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


def progress_bars() -> Progress:
    return Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def seed_demo_city(app: GridCenter, seed: int, settings: Settings) -> None:
    with progress_bars() as bars:
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


def simulate_history(app: GridCenter, start: datetime, rate: float, seed: int) -> Simulator:
    """A simulator that has played everything from `start` up to now, with a progress bar."""
    now = datetime.now(UTC)
    simulator = Simulator(app, start=start, rate=rate, seed=seed)
    simulator.start(open_cases(app))
    if start < now:
        with progress_bars() as bars:
            span = int((now - start).total_seconds())
            task = bars.add_task("history", total=span)

            def advance(at: datetime) -> None:
                local = at.astimezone(app.calendar.zone)
                done = int((at - start).total_seconds())
                bars.update(task, completed=done, description=f"history {local:%m-%d %H:%M}")

            simulator.run_until(now, advance)
            bars.update(task, completed=span)
    return simulator


ADMIN_OPTION = typer.Option("--by", help="The admin's staff code (the demo city's is A0001).")


def print_entry(entry: Entry) -> None:
    at = entry.at.strftime("%Y-%m-%d %H:%M") if entry.at else "-"
    by = f"{entry.by.name} ({entry.by.role.value})" if entry.by else "-"
    console.print(
        f"[dim]{entry.position:>8}[/dim] {at} [bold]{entry.name}[/bold] {escape(entry.subject)} "
        f"[cyan]{escape(by)}[/cyan] {escape(entry.details)}",
        soft_wrap=True,
    )
