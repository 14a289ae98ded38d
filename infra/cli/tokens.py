"""`gridcenter tokens …` and `gridcenter open311 key`: bearer tokens and api keys, kept as
digests in the log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.markup import escape

from domain.errors import DomainError, NotFound
from domain.service import StaffPlan
from domain.staff import Role
from infra.bootstrap import event_log
from infra.cli.common import ADMIN_OPTION, cli, console, open_application
from infra.tokens import issued, mint

tokens_cli = typer.Typer(help="Access tokens for the API.", no_args_is_help=True)
open311_cli = typer.Typer(
    help="Clients of the Open311 endpoint (/open311/v2) and their api keys.", no_args_is_help=True
)
cli.add_typer(tokens_cli, name="tokens")
cli.add_typer(open311_cli, name="open311")


@tokens_cli.command("issue")
def tokens_issue(
    staff: Annotated[str, typer.Argument(help="Staff code of the holder, e.g. OP01.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    by: Annotated[str, ADMIN_OPTION] = "A0001",
) -> None:
    """Issue a token and print its secret: shown this once, kept only as a digest."""
    with open_application() as (_, app):
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
    with open_application() as (_, app):
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
    with open_application() as (_, app):
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
    with open_application() as (_, app):
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
