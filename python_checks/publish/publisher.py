"""Publish a finished build: write the served file and exports, then swap them in atomically."""

from __future__ import annotations

import fcntl
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from python_checks.publish.atomic import fsync_path, point_symlink, remove, replace, write_json
from python_checks.publish.crm_export import CRM_EXPORT_DIR, CRM_EXPORT_NAME
from python_checks.publish.errors import PublishError
from python_checks.publish.layout import (
    MANIFEST_NAME,
    TEMP_PREFIX,
    ServeLayout,
    new_build_id,
)
from python_checks.publish.served import SERVE_STORAGE_VERSION
from python_checks.publish.snapshot import check_build, wal_path, write_served

# Parquet build folders kept: the current one and the one before it, so a reader that
# resolved `current` just before a publish can still finish reading.
KEEP_BUILDS = 2
BUILD_ID_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
READ_ONLY_MODE = 0o444

__all__ = ["KEEP_BUILDS", "PublishError", "Published", "publish"]


@dataclass(frozen=True)
class Published:
    """One publish: what it served and where."""

    build_id: str
    as_of: str | None
    published_at: str
    row_counts: dict[str, int]
    config_tables: tuple[str, ...]
    crm_export_rows: int
    source: Path
    layout: ServeLayout

    def crm_export(self, suffix: str, *, current: bool = False) -> Path:
        """This build's CRM export (``csv`` or ``parquet``), or its path behind ``current``."""
        folder = self.layout.current if current else self.layout.build_dir(self.build_id)
        return folder / CRM_EXPORT_DIR / f"{CRM_EXPORT_NAME}.{suffix}"

    def manifest(self) -> dict[str, object]:
        return {
            "build_id": self.build_id,
            "as_of": self.as_of,
            "published_at": self.published_at,
            "row_counts": self.row_counts,
            "config_tables": list(self.config_tables),
            "database": self.layout.database.name,
            "storage_version": SERVE_STORAGE_VERSION,
            "crm_export": {
                "csv": str(self.crm_export("csv").relative_to(self.layout.root)),
                "parquet": str(self.crm_export("parquet").relative_to(self.layout.root)),
                "rows": self.crm_export_rows,
            },
            "parquet_dir": str(self.layout.build_dir(self.build_id).relative_to(self.layout.root)),
            "source_database": str(self.source.resolve()),
        }


@contextmanager
def _exclusive(layout: ServeLayout) -> Iterator[None]:
    """One publish at a time per serve folder."""
    with layout.lock.open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise PublishError(f"another publish into {layout.root} is running") from exc
        yield


def _remove_leftovers(layout: ServeLayout) -> None:
    """Temp files of a publish that died (we hold the lock, so none is in use)."""
    for folder in (layout.root, layout.parquet_root):
        for entry in folder.iterdir():
            if entry.name.startswith(TEMP_PREFIX):
                remove(entry)


def _prune(layout: ServeLayout, current: str, previous: str | None) -> None:
    """Keep the current build folder and the newest others up to KEEP_BUILDS in all."""
    others = sorted(
        (
            entry.name
            for entry in layout.parquet_root.iterdir()
            if entry.is_dir()
            and not entry.is_symlink()
            and BUILD_ID_PATTERN.match(entry.name)
            and entry.name != current
        ),
        key=lambda name: (name == previous, name),
        reverse=True,
    )
    for name in others[KEEP_BUILDS - 1 :]:
        remove(layout.build_dir(name))


def publish(build_db: Path, serve_dir: Path) -> Published:
    """Serve ``build_db`` from ``serve_dir``; readers see the old build or the new, never a mix.

    Order: write a private temp database (marts, config, build info; read from the build under
    its shared lock) and export its marts and the CRM export into a temp Parquet folder (nothing
    visible yet), then rename the Parquet folder into place, rename the database over
    ``health.duckdb``, repoint ``parquet/current`` and write ``manifest.json``. Killed at any
    point, what readers see stays a complete build.
    """
    tables = check_build(build_db)
    layout = ServeLayout(serve_dir)
    layout.parquet_root.mkdir(parents=True, exist_ok=True)
    with _exclusive(layout):
        _remove_leftovers(layout)
        build_id = new_build_id()
        published_at = datetime.now(UTC).isoformat(timespec="seconds")
        temp_db = layout.temp(layout.root, f"{build_id}.duckdb")
        temp_parquet = layout.temp(layout.parquet_root, build_id)
        try:
            snapshot = write_served(
                build_db,
                temp_db,
                build_id=build_id,
                published_at=published_at,
                parquet_dir=temp_parquet,
            )
            if snapshot.tables != tables:
                raise PublishError(f"{build_db} changed while it was being read; publish again")
            # Served files are read-only on disk too: a reader that forgets read_only=True
            # gets an error instead of a write lock (and a stray WAL) on the served file.
            for served in (temp_db, *temp_parquet.rglob("*")):
                if served.is_file():
                    served.chmod(READ_ONLY_MODE)
            fsync_path(temp_db)
            previous = layout.current_build_id()
            replace(temp_parquet, layout.build_dir(build_id))
            replace(temp_db, layout.database)
            point_symlink(layout.current, layout.temp(layout.parquet_root, "current"), build_id)
            published = Published(
                build_id=build_id,
                as_of=snapshot.as_of,
                published_at=published_at,
                row_counts=snapshot.row_counts,
                config_tables=snapshot.config_tables,
                crm_export_rows=snapshot.crm_export_rows,
                source=build_db,
                layout=layout,
            )
            write_json(
                layout.manifest, layout.temp(layout.root, MANIFEST_NAME), published.manifest()
            )
        finally:
            for leftover in (temp_db, wal_path(temp_db), temp_parquet):
                remove(leftover)
        _prune(layout, build_id, previous)
    return published
