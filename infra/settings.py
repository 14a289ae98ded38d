"""Settings from the environment, optionally mirrored by a TOML config file.

Every setting is an environment variable `GRIDCENTER_<NAME>`; a config file named by
`GRIDCENTER_CONFIG` may hold the same names in lower case (`database_url = "…"`).
The environment wins over the file, so a deployment can override one value at a time.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

PREFIX = "GRIDCENTER_"


class SettingsInvalid(ValueError):
    """A setting has a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str = ""  # default: a SQLite file in data_dir
    redis_url: str | None = None  # unset: the in-process bus
    host: str = "127.0.0.1"
    port: int = 8000
    district: str = "110101"  # the district this deployment governs (Dongcheng)
    zone: str = "Asia/Shanghai"
    work_hours: str = "09:00-12:00,13:30-17:30"
    calendar_file: Path | None = None  # an admin's holiday schedule for years no release covers
    catalog_file: Path | None = None  # default: the packaged catalog
    warn_share: float = 0.8  # a deadline warning once this share of the time allowed is used
    development: bool = False  # GraphiQL at /graphql; the demo turns it on
    views: str = "serve"  # serve: API nodes fold the views too (by leases); workers: they don't
    log_format: str = "text"  # text for a terminal, json for a log collector

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{self.data_dir / 'gridcenter.db'}")
        if not 0 < self.warn_share < 1:
            raise SettingsInvalid(
                f"{PREFIX}WARN_SHARE must lie between 0 and 1, not {self.warn_share}"
            )
        if not 0 < self.port < 65536:
            raise SettingsInvalid(f"{PREFIX}PORT must be a TCP port, not {self.port}")
        for name, allowed in (("views", ("serve", "workers")), ("log_format", ("text", "json"))):
            if getattr(self, name) not in allowed:
                raise SettingsInvalid(
                    f"{PREFIX}{name.upper()} must be {' or '.join(allowed)}, "
                    f"not {getattr(self, name)!r}"
                )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, str] = {}
        config = environ.get(f"{PREFIX}CONFIG")
        if config:
            values.update(_read_config(Path(config)))
        values.update(
            {
                key[len(PREFIX) :].lower(): value
                for key, value in environ.items()
                if key.startswith(PREFIX) and key != f"{PREFIX}CONFIG" and value != ""
            }
        )
        return cls(**_typed(values))


def _read_config(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SettingsInvalid(f"config file {path}: {error}") from error
    return {str(key): str(value) for key, value in data.items()}


def _flag(value: str) -> bool:
    flags = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
    if value.lower() not in flags:
        raise ValueError(value)
    return flags[value.lower()]


_PARSERS: dict[str, Any] = {
    "development": _flag,
    "port": int,
    "warn_share": float,
    "data_dir": Path,
    "calendar_file": Path,
    "catalog_file": Path,
}


_KINDS = {
    "port": "int",
    "warn_share": "float",
    "development": "flag (true or false)",
}


def _typed(values: Mapping[str, str]) -> dict[str, Any]:
    known = {f.name for f in fields(Settings)}
    typed: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            raise SettingsInvalid(
                f"unknown setting {PREFIX}{name.upper()}; known: "
                + ", ".join(PREFIX + n.upper() for n in sorted(known))
            )
        parse = _PARSERS.get(name, str)
        try:
            typed[name] = parse(value)
        except ValueError:
            raise SettingsInvalid(
                f"{PREFIX}{name.upper()}={value!r} is not a valid {_KINDS.get(name, 'value')}"
            ) from None
    return typed
