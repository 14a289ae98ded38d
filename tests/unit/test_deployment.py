"""The deployment description (infra/deploy) stays true to the code: every command its
services and units run is one `gridcenter` accepts, every setting they give is one
gridcenter knows, and each role of the deployment is there."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from infra.cli import cli
from infra.settings import Settings

DEPLOY = Path(__file__).parents[2] / "infra" / "deploy"


def compose() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return found


def commands() -> list[list[str]]:
    """Every `gridcenter …` command line of the compose file and the systemd units."""
    found = [
        service["command"][1:]
        for service in compose()["services"].values()
        if service.get("command", [""])[0] == "gridcenter"
    ]
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                found.append(shlex.split(line.removeprefix("ExecStart="))[1:])
    return [[arg.replace("%i", "8000") for arg in args] for args in found]


@pytest.mark.parametrize("args", commands(), ids=" ".join)
def test_each_command_of_the_deployment_is_one_gridcenter_accepts(args: list[str]) -> None:
    """Its subcommand and options exist (help is shown only once every option parsed)."""
    answer = CliRunner().invoke(cli, [*args, "--help"])
    assert answer.exit_code == 0, answer.output


def test_every_setting_of_the_deployment_is_one_gridcenter_knows() -> None:
    services = compose()["services"]
    given = {k: str(v) for s in services.values() for k, v in (s.get("environment") or {}).items()}
    env = (DEPLOY / "systemd" / "gridcenter.env").read_text().splitlines()
    given |= dict(line.split("=", 1) for line in env if line and not line.startswith("#"))
    Settings.from_env({k: v for k, v in given.items() if k.startswith("GRIDCENTER_")})


def test_the_deployment_has_every_role_and_api_nodes_leave_the_views_to_workers() -> None:
    services = compose()["services"]
    roles = [
        s["command"][1] for s in services.values() if s.get("command", [""])[0] == "gridcenter"
    ]
    assert sorted(roles) == ["project", "project", "serve", "serve", "watch"]
    for service in services.values():
        if service.get("command", ["", ""])[1:2] == ["serve"]:
            assert service["environment"]["GRIDCENTER_VIEWS"] == "workers"
