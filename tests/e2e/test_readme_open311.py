"""The README's Open311 and open-data examples work as written: its `gridcenter open311
key` command issues a key, and every curl command of the section, pasted as it stands
(the server's port put in for 8000, `$KEY` and `$TOKEN` set), is answered with success
and something in it."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.loopback import ApiServer, start_api
from infra.tokens import mint
from tests.fixtures import ADMIN, DISTRICT, MONDAY, Loop

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Open311 and open data", 1)[1].split("\n## ", 1)[0]


def commands(kind: str) -> list[str]:
    """The section's commands in its `kind` blocks, continuation lines joined."""
    found = []
    for block in re.findall(rf"```{kind}\n(.*?)```", SECTION, re.DOTALL):
        found += [c.strip() for c in block.replace("\\\n", " ").splitlines() if c.strip()]
    return found


@dataclass
class Served:
    server: ApiServer
    env: dict[str, str]


@pytest.fixture(scope="module")
def served(
    app_factory: Callable[[str], GridCenter], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """A server over the fixtures' map with a closed case, the README's key command run
    against its store, and an operator's token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('readme') / 'gridcenter.db'}"
    app = app_factory(url)
    staff = [
        StaffPlan("A0001", "管理员", Role.ADMIN, ("",)),
        StaffPlan("OP01", "王调度", Role.OPERATOR, (DISTRICT,)),
    ]
    app.enrol_staff(staff, ADMIN, MONDAY)
    token, digest = mint()
    app.issue_token(digest, "OP01", "readme", by=ADMIN, at=MONDAY)
    Loop(app).closed()
    env = {**os.environ, "GRIDCENTER_DATABASE_URL": url}
    (line,) = [c for c in commands("console") if " open311 key " in c]
    issued = subprocess.run(
        line.removeprefix("$ "),
        check=False,
        shell=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    found = re.search(r"api key \w{8} for \S+ \(.+\): (gc_\S+)", issued.stdout)
    assert issued.returncode == 0 and found, issued.stdout + issued.stderr
    server = start_api(url)
    yield Served(server, {**env, "KEY": found.group(1), "TOKEN": token})
    server.stop()
    app.close()


CURLS = [c for c in commands("bash") if c.startswith("curl ")]


def test_the_section_shows_its_examples() -> None:
    assert len(CURLS) >= 10
    assert any("requests.json" in c and "-d api_key" in c for c in CURLS)
    assert any("/export/" in c for c in CURLS)


@pytest.mark.parametrize("command", CURLS)
def test_each_curl_example_is_answered_with_success(
    served: Served, command: str, tmp_path: Path
) -> None:
    sent = command.replace("localhost:8000", f"127.0.0.1:{served.server.port}")
    sent = sent.replace("curl -s", "curl -s --fail-with-body", 1)
    run = subprocess.run(
        sent,
        check=False,
        shell=True,
        cwd=tmp_path,
        env=served.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    written = [p for p in tmp_path.iterdir() if p.stat().st_size > 0]
    assert run.stdout.strip() or written, command
    assert "13912345678" not in run.stdout and "李四" not in run.stdout
