"""Put one defect into a copy of a raw data set, the way a connector or a person might break it.

Each function changes one thing in a raw set written by ``raw_fixture.write_minimal_raw_set``
(a table folder ``<root>/<source>/<table>/`` or ``_contract.json``) and leaves everything else as
it was. Rows are added or changed with DuckDB SQL, so column types stay what the file already had
unless the defect is a type change.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import duckdb

FIRST_BATCH = "batch_0001.parquet"


def table_dir(root: Path, source: str, table: str) -> Path:
    return root / source / table


def _run(sql: str) -> list[tuple]:
    """Run one statement on a private connection (tests prepare raw sets from several threads)."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _rewrite(root: Path, source: str, table: str, select_sql: str) -> Path:
    """Replace the first batch of a table by ``select_sql``, which reads it as ``batch``."""
    target = table_dir(root, source, table) / FIRST_BATCH
    rewritten = target.with_suffix(".tmp")
    _run(
        f"copy (with batch as (select * from read_parquet('{target}')) {select_sql})"
        f" to '{rewritten}' (format parquet)"
    )
    rewritten.replace(target)
    return target


def rewrite_every_batch(root: Path, source: str, table: str, select_sql: str) -> int:
    """Replace every batch file of a table by ``select_sql``, which reads that file as ``batch``
    (a gap in the whole landed table, e.g. a connector that never fills a column). Returns the
    number of files rewritten."""
    files = sorted(table_dir(root, source, table).glob("*.parquet"))
    for file in files:
        rewritten = file.with_suffix(".tmp")
        _run(
            f"copy (with batch as (select * from read_parquet('{file}')) {select_sql})"
            f" to '{rewritten}' (format parquet)"
        )
        rewritten.replace(file)
    return len(files)


def _column_types(root: Path, source: str, table: str) -> dict[str, str]:
    target = table_dir(root, source, table) / FIRST_BATCH
    return {row[0]: row[1] for row in _run(f"describe select * from read_parquet('{target}')")}


def remove_table(root: Path, source: str, table: str) -> None:
    """The whole table folder is missing."""
    shutil.rmtree(table_dir(root, source, table))


def empty_table_folder(root: Path, source: str, table: str) -> None:
    """The table folder exists but holds no Parquet file."""
    for file in table_dir(root, source, table).glob("*.parquet"):
        file.unlink()


def drop_column(root: Path, source: str, table: str, column: str) -> None:
    _rewrite(root, source, table, f'select * exclude ("{column}") from batch')


def rename_column(root: Path, source: str, table: str, column: str, new_name: str) -> None:
    _rewrite(root, source, table, f'select * rename ("{column}" as "{new_name}") from batch')


def add_column(root: Path, source: str, table: str, column: str, value_sql: str) -> None:
    _rewrite(root, source, table, f'select *, {value_sql} as "{column}" from batch')


def replace_column(root: Path, source: str, table: str, column: str, value_sql: str) -> None:
    """Every row's ``column`` becomes ``value_sql``, with whatever type that expression has."""
    _rewrite(root, source, table, f'select * replace ({value_sql} as "{column}") from batch')


def append_row(root: Path, source: str, table: str, changes: dict[str, str]) -> None:
    """Add a copy of the table's first row with ``changes`` (column -> SQL expression) applied.

    Each expression is cast to the column's existing type, so only the values change.
    """
    types = _column_types(root, source, table)
    unknown = set(changes) - set(types)
    if unknown:
        raise KeyError(f"{source}.{table} has no column(s) {sorted(unknown)}")
    replaced = ", ".join(
        f'cast({value_sql} as {types[column]}) as "{column}"'
        for column, value_sql in changes.items()
    )
    _rewrite(
        root,
        source,
        table,
        f"select * from batch union all (select * replace ({replaced}) from batch limit 1)",
    )


def truncate_table(root: Path, source: str, table: str) -> None:
    """A valid Parquet file with the table's schema and no rows."""
    _rewrite(root, source, table, "select * from batch limit 0")


def resync_batch(root: Path, source: str, table: str, name: str = "batch_0002.parquet") -> Path:
    """The first batch landed again as a later batch: same rows, a later ``_loaded_at``."""
    target = table_dir(root, source, table) / name
    first = table_dir(root, source, table) / FIRST_BATCH
    _run(
        f"copy (select * replace (_loaded_at + interval 1 day as _loaded_at)"
        f" from read_parquet('{first}')) to '{target}' (format parquet)"
    )
    return target


def write_corrupt_file(
    root: Path, source: str, table: str, name: str = "batch_0002.parquet", size: int = 512
) -> Path:
    """A file named like a batch that holds random bytes (a torn or mislabelled download)."""
    target = table_dir(root, source, table) / name
    target.write_bytes(random.Random(size).randbytes(size))
    return target


def write_empty_file(root: Path, source: str, table: str, name: str = "batch_0002.parquet") -> Path:
    """A 0-byte file named like a batch (an interrupted upload)."""
    target = table_dir(root, source, table) / name
    target.write_bytes(b"")
    return target


def set_contract_version(root: Path, version: int | None) -> None:
    """Write ``_contract.json`` with ``version``, or remove it when ``version`` is None."""
    contract = root / "_contract.json"
    if version is None:
        contract.unlink(missing_ok=True)
    else:
        contract.write_text(json.dumps({"version": version}))


def write_contract_text(root: Path, text: str) -> None:
    """Write ``_contract.json`` as given, valid JSON or not (a hand-edited or truncated file)."""
    (root / "_contract.json").write_text(text)
