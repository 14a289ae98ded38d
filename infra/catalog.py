"""Loading the case catalog from its TOML file, so admins change categories without a release."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

from domain.catalog import Catalog, CatalogInvalid


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and validate the catalog; the packaged `infra/data/catalog.toml` by default.

    Any problem is reported as `CatalogInvalid` naming the file, so a bad edit is traced
    to the file that was actually read.
    """
    source = path if path is not None else files("infra") / "data" / "catalog.toml"
    try:
        return Catalog.from_records(tomllib.loads(source.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, CatalogInvalid) as error:
        raise CatalogInvalid(f"{source}: {error}") from error
