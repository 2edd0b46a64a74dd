"""Rows of one table produced for one chunk, before dirt and load batches are applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .schema import CONTRACT, arrow_schema

NULL_US = np.iinfo(np.int64).min  # marks a null timestamp in int64 microsecond arrays


@dataclass
class Rows:
    """Final-state rows of one table plus what the loader needs to know about them.

    `batch` is the load batch of each row (the time slice of its last change) and `is_test`
    marks rows that belong to a test account. Mutable tables may also carry `earlier`: the
    state an earlier batch would have seen, for `earlier_of` rows, loaded in `earlier_batch`.
    """

    table: str
    data: pa.Table
    batch: np.ndarray
    is_test: np.ndarray
    earlier: pa.Table | None = None
    earlier_of: np.ndarray | None = None
    earlier_batch: np.ndarray | None = None

    def __len__(self) -> int:
        return self.data.num_rows


def ts_array(us: np.ndarray, tz: str | None = None) -> pa.Array:
    """int64 microseconds (NULL_US = null) -> Arrow timestamp array."""
    us = np.asarray(us, np.int64)
    mask = us == NULL_US
    return pa.array(np.where(mask, 0, us), pa.timestamp("us", tz=tz), mask=mask)


def build_table(table: str, columns: Mapping[str, object]) -> pa.Table:
    """An Arrow table in the contract schema (tstz in UTC) from arrays or lists.

    Timestamp and date columns may be given as int64 microseconds / int32 epoch days with
    NULL_US marking nulls; strings may contain None.
    """
    schema = arrow_schema(table)
    arrays = []
    for column, kind in CONTRACT[table]:
        values = columns[column]
        field_type = schema.field(column).type
        if isinstance(values, pa.Array | pa.ChunkedArray):
            arrays.append(values.cast(field_type))
        elif kind in ("ts", "tstz"):
            arrays.append(ts_array(np.asarray(values), "UTC" if kind == "tstz" else None))
        elif kind == "date":
            arrays.append(pa.array(np.asarray(values, np.int32), pa.date32()))
        else:
            if isinstance(values, np.ndarray) and values.dtype == object:
                values = values.tolist()
            arrays.append(pa.array(values, field_type))
    return pa.Table.from_arrays(arrays, schema=schema)


def make_rows(
    table: str, columns: Mapping[str, object], batch: np.ndarray, is_test: np.ndarray
) -> Rows:
    return Rows(
        table=table,
        data=build_table(table, columns),
        batch=np.asarray(batch, np.int16),
        is_test=np.asarray(is_test, bool),
    )
