"""The README's commands work as written: its demo command seeds the city and records
events, and every `$ ` line of its console examples runs and prints what it promises."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from infra.loopback import free_port

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENTRY = re.compile(r"^\s+\d+ \d{4}-\d\d-\d\d \d\d:\d\d [A-Z]\w+ ", re.MULTILINE)


def console_lines() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, re.DOTALL)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def code_line(command: str) -> bool:
    return any(line.strip() == command for line in README.splitlines())


@dataclass
class Demo:
    env: dict[str, str]
    printed: str
    answers: list[dict[str, Any]]  # to the README's GraphQL examples, sent while it ran


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The README's demo command on an empty data directory, with the README's GraphQL
    examples sent to it while it serves, then stopped (SIGTERM); yields the environment
    pointing at its store, what it printed and the answers."""
    assert code_line("bash infra/run.sh demo"), "the README no longer shows the demo command"
    env = {
        **os.environ,
        "GRIDCENTER_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "GRIDCENTER_PORT": str(free_port()),
    }
    env.pop("GRIDCENTER_DATABASE_URL", None)
    with subprocess.Popen(
        ["bash", "infra/run.sh", "demo", "--seconds", "900"],  # stopped below
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as run:
        assert run.stdout is not None
        printed, tokens = [], {}
        for line in run.stdout:
            printed.append(line)
            if found := re.match(r"(operator|auditor) token \(\w+\): (gc_\S+)", line):
                tokens[found.group(1)] = found.group(2)
            if len(tokens) == 2:
                break
        assert len(tokens) == 2, "".join(printed)
        port = env["GRIDCENTER_PORT"]
        try:
            answers = [
                ask(port, tokens["auditor" if "asOf" in example else "operator"], example)
                for example in graphql_examples()
            ]
        finally:
            run.terminate()  # stops it as Ctrl-C does (SIGINT may be ignored under CI)
        printed.extend(run.stdout)
        assert run.wait(timeout=900) == 0, "".join(printed)
    yield Demo(env, "".join(printed), answers)


def graphql_examples() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README, re.DOTALL)


def ask(port: str, token: str, example: str) -> dict[str, Any]:
    """A query over HTTP; a subscription over WebSocket, until its first answer."""
    signed = {"Authorization": f"Bearer {token}"}
    if not example.lstrip().startswith("subscription"):
        url = f"http://127.0.0.1:{port}/graphql"
        return httpx.post(url, json={"query": example}, headers=signed).json()

    async def first() -> dict[str, Any]:
        url = f"ws://127.0.0.1:{port}/graphql"
        transport = WebsocketsTransport(url=url, init_payload=signed)
        async with Client(transport=transport) as session:
            answers = session.subscribe(GraphQLRequest(example))
            try:
                return {"data": await anext(answers)}
            finally:
                await answers.aclose()

    return asyncio.run(asyncio.wait_for(first(), 60))


def test_the_demo_command_seeds_the_city_and_records_events(demo: Demo) -> None:
    printed = demo.printed
    assert "seeded 589 grids, 853 staff" in printed
    assert "history" in printed and "live:" in printed
    assert re.search(r"([1-9][\d,]*) commands sent, 0 refused", printed), printed


@pytest.mark.parametrize("command", console_lines())
def test_each_console_example_of_the_readme_runs_and_prints_what_it_promises(
    demo: Demo, command: str
) -> None:
    env = demo.env
    run = subprocess.run(  # noqa: PLW1510 - the exit code is asserted below
        command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    if " events" in command:
        assert ENTRY.search(run.stdout), run.stdout
    else:
        assert run.stdout.strip(), command
    assert not re.search(r"(reporter|head)_(name|phone)=(?!•••)", run.stdout), "personal data shown"


def test_the_demo_serves_the_readmes_graphql_examples(demo: Demo) -> None:
    assert len(demo.answers) == len(graphql_examples()) >= 4
    for answer in demo.answers:
        assert answer.get("data") and not answer.get("errors"), answer
    grids, board, past, command, stream = demo.answers[:5]
    assert grids["data"]["area"]["grids"] == 589
    assert board["data"]["caseBoard"]["cases"]
    assert past["data"]["moment"]["position"] < past["data"]["moment"]["head"]
    assert command["data"]["reportCase"]["__typename"] == "Recorded"
    assert stream["data"]["events"]["position"] == 1


def test_a_bad_argument_gets_a_usage_message_and_a_nonzero_exit() -> None:
    run = subprocess.run(  # noqa: PLW1510 - the exit code is asserted below
        [".venv/bin/gridcenter", "events", "--case", "forty-two"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "Usage: gridcenter events" in run.stdout + run.stderr


def test_the_readmes_example_case_history_is_in_order(demo: Demo) -> None:
    env = demo.env
    run = subprocess.run(  # noqa: PLW1510 - the exit code is asserted below
        [".venv/bin/gridcenter", "events", "--case", "42"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line.split() for line in run.stdout.splitlines() if ENTRY.match(line)]
    assert lines[0][3] == "CaseReported"
    positions = [int(line[0]) for line in lines]
    assert positions == sorted(positions)
    assert all(line[4:6] == ["case", "42"] for line in lines)
