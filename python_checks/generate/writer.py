"""Streams rows into one Parquet file per table and load batch, and wipes output folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import LOADED_AT, LOADED_AT_TYPE, TABLES, arrow_schema, tstz_columns

FLUSH_ROWS = 250_000
OFFSET_ZONES = ("UTC", "America/New_York", "Asia/Kolkata")
OWNER_MARKER = ".python_checks_generate"


class UnsafeOutputError(RuntimeError):
    """Refusal to wipe a folder the generator did not write."""


def batch_zones(batches: int, mixed_offsets: bool) -> list[str]:
    """Zone of the tstz columns in each batch file: UTC unless offsets are mixed."""
    if not mixed_offsets:
        return ["UTC"] * batches
    if batches == 1:
        return [OFFSET_ZONES[1]]
    return [OFFSET_ZONES[b % len(OFFSET_ZONES)] for b in range(batches)]


def reset_folder(path: Path) -> None:
    """Empty `path` for a new run. Only a folder that is empty or carries this generator's
    marker (left there by an earlier run, finished or not) is wiped."""
    if path.exists():
        if not path.is_dir():
            raise UnsafeOutputError(f"{path} exists and is not a folder")
        if any(path.iterdir()) and not (path / OWNER_MARKER).exists():
            raise UnsafeOutputError(
                f"{path} is not empty and has no {OWNER_MARKER}: not wiping a folder this "
                "generator did not write"
            )
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / OWNER_MARKER).write_text("written by python -m python_checks.generate\n")


class BatchWriter:
    """One open ParquetWriter per (table, batch); small writes are buffered into row groups."""

    def __init__(self, out: Path, batches: int, zones: list[str]) -> None:
        self.out = out
        self.batches = batches
        self.zones = zones
        self.rows_written: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.non_utc_rows: dict[str, int] = dict.fromkeys(TABLES, 0)
        self._writers: dict[tuple[str, int], pq.ParquetWriter] = {}
        self._buffers: dict[tuple[str, int], list[pa.Table]] = {}
        self._buffered: dict[tuple[str, int], int] = {}
        self._schemas = {
            (t, b): arrow_schema(t, zones[b], with_loaded_at=True)
            for t in TABLES
            for b in range(batches)
        }
        for table in TABLES:
            (out / table).mkdir(parents=True, exist_ok=True)

    def path(self, table: str, batch: int) -> Path:
        return self.out / table / f"batch_{batch + 1:04d}.parquet"

    def write(
        self, table: str, data: pa.Table, batch: np.ndarray, loaded_at_us: np.ndarray
    ) -> None:
        if data.num_rows == 0:
            return
        data = data.append_column(
            pa.field(LOADED_AT, LOADED_AT_TYPE), pa.array(loaded_at_us, LOADED_AT_TYPE)
        )
        order = np.argsort(batch, kind="stable")
        bounds = np.searchsorted(batch[order], np.arange(self.batches + 1))
        has_tstz = bool(tstz_columns(table))
        for b in range(self.batches):
            lo, hi = bounds[b], bounds[b + 1]
            if hi <= lo:
                continue
            part = data.take(pa.array(order[lo:hi])).cast(self._schemas[(table, b)])
            key = (table, b)
            self._buffers.setdefault(key, []).append(part)
            self._buffered[key] = self._buffered.get(key, 0) + part.num_rows
            self.rows_written[table] += part.num_rows
            if has_tstz and self.zones[b] != "UTC":
                self.non_utc_rows[table] += part.num_rows
            if self._buffered[key] >= FLUSH_ROWS:
                self._flush(key)

    def _flush(self, key: tuple[str, int]) -> None:
        parts = self._buffers.pop(key, [])
        self._buffered[key] = 0
        if not parts:
            return
        writer = self._writers.get(key)
        if writer is None:
            writer = pq.ParquetWriter(
                self.path(*key), self._schemas[key], compression="zstd", compression_level=1
            )
            self._writers[key] = writer
        writer.write_table(pa.concat_tables(parts), row_group_size=FLUSH_ROWS * 2)

    def close(self) -> None:
        for key in list(self._buffers):
            self._flush(key)
        for writer in self._writers.values():
            writer.close()
        # Every batch has a file, even when a small run has no rows for it.
        for table in TABLES:
            for b in range(self.batches):
                if (table, b) not in self._writers:
                    schema = self._schemas[(table, b)]
                    pq.write_table(schema.empty_table(), self.path(table, b))


def write_json(path: Path, doc: object) -> None:
    path.write_text(json.dumps(doc, indent=2, sort_keys=False) + "\n")
