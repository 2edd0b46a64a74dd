"""Where a publish puts things in the serve folder, and how builds are named."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DATABASE_NAME = "health.duckdb"
MANIFEST_NAME = "manifest.json"
PARQUET_DIR = "parquet"
CURRENT_LINK = "current"
LOCK_NAME = ".publish.lock"
# Files and folders a publish writes before it swaps them in start with this prefix; one left
# behind by a publish that died is removed by the next publish.
TEMP_PREFIX = ".tmp-"
# Schema and table added to the served copy: which build this file is, readable in the same
# snapshot as the marts.
INFO_SCHEMA = "publish"
INFO_TABLE = "build_info"


def new_build_id(now: datetime | None = None) -> str:
    """UTC timestamp plus a short random suffix, e.g. ``20261031T060000Z-3f9a1c``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class ServeLayout:
    """The served files under one serve folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST_NAME

    @property
    def parquet_root(self) -> Path:
        return self.root / PARQUET_DIR

    @property
    def current(self) -> Path:
        return self.parquet_root / CURRENT_LINK

    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    def build_dir(self, build_id: str) -> Path:
        return self.parquet_root / build_id

    def temp(self, folder: Path, name: str) -> Path:
        return folder / f"{TEMP_PREFIX}{name}"

    def current_build_id(self) -> str | None:
        """The build folder ``parquet/current`` points at, if any."""
        if not self.current.is_symlink():
            return None
        return Path(self.current.readlink()).name
