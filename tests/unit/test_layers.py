"""The layers keep their promises: domain/ is pure (no I/O, no web framework, no
database driver), and nothing connects to anything at import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_IN_DOMAIN = {
    "__future__",
    "abc",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "hashlib",
    "inspect",
    "itertools",
    "math",
    "re",
    "threading",  # a lock of the application, which several threads call; none starts here
    "typing",
    "uuid",
    "eventsourcing",  # aggregates, events and the application: no I/O of its own
    "shapely",  # pure geometry for boundaries and point location
    "domain",
}
"""Everything else — sqlite3, psycopg, asyncpg, redis, starlette, strawberry, socket,
os, pathlib, logging, time — belongs outside domain/."""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "module", sorted((ROOT / "domain").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_domain_imports_nothing_that_does_io(module: Path) -> None:
    assert _imports(module) <= ALLOWED_IN_DOMAIN, _imports(module) - ALLOWED_IN_DOMAIN


def test_the_domain_uses_only_the_librarys_io_free_parts() -> None:
    used = set()
    for module in (ROOT / "domain").rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        used |= {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("eventsourcing")
        }
    assert used <= {
        "eventsourcing.domain",
        "eventsourcing.application",
        "eventsourcing.persistence",
        "eventsourcing.utils",
    }, used


def test_importing_every_module_connects_to_nothing(tmp_path: Path) -> None:
    """Import all of domain/ and infra/ with settings that would fail to connect: no
    thread starts and no data directory appears."""
    script = f"""
import importlib, pathlib, threading
root = pathlib.Path({str(ROOT)!r})
for package in ("domain", "infra"):
    for module in sorted((root / package).rglob("*.py")):
        name = ".".join(module.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        importlib.import_module(name)
assert threading.active_count() == 1, threading.enumerate()
"""
    env = {
        "PATH": "/usr/bin:/bin",
        "GRIDCENTER_DATA_DIR": str(tmp_path / "data"),
        "GRIDCENTER_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, timeout=120)
    assert not (tmp_path / "data").exists()


IO = {
    "sqlite3",
    "psycopg",
    "psycopg_pool",
    "asyncpg",
    "redis",
    "starlette",
    "strawberry",
    "socket",
    "os",
    "pathlib",
    "subprocess",
    "infra",
    "api",
}
FOLDS = sorted(
    m for m in (ROOT / "projections").rglob("*.py") if "store" not in m.relative_to(ROOT).parts
)


@pytest.mark.parametrize("module", FOLDS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_views_are_pure_folds_without_io(module: Path) -> None:
    """Only projections/store/ talks to databases; views and the runner reach them
    through it, so one fold runs on memory, SQLite and PostgreSQL alike."""
    assert not _imports(module) & IO, _imports(module) & IO
