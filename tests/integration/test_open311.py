"""The Open311 GeoReport v2 endpoint served by `gridcenter serve`, on SQLite and a real
PostgreSQL, driven by httpx: every resource in XML and in JSON against the spec's rules
(required fields, formats, filters, defaults, errors), and a round trip — a request
posted through Open311 is a case in GraphQL, goes round the loop there, and reads back
closed through Open311 with its notes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures import DISTRICT, GRID_A, IN_A
from tests.integration.test_api import query, step
from tests.open311 import REPORT, TYPES, Answer, City, base, get, post, wait_for

FORMATS = ["xml", "json"]
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
MARCH = {"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-03-31T00:00:00+08:00"}


def march(city: City, format: str, **params: Any) -> Answer:
    return get(city.server, "requests", format, **MARCH, **params)


def ids(answer: Answer) -> list[int]:
    assert answer.status == 200, answer.body
    return [int(request["service_request_id"]) for request in answer.body]


# Formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
def test_each_format_is_utf8_with_its_content_type(city: City, format: str) -> None:
    for resource in ("discovery", "services", "requests", "servicerequestupdates"):
        answer = get(city.server, resource, format)
        assert (answer.status, answer.content_type) == (200, TYPES[format]), resource
        answer.raw.decode("utf-8")


def test_both_formats_say_the_same(city: City) -> None:
    for resource, params in [
        ("services", {}),
        ("services/C0101", {}),
        ("requests", {**MARCH, "extensions": "true"}),
        (f"requests/{city.closed}", {"extensions": "true"}),
        ("servicerequestupdates", {"after": "0"}),
    ]:
        xml, json = (get(city.server, resource, f, **params) for f in FORMATS)
        assert xml.body == json.body, resource


def test_json_gives_ids_and_codes_as_text_places_as_numbers_and_flags_as_booleans(
    city: City,
) -> None:
    (request,) = httpx.get(f"{base(city.server)}/requests/{city.closed}.json").json()
    assert isinstance(request["service_request_id"], str)
    assert isinstance(request["service_code"], str) and isinstance(request["address_id"], str)
    assert isinstance(request["lat"], float) and isinstance(request["long"], float)
    service = httpx.get(f"{base(city.server)}/services.json").json()[0]
    assert service["metadata"] is True and isinstance(service["service_code"], str)
    (error,) = httpx.get(f"{base(city.server)}/requests/99999.json").json()
    assert error == {"code": "404", "description": "service_request_id 99999 was not found"}


@pytest.mark.parametrize("format", FORMATS)
def test_times_carry_their_zone(city: City, format: str) -> None:
    (request,) = get(city.server, f"requests/{city.closed}", format, extensions="true").body
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(request[field]), (field, request[field])
    assert all(W3C.match(note["datetime"]) for note in request["notes"])
    assert request["requested_datetime"] == "2026-03-09T10:10:00+08:00"


# Discovery and services --------------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
def test_discovery_names_the_endpoint_its_formats_and_how_to_get_a_key(
    city: City, format: str
) -> None:
    found = get(city.server, "discovery", format).body
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(found)
    (endpoint,) = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == base(city.server)
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert "gridcenter open311 key" in found["key_service"]


@pytest.mark.parametrize("format", FORMATS)
def test_services_list_the_public_categories_with_their_required_fields(
    city: City, format: str
) -> None:
    services = get(city.server, "services", format).body
    codes = [s["service_code"] for s in services]
    public = [c.code for c in city.app.catalog.categories() if c.public]
    assert codes == public and "E0601" not in codes and "E0801" not in codes
    for service in services:
        assert service["service_name"] and service["type"] == "realtime"
        assert service["metadata"] in ("true", "false") and service["group"]
    asking = {s["service_code"] for s in services if s["metadata"] == "true"}
    assert {"C0101", "C0201", "E0101"} <= asking and "E0102" not in asking


def test_services_speak_english_to_a_client_that_prefers_it(city: City) -> None:
    first = get(city.server, "services", "json", language="en-GB,zh;q=0.5").body[0]
    assert first["service_name"] == "water supply manhole cover"
    assert first["group"] == "public facilities"
    assert get(city.server, "services", "json").body[0]["service_name"] == "上水井盖"


@pytest.mark.parametrize("format", FORMATS)
def test_a_service_definition_lists_its_questions_as_attributes(city: City, format: str) -> None:
    found = get(city.server, "services/C0201", format, language="en").body
    assert found["service_code"] == "C0201"
    state, pole = found["attributes"]
    assert state["variable"] == "true" and state["datatype"] == "singlevaluelist"
    assert (state["code"], state["required"], state["order"]) == ("light_state", "false", "1")
    assert state["values"][0] == {"key": "off", "name": "off at night"}
    assert (pole["datatype"], pole["order"], pole["values"]) == ("string", "2", [])
    assert pole["datatype_description"].startswith("the number painted")
    assert get(city.server, "services/E0102", format).body["attributes"] == []


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("code", ["X9999", "E0601"])
def test_an_unknown_or_hidden_service_is_404(city: City, format: str, code: str) -> None:
    answer = get(city.server, f"services/{code}", format)
    assert answer.status == 404
    assert answer.body == [{"code": "404", "description": f"service_code {code} was not found: "
                            f"see services.{format}"}]  # fmt: skip


# Posting a request -------------------------------------------------------------------------


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


# Reading requests --------------------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
def test_a_request_has_the_fields_the_spec_requires(city: City, format: str) -> None:
    (request,) = get(city.server, f"requests/{city.closed}", format).body
    assert request["service_request_id"] == str(city.closed)
    assert (request["status"], request["service_code"]) == ("closed", "E0101")
    assert (
        request["service_name"] == "暴露垃圾" and request["agency_responsible"] == "环境卫生管理局"
    )
    assert request["description"] == "垃圾堆放在路边 / garbage piled by the road"
    assert (request["lat"], request["long"]) == (str(IN_A.lat), str(IN_A.lon))
    assert request["address"] == "东华门街道多福巷社区第1网格" and request["address_id"] == GRID_A
    assert request["status_notes"] == "已结案"
    assert "notes" not in request and "extended_attributes" not in request


@pytest.mark.parametrize("format", FORMATS)
def test_the_default_is_the_last_90_days(city: City, format: str) -> None:
    recent = city.reported()
    wait_for(city.server, recent)
    found = ids(get(city.server, "requests", format))
    assert recent in found and city.closed not in found  # reported in March


@pytest.mark.parametrize("format", FORMATS)
def test_requests_are_filtered_by_dates_code_and_status(city: City, format: str) -> None:
    every = ids(march(city, format))
    assert every == [city.rejected, city.dispatched, city.closed]  # the latest first
    assert city.dispute not in every
    assert ids(march(city, format, status="closed")) == [city.rejected, city.closed]
    assert ids(march(city, format, status="open")) == [city.dispatched]
    assert ids(march(city, format, status="closed,fixed")) == [city.closed]
    assert ids(march(city, format, status=["in_progress", "no_further_action"])) == [
        city.rejected,
        city.dispatched,
    ]
    assert ids(march(city, format, service_code="E0102,C0101")) == []
    later = {"start_date": "2026-03-09T10:25:00+08:00", "end_date": "2026-03-10T00:00:00+08:00"}
    assert ids(get(city.server, "requests", format, **later)) == [city.rejected, city.dispatched]


@pytest.mark.parametrize("format", FORMATS)
def test_one_date_alone_spans_90_days_from_it(city: City, format: str) -> None:
    assert city.closed in ids(get(city.server, "requests", format, start_date=MARCH["start_date"]))
    found = ids(get(city.server, "requests", format, end_date="2026-06-01T00:00:00Z"))
    assert city.closed in found
    assert ids(get(city.server, "requests", format, end_date="2026-03-01T00:00:00Z")) == []


@pytest.mark.parametrize("format", FORMATS)
def test_a_list_of_ids_overrides_every_other_filter(city: City, format: str) -> None:
    asked = f"{city.closed},{city.dispute},{city.dispatched}"
    found = get(city.server, "requests", format, service_request_id=asked, status="open")
    assert ids(found) == [city.closed, city.dispatched]  # in the order asked; no dispute


@pytest.mark.parametrize("format", FORMATS)
def test_pages_follow_each_other(city: City, format: str) -> None:
    pages = [ids(march(city, format, page=n, page_size=2)) for n in (1, 2, 3)]
    assert pages == [[city.rejected, city.dispatched], [city.closed], []]


@pytest.mark.parametrize("format", FORMATS)
def test_an_empty_parameter_counts_as_absent(city: City, format: str) -> None:
    blank = {"status": "", "service_code": "", "page": "", "page_size": "", "extensions": ""}
    assert ids(march(city, format, **blank)) == ids(march(city, format))


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
        ({"start_date": "2026-03-10T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"}, "before"),
        ({"start_date": "2026-03-01T00:00:00"}, "with its zone"),
        ({"start_date": "2026-03-01"}, "with its zone"),
        ({"status": "pending"}, "status 'pending' is not one of open, closed"),
        ({"page_size": "1001"}, "page_size must be a whole number from 1 to 1,000"),
        ({"page": "0"}, "page must be a whole number from 1"),
        ({"page": "20", "page_size": "1000"}, "page × page_size may reach 10,000"),
        ({"service_request_id": "12a"}, "service_request_id takes request numbers"),
        ({"extensions": "maybe"}, "extensions must be true or false"),
        ({"start_date": ["2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"]}, "given 2 times"),
    ],
)
def test_a_filter_the_spec_does_not_allow_is_a_400(
    city: City, format: str, params: dict[str, Any], says: str
) -> None:
    answer = get(city.server, "requests", format, **params)
    assert answer.status == 400, answer.body
    assert says in answer.body[0]["description"]


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("which", ["99999", "E0601 case", "abc"])
def test_one_request_that_is_not_there_or_not_public_is_404(
    city: City, format: str, which: str
) -> None:
    number = str(city.dispute) if which == "E0601 case" else which
    answer = get(city.server, f"requests/{number}", format)
    assert answer.status == 404 and answer.body[0]["code"] == "404"


@pytest.mark.parametrize("format", FORMATS)
def test_the_jurisdiction_is_the_districts_code(city: City, format: str) -> None:
    assert get(city.server, "services", format, jurisdiction_id=DISTRICT).status == 200
    wrong = get(city.server, "services", format, jurisdiction_id="sfgov.org")
    assert wrong.status == 404 and "jurisdiction_id sfgov.org" in wrong.body[0]["description"]


@pytest.mark.parametrize("format", FORMATS)
def test_an_unknown_resource_or_format_is_a_404_error_array(city: City, format: str) -> None:
    answer = get(city.server, "tokens/1", format)
    assert answer.status == 404 and answer.body[0]["code"] == "404"
    other = httpx.get(f"{base(city.server)}/requests.csv")
    assert other.status_code == 404 and other.headers["content-type"] == TYPES["xml"]


# Extensions --------------------------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
def test_extensions_add_the_extended_status_and_the_notes_of_each_public_step(
    city: City, format: str
) -> None:
    (request,) = get(city.server, f"requests/{city.rejected}", format, extensions="true").body
    assert request["status"] == "closed"
    assert request["extended_attributes"]["status"] == "no_further_action"
    assert [n["type"] for n in request["notes"]] == ["reported", "rejected"]
    assert (
        request["notes"][-1]["description"]
        == "不予立案：not found on site (核实未发现): 现场无垃圾"
    )
    assert request["status_notes"] == request["notes"][-1]["description"]


@pytest.mark.parametrize("format", FORMATS)
def test_updates_come_in_log_order_with_their_extended_status(city: City, format: str) -> None:
    found = get(city.server, "servicerequestupdates", format, after=0).body
    mine = [(u["service_request_id"], u["status"]) for u in found]
    assert mine[:3] == [(str(city.closed), "open"), (str(city.closed), "investigating"),
                        (str(city.closed), "in_progress")]  # fmt: skip
    assert (str(city.closed), "fixed") in mine and str(city.dispute) not in dict(mine)
    positions = [int(u["update_id"]) for u in found]
    assert positions == sorted(positions)
    later = get(city.server, "servicerequestupdates", format, after=positions[2]).body
    assert [int(u["update_id"]) for u in later] == positions[3 : len(later) + 3]
    for update in found:
        assert W3C.match(update["updated_datetime"]) and update["description"]


def test_updates_default_to_the_last_90_days(city: City) -> None:
    number = city.reported()
    wait_for(city.server, number)
    found = get(city.server, "servicerequestupdates", "json").body
    assert {u["service_request_id"] for u in found} >= {str(number)}
    assert str(city.closed) not in {u["service_request_id"] for u in found}
    window = {"start_date": "2026-03-09T11:05:00+08:00", "end_date": "2026-03-09T11:15:00+08:00"}
    (closing,) = get(city.server, "servicerequestupdates", "json", **window).body
    assert (closing["service_request_id"], closing["status"]) == (str(city.closed), "fixed")


# Privacy ------------------------------------------------------------------------------------


def test_no_reporter_contact_data_reaches_any_public_output(city: City) -> None:
    personal = {
        "first_name": "四",
        "last_name": "李",
        "phone": "13912345678",
        "email": "li.si@example.com",
        "device_id": "device-4711",
        "account_id": "account-0815",
        "description": "垃圾太多了，李四 13912345678 li.si@example.com",
        "address_string": "多福巷社区 李四家门口",
    }
    number = city.reported(**personal)
    wait_for(city.server, number)
    seen = [
        get(city.server, resource, format, **params).raw.decode()
        for format in FORMATS
        for resource, params in [
            ("requests", {"extensions": "true"}),
            (f"requests/{number}", {"extensions": "true"}),
            ("servicerequestupdates", {}),
        ]
    ]
    for shown in seen:
        assert str(number) in shown
        for value in ("李四", "13912345678", "example.com", "device-4711", "account-0815"):
            assert value not in shown, value
    assert city.app.case(number).reporter_phone == "13912345678"  # kept for the operator


# The round trip ---------------------------------------------------------------------------


def test_a_posted_request_goes_round_the_loop_in_graphql_and_reads_closed_with_its_notes(
    city: City,
) -> None:
    number = city.reported(description="多福巷北口垃圾堆了三天")
    wait_for(city.server, number)
    worker, operator, department = (city.tokens[c] for c in ("W001", "OP01", "D002"))
    board = "query ($n: Int!) { case(number: $n) { channel stage description } }"
    assert query(city.server, board, n=number)["case"] == {
        "channel": "open311",
        "stage": "reported",
        "description": "多福巷北口垃圾堆了三天",
    }
    for token, name, more, status in [
        (worker, "confirmReport", ', found: true, note: "现场确有垃圾"', "investigating"),
        (operator, "fileCase", "", "investigating"),
        (operator, "dispatchCase", "", "in_progress"),
        (department, "acceptCase", "", "in_progress"),
        (department, "handleCase", ', note: "已清运"', "in_progress"),
        (worker, "verifyCase", ', passed: true, note: "现场已干净"', "fixed"),
        (operator, "closeCase", "", "fixed"),
    ]:
        answer = step(city.server, token, name, number, more)
        assert answer["__typename"] == "Recorded", (name, answer)
        wait_for(city.server, number, status)
    for format in FORMATS:
        (request,) = get(city.server, f"requests/{number}", format, extensions="true").body
        assert (request["status"], request["extended_attributes"]["status"]) == ("closed", "fixed")
        assert request["agency_responsible"] == "环境卫生管理局"
        assert [n["type"] for n in request["notes"]] == [
            "reported",
            "confirmed",
            "filed",
            "dispatched",
            "accepted",
            "handled",
            "verified",
            "closed",
        ]
        texts = [n["description"] for n in request["notes"]]
        assert texts[0] == "通过Open311上报" and "已清运" in texts[5] and "现场已干净" in texts[6]
        assert request["updated_datetime"] == request["notes"][-1]["datetime"]
    closed_at = datetime.fromisoformat(request["updated_datetime"])
    assert datetime.now(UTC) - closed_at < timedelta(minutes=5)
    english = get(city.server, f"requests/{number}", "json", extensions="true", language="en")
    assert english.body[0]["notes"][3]["description"].startswith(
        "Dispatched to the Environmental Sanitation Bureau, to be handled by"
    )
