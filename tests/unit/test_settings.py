"""Settings come from the environment, optionally mirrored by a config file; a bad or
unknown setting stops with a message naming it. Logs come as text or JSON lines."""

from __future__ import annotations

import logging
from pathlib import Path

import orjson
import pytest

from infra.logs import JsonLines
from infra.settings import Settings, SettingsInvalid


def test_the_embedded_default_is_a_sqlite_file_in_the_data_directory() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///data/gridcenter.db"
    assert (settings.port, settings.redis_url, settings.district) == (8000, None, "110101")


def test_environment_variables_set_typed_values() -> None:
    settings = Settings.from_env(
        {
            "GRIDCENTER_DATA_DIR": "/srv/gc",
            "GRIDCENTER_PORT": "9000",
            "GRIDCENTER_WARN_SHARE": "0.75",
            "GRIDCENTER_REDIS_URL": "redis://127.0.0.1:6379/0",
            "UNRELATED": "ignored",
        }
    )
    assert settings.data_dir == Path("/srv/gc")
    assert settings.database_url == "sqlite:////srv/gc/gridcenter.db"
    assert (settings.port, settings.warn_share) == (9000, 0.75)
    assert settings.redis_url == "redis://127.0.0.1:6379/0"


def test_a_config_file_mirrors_the_environment_which_wins(tmp_path: Path) -> None:
    config = tmp_path / "gridcenter.toml"
    config.write_text('database_url = "postgresql://gc@db/gc"\nport = 8100\n', encoding="utf-8")
    settings = Settings.from_env({"GRIDCENTER_CONFIG": str(config), "GRIDCENTER_PORT": "8200"})
    assert settings.database_url == "postgresql://gc@db/gc"
    assert settings.port == 8200


@pytest.mark.parametrize(("value", "meant"), [("true", True), ("1", True), ("No", False)])
def test_a_flag_reads_the_usual_spellings(value: str, meant: bool) -> None:
    assert Settings.from_env({"GRIDCENTER_DEVELOPMENT": value}).development is meant


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"GRIDCENTER_PROT": "8000"}, "unknown setting GRIDCENTER_PROT"),
        ({"GRIDCENTER_PORT": "eighty"}, "GRIDCENTER_PORT='eighty' is not a valid int"),
        ({"GRIDCENTER_PORT": "70000"}, "GRIDCENTER_PORT must be a TCP port"),
        ({"GRIDCENTER_WARN_SHARE": "1.5"}, "GRIDCENTER_WARN_SHARE must lie between 0 and 1"),
        ({"GRIDCENTER_DEVELOPMENT": "maybe"}, r"'maybe' is not a valid flag \(true or false\)"),
        ({"GRIDCENTER_CONFIG": "/nonexistent/gridcenter.toml"}, "config file /nonexistent"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsInvalid, match=message):
        Settings.from_env(environ)


@pytest.mark.parametrize(("name", "value"), [("VIEWS", "sometimes"), ("LOG_FORMAT", "xml")])
def test_a_choice_outside_its_values_names_them(name: str, value: str) -> None:
    with pytest.raises(SettingsInvalid, match=f"GRIDCENTER_{name} must be"):
        Settings.from_env({f"GRIDCENTER_{name}": value})


def test_json_logs_are_one_object_a_line_with_their_fields() -> None:
    record = logging.LogRecord("gridcenter.workers", logging.INFO, "", 0, "took %s", ("x",), None)
    record.views = ["case_board"]
    line = orjson.loads(JsonLines().format(record))
    assert line["message"] == "took x" and line["views"] == ["case_board"]
    assert line["level"] == "info" and line["logger"] == "gridcenter.workers" and line["at"]
