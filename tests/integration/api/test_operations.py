"""What the deployment's operators watch: readiness and Prometheus metrics."""

from __future__ import annotations

import re

import httpx

from infra.loopback import ApiServer
from tests.fixtures import TLS
from tests.integration.api.client import mutate

REPORT = """mutation { reportCase(channel: HOTLINE, category: "E0101",
  location: {lon: 116.405, lat: 39.935}, description: "路边垃圾") { ANSWER } }"""


def test_a_node_is_ready_when_its_views_are_close_to_the_log(server: ApiServer) -> None:
    answer = httpx.get(f"http://127.0.0.1:{server.port}/readyz", verify=TLS)
    assert answer.status_code == 200
    found = answer.json()
    assert found["ready"] is True and found["head"] >= 1
    assert set(found["behind"]) >= {"case_board", "grid_status", "workload"}


def test_metrics_count_the_events_recorded_and_tell_the_projection_lag(
    server: ApiServer,
) -> None:
    assert mutate(server, server.token, REPORT)["__typename"] == "Recorded"
    text = httpx.get(f"http://127.0.0.1:{server.port}/metrics", verify=TLS).text
    assert re.search(r"^gridcenter_events_appended_total 1\.0$", text, re.MULTILINE), text
    assert re.search(r'^gridcenter_projection_lag_positions\{view="case_board"\} \d', text, re.M)
    assert re.search(r'^gridcenter_projection_lag_seconds\{view="grid_status"\} ', text, re.M)
    assert re.search(r"^gridcenter_log_head \d", text, re.MULTILINE)
