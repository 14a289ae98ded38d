"""The `gridcenter` command: a module a group of commands, all on one Typer app."""

from __future__ import annotations

import os
import sys

from rich.markup import escape

from domain.errors import DomainError
from infra.cli import bench, demo, events, processes, tokens, views
from infra.cli.common import cli, console
from infra.logs import configure

__all__ = ["bench", "cli", "demo", "events", "main", "processes", "tokens", "views"]


def main() -> None:
    configure(os.environ.get("GRIDCENTER_LOG_FORMAT") or "text")
    try:
        cli()
    except DomainError as error:
        console.print(f"[red]refused: {escape(str(error))}[/red]")
        sys.exit(1)
