"""`gridcenter events`: the log read by people, in order, with personal data masked."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from domain.events import EVENT_NAMES
from infra.cli.common import cli, console, open_application, print_entry
from infra.history import History, Query


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
    with open_application() as (_, app):
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
                print_entry(entry)
                shown += 1
        except LookupError as error:
            console.print(f"[red]{escape(str(error))}[/red]")
            raise typer.Exit(1) from None
        if not shown:
            console.print("no events match")
