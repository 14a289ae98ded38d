"""The README's commands work as written: its demo command seeds the city and records
events, and every `$ ` line of its console examples runs and prints what it promises."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENTRY = re.compile(r"^\s+\d+ \d{4}-\d\d-\d\d \d\d:\d\d [A-Z]\w+ ", re.MULTILINE)


def console_lines() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, re.DOTALL)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def code_line(command: str) -> bool:
    return any(line.strip() == command for line in README.splitlines())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], str]]:
    """The README's demo command on an empty data directory, stopped after a few live
    seconds; yields the environment pointing at its store and what it printed."""
    assert code_line("bash infra/run.sh demo"), "the README no longer shows the demo command"
    env = {**os.environ, "GRIDCENTER_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    env.pop("GRIDCENTER_DATABASE_URL", None)
    run = subprocess.run(  # noqa: PLW1510 - the exit code is asserted below
        ["bash", "infra/run.sh", "demo", "--seconds", "5"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    yield env, run.stdout


def test_the_demo_command_seeds_the_city_and_records_events(
    demo: tuple[dict[str, str], str],
) -> None:
    _, printed = demo
    assert "seeded 589 grids, 853 staff" in printed
    assert "history" in printed and "live:" in printed
    assert re.search(r"([1-9][\d,]*) commands sent, 0 refused", printed), printed


@pytest.mark.parametrize("command", console_lines())
def test_each_console_example_of_the_readme_runs_and_prints_what_it_promises(
    demo: tuple[dict[str, str], str], command: str
) -> None:
    env, _ = demo
    run = subprocess.run(  # noqa: PLW1510 - the exit code is asserted below
        command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    if " events" in command:
        assert ENTRY.search(run.stdout), run.stdout
    else:
        assert run.stdout.strip(), command
    assert not re.search(r"(reporter|head)_(name|phone)=(?!•••)", run.stdout), "personal data shown"


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


def test_the_readmes_example_case_history_is_in_order(demo: tuple[dict[str, str], str]) -> None:
    env, _ = demo
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
