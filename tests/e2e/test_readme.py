"""The README's commands work as written: its demo command seeds the city and records
events, and every `$ ` line of its console examples runs and prints what it promises."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.e2e.readme import README, ROOT, Demo, graphql_examples

ENTRY = re.compile(r"^\s+\d+ \d{4}-\d\d-\d\d \d\d:\d\d [A-Z]\w+ ", re.MULTILINE)


def console_lines() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, re.DOTALL)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_the_demo_command_seeds_the_city_and_records_events(readme_demo: Demo) -> None:
    printed = readme_demo.printed
    assert "seeded 589 grids, 853 staff" in printed
    assert "history" in printed and "live:" in printed
    assert re.search(r"([1-9][\d,]*) commands sent, 0 refused", printed), printed


@pytest.mark.parametrize("command", console_lines())
def test_each_console_example_of_the_readme_runs_and_prints_what_it_promises(
    readme_demo: Demo, command: str
) -> None:
    env = readme_demo.env
    run = subprocess.run(  # noqa: PLW1510 - the exit code is asserted below
        command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    if " events" in command:
        assert ENTRY.search(run.stdout), run.stdout
    else:
        assert run.stdout.strip(), command
    assert not re.search(r"(reporter|head)_(name|phone)=(?!•••)", run.stdout), "personal data shown"


def test_the_demo_serves_the_readmes_graphql_examples(readme_demo: Demo) -> None:
    assert len(readme_demo.answers) == len(graphql_examples()) >= 4
    for answer in readme_demo.answers:
        assert answer.get("data") and not answer.get("errors"), answer
    grids, board, past, command, stream = readme_demo.answers[:5]
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


def test_the_readmes_example_case_history_is_in_order(readme_demo: Demo) -> None:
    env = readme_demo.env
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
