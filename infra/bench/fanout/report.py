"""The fan-out benchmark's figures as a person reads them: a table of every rate each
system held, then for each number of subscribers the highest rate sustained, the ratio
of gridcenter's deliveries to the raw broadcast's, and the issue's targets met or not."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

from rich.table import Table

from infra.bench.fanout import Run, Step
from infra.bench.fanout.figures import SUSTAINED_P99

P99_TARGET = 0.100
"""Seconds: gridcenter's p99 at 1,000 subscribers and 50 commands a second."""
SHARE_TARGET = 0.5
"""gridcenter's deliveries a second at its highest sustained rate, against the raw
broadcast's at its own."""


def machine(clients: int) -> str:
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    return (
        f"{os.cpu_count()} cores shared by PostgreSQL, Redis, 2 API nodes, the projection "
        f"worker, {clients} client processes and the sender (load average {load} at the "
        "start); the baseline runs on the same cores with the same clients"
    )


def table(runs: Sequence[Run]) -> Table:
    shown = Table(title="fan-out: commit to delivery", title_justify="left")
    for heading in ("system", "subscribers", "offered/s", "recorded/s", "deliveries/s"):
        shown.add_column(heading, justify="right")
    for heading in ("frames/s", "p50 ms", "p99 ms", "write p50 ms", "stamp p99 ms"):
        shown.add_column(heading, justify="right")
    for heading in ("answer p50/p99 ms", "delivered"):
        shown.add_column(heading, justify="right")
    shown.add_column("sustained")
    for run in runs:
        for step in run.steps:
            shown.add_row(
                step.system,
                f"{step.subscribers:,}",
                f"{step.rate:g}",
                f"{step.sent.rate:,.1f}",
                f"{step.deliveries:,.0f}",
                f"{step.frames:,.0f}",
                _ms(step.p50),
                _ms(step.p99),
                _ms(step.commit_p50),
                _ms(step.stamped_p99),
                _answers(step.sent.answers),
                f"{step.delivered:.1%}",
                "yes" if step.sustained else "no: " + "; ".join(step.failures),
            )
    return shown


def summary(run: Run, first_rate: float) -> list[str]:
    """What a run says: the first rate side by side, the highest rates sustained and
    their ratio, and the targets."""
    lines = [f"{run.subscribers:,} subscribers ({run.subscribers // 2:,} a node):"]
    ours, raw = run.at("gridcenter", first_rate), run.at("baseline", first_rate)
    if ours is not None and raw is not None:
        lines.append(
            f"  at {first_rate:g}/s: gridcenter p50 {_ms(ours.p50)} ms, p99 {_ms(ours.p99)} ms, "
            f"{ours.deliveries:,.0f} deliveries/s; raw broadcast p50 {_ms(raw.p50)} ms, "
            f"p99 {_ms(raw.p99)} ms, {raw.deliveries:,.0f} deliveries/s"
        )
        lines.append(
            f"  the cores meanwhile: gridcenter {_cores(ours)}; raw broadcast {_cores(raw)}"
        )
    best, best_raw = run.best("gridcenter"), run.best("baseline")
    lines.append(f"  highest rate sustained: gridcenter {_best(run, 'gridcenter', best)}")
    lines.append(f"  highest rate sustained: raw broadcast {_best(run, 'baseline', best_raw)}")
    share = None
    if best is not None and best_raw is not None and best_raw.deliveries:
        share = best.deliveries / best_raw.deliveries
        lines.append(
            f"  gridcenter / raw broadcast, deliveries a second: {share:.0%} "
            f"(frames: {best.frames / best_raw.frames:.0%})"
        )
    if run.subscribers == 1000 and ours is not None:
        met = ours.p99 < P99_TARGET
        lines.append(
            f"  target p99 < {P99_TARGET * 1000:.0f} ms at {first_rate:g}/s: "
            f"{_ms(ours.p99)} ms, {'met' if met else 'missed'}"
        )
    if share is not None:
        met = share >= SHARE_TARGET
        lines.append(
            f"  target ≥ {SHARE_TARGET:.0%} of the raw broadcast rate: {share:.0%}, "
            f"{'met' if met else 'missed'}"
        )
    return lines


def notes() -> list[str]:
    return [
        "p50, p99: from the report's commit (PostgreSQL's commit timestamp of its row) to "
        "the subscriber's receive instant, same clock. write: from the report's stamp (its "
        "recorded instant, taken as the node starts the command) to its commit; stamp p99: "
        "the p99 from the stamp, the write included. answer: the mutation's round trip.",
        f"sustained: every command recorded on time, ≥ 99 % of the updates delivered, no "
        f"subscriber closed, p99 < {SUSTAINED_P99:g} s. deliveries: grid updates received "
        "(one commit each) a second; frames: websocket messages a second. the cores: "
        "the shares of the machine's CPU time they were idle, and taken by the host for "
        "other guests, while the step ran (/proc/stat): a step with much stolen is no "
        "measure of the code.",
    ]


def _best(run: Run, system: str, step: Step | None) -> str:
    if step is None:
        tried = min((s.rate for s in run.of(system)), default=0)
        return f"none, down to {tried:g}/s"
    capped = step.rate == max(s.rate for s in run.of(system))
    return (
        f"{step.rate:g} commands/s, {step.deliveries:,.0f} deliveries/s, "
        f"p99 {_ms(step.p99)} ms"
        + (" (the last rate tried: the ramp stopped there)" if capped else "")
    )


def _cores(step: Step) -> str:
    cores = step.cores
    return "-" if cores is None else f"idle {cores.idle:.0%}, stolen {cores.stolen:.0%}"


def _ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:,.1f}"


def _answers(seconds: Sequence[float]) -> str:
    """The mutations' answer times, p50/p99 (gridcenter's steps only)."""
    if not seconds:
        return "-"
    ordered = sorted(seconds)
    p50, p99 = (ordered[min(len(ordered) - 1, int(share * len(ordered)))] for share in (0.5, 0.99))
    return f"{_ms(p50)}/{_ms(p99)}"
