"""`gridcenter projections …`: the views' positions and their rebuild."""

from __future__ import annotations

from typing import Annotated

import typer

from infra.bootstrap import build_projections, event_log
from infra.cli.common import cli, console, open_application
from infra.rebuild import Rebuilder

projections_cli = typer.Typer(help="The views folded from the log.", no_args_is_help=True)
cli.add_typer(projections_cli, name="projections")


@projections_cli.command("status")
def projections_status() -> None:
    """Each view's position against the head of the log."""
    with open_application() as (settings, app):
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
    with open_application() as (settings, app):
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
