"""POST requests: a report through the Open311 channel with an api_key, located by lat
and long or an address, answering the service's questions — and every request the spec
refuses, refused without recording anything."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures import GRID_A, TLS
from tests.integration.api.client import query
from tests.open311 import (
    FORMATS,
    REPORT,
    City,
    base,
    post,
    read,
    wait_for,
)


@pytest.mark.parametrize("format", FORMATS)
def test_a_posted_request_is_a_public_report_awaiting_the_on_site_check(
    city: City, format: str
) -> None:
    answer = city.report(format)
    assert answer.status == 200, answer.body
    (made,) = answer.body
    number = int(made["service_request_id"])
    assert "网格员现场核实" in made["service_notice"]
    request = wait_for(city.server, number)  # the views commit together: GraphQL has it too
    found = query(
        city.server, "query ($n: Int!) { case(number: $n) { channel stage grid } }", n=number
    )
    assert found["case"] == {"channel": "open311", "stage": "reported", "grid": GRID_A}
    assert (request["status"], request["extended_attributes"]["channel"]) == ("open", "open311")


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"api_key": None}, 403, "api_key is required"),
        ({"api_key": "gc_made-up"}, 403, "api_key is not valid"),
        ({"api_key": ""}, 403, "api_key is required"),  # empty counts as absent
        ({"service_code": None}, 400, "service_code is required"),
        ({"service_code": "X9999"}, 404, "service_code X9999 was not found"),
        ({"service_code": "E0801"}, 404, "service_code E0801 was not found"),
        ({"lat": None, "long": None}, 400, "a location is required"),
        ({"lat": "", "long": ""}, 400, "a location is required"),
        ({"long": None}, 400, "send lat and long together"),
        ({"lat": "north"}, 400, "lat must be a number"),
        ({"lat": "91"}, 400, "lat must be a number from -90 to 90"),
        ({"lat": "39.8", "long": "116.5"}, 400, "outside every grid"),
        ({"description": "垃" * 4001}, 400, "description holds 4,000 characters at most"),
        ({"service_code": "C0101"}, 400, "service C0101 requires attribute[cover_state]"),
        (
            {"service_code": "C0101", "attribute[cover_state]": "stolen"},
            400,
            "'stolen' is not one of missing, broken, displaced",
        ),
        ({"attribute[colour]": "red"}, 400, "category E0101 asks no question 'colour'"),
        ({"media_url": "file:///etc/passwd"}, 400, "media_url must be an http or https URL"),
        ({"address_string": "火星", "lat": None, "long": None}, 400, "names no street"),
        ({"address_id": "1", "lat": None, "long": None}, 400, "address_id 1 is no grid"),
        ({"jurisdiction_id": "sfgov.org"}, 404, "jurisdiction_id sfgov.org was not found"),
        ({"description": "a\x00b"}, 400, "may not hold a NUL character"),  # sent as %00
    ],
)
def test_a_request_the_spec_refuses_is_an_error_and_records_nothing(
    city: City, format: str, fields: dict[str, Any], status: int, says: str
) -> None:
    before = city.app.recorder.max_notification_id()
    given = {"api_key": city.key, **REPORT, **fields}
    answer = post(city.server, format, {k: v for k, v in given.items() if v is not None})
    assert answer.status == status, answer.body
    (error,) = answer.body
    assert error["code"] == str(status) and says in error["description"], error
    assert city.app.recorder.max_notification_id() == before


def test_an_admin_issues_an_api_key_for_a_new_client_from_the_command_line(city: City) -> None:
    def key(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(Path(sys.executable).parent / "gridcenter"), "open311", "key", *args]
        env = {**os.environ, "GRIDCENTER_DATABASE_URL": city.url}
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    first = key("O311-fms", "--name", "FixMyStreet 东城")
    assert first.returncode == 0, first.stdout + first.stderr
    found = re.search(r"api key \w{8} for O311-fms \(FixMyStreet 东城\): (gc_\S+)", first.stdout)
    assert found, first.stdout
    answer = city.report(api_key=found.group(1))
    assert answer.status == 200, answer.body
    number = int(answer.body[0]["service_request_id"])
    assert city.app.case(number).reported_by.name == "FixMyStreet 东城"
    again = key("O311-fms")  # the same client, another key
    assert again.returncode == 0 and "for O311-fms (FixMyStreet 东城)" in again.stdout
    staff = key("OP01")
    assert staff.returncode == 1 and "not an Open311 client" in staff.stdout


def test_a_staff_token_is_no_api_key(city: City) -> None:
    answer = city.report(api_key=city.tokens["OP01"])
    assert answer.status == 403
    assert "may not report through the open311 channel" in answer.body[0]["description"]


def test_a_request_may_carry_the_key_as_a_bearer_token_and_answers(city: City) -> None:
    fields = {**REPORT, "service_code": "C0101", "attribute[cover_state]": "broken"}
    answer = post(city.server, "json", fields, {"Authorization": f"Bearer {city.key}"})
    assert answer.status == 200, answer.body
    number = int(answer.body[0]["service_request_id"])
    assert city.app.case(number).answers == {"cover_state": ("broken",)}


def test_a_multiple_choice_takes_several_values(city: City) -> None:
    fields = {"attribute[garbage_kind][]": ["household", "bulky"]}
    number = city.reported(**fields)
    assert city.app.case(number).answers == {"garbage_kind": ("household", "bulky")}


@pytest.mark.parametrize(
    ("where", "grid"),
    [
        ({"address_string": "东华门街道多福巷社区北口"}, "110101001001"),
        ({"address_string": "Shaojiu community, Donghuamen"}, "110101001002"),
        ({"address_id": "110101001002002"}, "110101001002002"),
        ({"address_string": "110101001001002 东口"}, "110101001001002"),
    ],
)
def test_an_address_instead_of_lat_and_long_places_the_report_in_the_area_it_names(
    city: City, where: dict[str, str], grid: str
) -> None:
    number = city.reported(lat="", long="", **where)
    request = wait_for(city.server, number)
    assert request["address_id"].startswith(grid)
    if "address_string" in where:
        assert request["address"] == where["address_string"]


def test_a_retry_with_the_same_idempotency_key_gets_the_first_request(city: City) -> None:
    headers = {"Idempotency-Key": "app-17:report-3"}
    fields = {"api_key": city.key, **REPORT}
    first = post(city.server, "json", fields, headers)
    again = post(city.server, "json", fields, headers)
    assert first.status == again.status == 200
    assert first.body == again.body


@pytest.mark.parametrize("format", FORMATS)
def test_a_body_too_large_or_a_raw_nul_is_refused_as_the_spec_errors_are(
    city: City, format: str
) -> None:
    before = city.app.recorder.max_notification_id()
    url = f"{base(city.server)}/requests.{format}"
    form = {"content-type": "application/x-www-form-urlencoded"}
    for body, status, says in (
        (b"description=" + b"x" * 300_000, 413, "bytes at most"),
        (b"api_key=x&description=a\x00b", 400, "may not hold a NUL character"),
    ):
        answer = read(httpx.post(url, content=body, headers=form, verify=TLS))
        assert answer.status == status
        (error,) = answer.body
        assert error["code"] == str(status) and says in error["description"], error
    assert city.app.recorder.max_notification_id() == before
