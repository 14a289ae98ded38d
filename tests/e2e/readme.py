"""The README's demo, run as a user runs it: its command on an empty data directory, with
the README's GraphQL examples sent while it serves, then stopped. The page's tests then
serve copies of the city it left (tests/e2e/conftest.py): one demo a session, not two."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from infra.loopback import free_port
from tests.fixtures import TLS, UNBOUNDED_QUEUE

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOKEN = re.compile(r"(operator|auditor) token \(\w+\): (gc_\S+)")


@dataclass
class Demo:
    env: dict[str, str]
    """The environment of the README's commands, pointing at the demo's store."""
    printed: str
    answers: list[dict[str, Any]]
    """To the README's GraphQL examples, sent while it ran."""
    tokens: dict[str, str]
    """The operator's and the auditor's, as it printed them."""
    city: Path
    """A copy of its store as it stopped, before any other command ran on it."""


def code_line(command: str) -> bool:
    return any(line.strip() == command for line in README.splitlines())


def graphql_examples() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README, re.DOTALL)


def run_demo(data: Path, city: Path) -> Demo:
    """The README's demo command on the empty directory `data`, stopped (SIGTERM) once
    the examples are answered; its store is then copied to `city`."""
    assert code_line("bash infra/run.sh demo"), "the README no longer shows the demo command"
    env = {**os.environ, "GRIDCENTER_DATA_DIR": str(data), "GRIDCENTER_PORT": str(free_port())}
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
            if found := TOKEN.match(line):
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
    shutil.copyfile(data / "gridcenter.db", city)
    return Demo(env, "".join(printed), answers, tokens, city)


def ask(port: str, token: str, example: str) -> dict[str, Any]:
    """A query over HTTP; a subscription over WebSocket, until its first answer."""
    signed = {"Authorization": f"Bearer {token}"}
    if not example.lstrip().startswith("subscription"):
        url = f"http://127.0.0.1:{port}/graphql"
        return httpx.post(url, json={"query": example}, headers=signed, verify=TLS).json()

    async def first() -> dict[str, Any]:
        url = f"ws://127.0.0.1:{port}/graphql"
        transport = WebsocketsTransport(url=url, init_payload=signed, connect_args=UNBOUNDED_QUEUE)
        async with Client(transport=transport) as session:
            answers = session.subscribe(GraphQLRequest(example))
            try:
                return {"data": await anext(answers)}
            finally:
                await answers.aclose()

    return asyncio.run(asyncio.wait_for(first(), 60))
