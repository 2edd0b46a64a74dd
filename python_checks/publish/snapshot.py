"""The DuckDB side of a publish: check the build database, write the served file from it.

The served file is a new database, not a copy of the build's: it holds the marts, the seeds that
explain a score (``served.SERVED_CONFIG``) and ``publish.build_info``, nothing from staging or
intermediate, in a storage version DuckDB 1.x clients read (``served.SERVE_STORAGE_VERSION``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from python_checks.publish.atomic import fsync_path
from python_checks.publish.crm_export import CRM_EXPORT_DIR, write_crm_export
from python_checks.publish.errors import PublishError
from python_checks.publish.layout import INFO_SCHEMA, INFO_TABLE
from python_checks.publish.served import (
    CONFIG_SCHEMA,
    MARTS_SCHEMA,
    SERVE_STORAGE_VERSION,
    SERVED_CONFIG,
)
from python_checks.publish.sql import quote_identifier, quote_literal

AS_OF_TABLE = ("intermediate", "int_as_of_date")
# Catalog names of the two databases inside the publishing connection.
BUILD_CATALOG = "build_db"
SERVED_CATALOG = "served_db"

__all__ = [
    "MARTS_SCHEMA",
    "Snapshot",
    "check_build",
    "marts_tables",
    "quote_identifier",
    "wal_path",
    "write_served",
]


@dataclass(frozen=True)
class Snapshot:
    """What the served file holds."""

    tables: tuple[str, ...]
    row_counts: dict[str, int]
    as_of: str | None
    config_tables: tuple[str, ...]
    crm_export_rows: int


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def marts_tables(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> tuple[str, ...]:
    """Tables of the marts schema in ``catalog`` (default: the connection's database)."""
    rows = con.execute(
        "select table_name from duckdb_tables()"
        " where database_name = coalesce(?, current_database()) and schema_name = ?"
        " order by table_name",
        [catalog, MARTS_SCHEMA],
    ).fetchall()
    return tuple(row[0] for row in rows)


def _has_schema(con: duckdb.DuckDBPyConnection, schema: str) -> bool:
    row = con.execute(
        "select count(*) from duckdb_schemas()"
        " where database_name = current_database() and schema_name = ?",
        [schema],
    ).fetchone()
    return bool(row and row[0])


def _unclean_shutdown(database: Path) -> PublishError:
    return PublishError(
        f"{database} has a write-ahead log ({wal_path(database).name}): the last process that "
        "wrote it did not finish cleanly (a killed or running dbt build?). Run the build again "
        "to completion, then publish."
    )


def _busy(database: Path, exc: duckdb.Error) -> PublishError:
    reason = str(exc).splitlines()[0]
    return PublishError(
        f"cannot open {database} read-only ({reason}); is a dbt build still writing it?"
    )


def check_build(database: Path) -> tuple[str, ...]:
    """The build database's mart tables; refuses a missing, busy, unclean or mart-less one."""
    if not database.is_file():
        raise PublishError(f"no build database at {database}: run `make build` first")
    if wal_path(database).exists():
        raise _unclean_shutdown(database)
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:
        raise _busy(database, exc) from exc
    try:
        if not _has_schema(con, MARTS_SCHEMA):
            raise PublishError(
                f"{database} has no `{MARTS_SCHEMA}` schema: the build did not reach the marts"
            )
        tables = marts_tables(con)
    finally:
        con.close()
    if not tables:
        raise PublishError(f"the `{MARTS_SCHEMA}` schema of {database} has no tables")
    return tables


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from duckdb_columns()"
        " where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [BUILD_CATALOG, schema, table],
    ).fetchall()
    return [row[0] for row in rows]


def _config_selects(con: duckdb.DuckDBPyConnection, database: Path) -> dict[str, str]:
    """The served select list of each config seed; refuses a build without one of them."""
    selects: dict[str, str] = {}
    for table, left_out in SERVED_CONFIG.items():
        columns = _columns(con, CONFIG_SCHEMA, table)
        if not columns:
            raise PublishError(
                f"{database} has no table {CONFIG_SCHEMA}.{table} (a seed the served file"
                " explains scores with): run `dbt build` to completion"
            )
        missing = [column for column in left_out if column not in columns]
        if missing:
            raise PublishError(
                f"{database}: {CONFIG_SCHEMA}.{table} has no column {', '.join(missing)}"
                " (served.SERVED_CONFIG leaves it out of the served copy)"
            )
        selects[table] = ", ".join(
            quote_identifier(column) for column in columns if column not in left_out
        )
    return selects


def _as_of(con: duckdb.DuckDBPyConnection) -> str | None:
    schema, table = AS_OF_TABLE
    if not _columns(con, schema, table):
        return None
    value = con.execute(
        f"select max(as_of_on) from {BUILD_CATALOG}.{quote_identifier(schema)}"
        f".{quote_identifier(table)}"
    ).fetchone()
    return value[0].isoformat() if value and value[0] is not None else None


def _attach_build(con: duckdb.DuckDBPyConnection, database: Path) -> None:
    """Attach the build read-only: DuckDB's shared file lock keeps a writer out until we end."""
    try:
        con.execute(f"attach {quote_literal(str(database))} as {BUILD_CATALOG} (read_only)")
    except duckdb.Error as exc:
        raise _busy(database, exc) from exc
    # Checked again under the lock: a build may have been killed since check_build.
    if wal_path(database).exists():
        raise _unclean_shutdown(database)


def _copy_tables(
    con: duckdb.DuckDBPyConnection, tables: tuple[str, ...], config: dict[str, str]
) -> None:
    for schema in (MARTS_SCHEMA, CONFIG_SCHEMA, INFO_SCHEMA):
        con.execute(f"create schema {SERVED_CATALOG}.{schema}")
    for table in tables:
        name = f"{MARTS_SCHEMA}.{quote_identifier(table)}"
        con.execute(f"create table {SERVED_CATALOG}.{name} as select * from {BUILD_CATALOG}.{name}")
    for table, select_list in config.items():
        name = f"{CONFIG_SCHEMA}.{quote_identifier(table)}"
        con.execute(
            f"create table {SERVED_CATALOG}.{name} as"
            f" select {select_list} from {BUILD_CATALOG}.{name}"
        )


def _row_counts(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        row = con.execute(
            f"select count(*) from {SERVED_CATALOG}.{MARTS_SCHEMA}.{quote_identifier(table)}"
        ).fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def _export_parquet(
    con: duckdb.DuckDBPyConnection, tables: tuple[str, ...], parquet_dir: Path
) -> int:
    """Every mart as ``<parquet_dir>/<mart>.parquet`` and the CRM export beside them."""
    parquet_dir.mkdir(parents=True)
    for table in tables:
        target = parquet_dir / f"{table}.parquet"
        con.execute(
            f"copy {SERVED_CATALOG}.{MARTS_SCHEMA}.{quote_identifier(table)}"
            f" to {quote_literal(str(target))} (format parquet, compression zstd)"
        )
    crm_rows = write_crm_export(con, SERVED_CATALOG, parquet_dir / CRM_EXPORT_DIR)
    for path in sorted(parquet_dir.rglob("*"), reverse=True):
        fsync_path(path)
    fsync_path(parquet_dir)
    return crm_rows


def write_served(
    build_db: Path, target: Path, *, build_id: str, published_at: str, parquet_dir: Path
) -> Snapshot:
    """Write the served file ``target`` (new) and the Parquet folder from one build snapshot.

    The build database is attached read-only for the whole write, so every table comes from the
    same build. ``publish.build_info`` (build id, as-of date, publish time, row counts) lets a
    reader tell from the same snapshot as the marts which build it is reading.
    """
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        _attach_build(con, build_db)
        tables = marts_tables(con, BUILD_CATALOG)
        config = _config_selects(con, build_db)
        as_of = _as_of(con)
        con.execute(
            f"attach {quote_literal(str(target))} as {SERVED_CATALOG}"
            f" (storage_version {quote_literal(SERVE_STORAGE_VERSION)})"
        )
        _copy_tables(con, tables, config)
        con.execute(f"detach {BUILD_CATALOG}")
        counts = _row_counts(con, tables)
        con.execute(
            f"create table {SERVED_CATALOG}.{INFO_SCHEMA}.{INFO_TABLE} as select"
            " ?::varchar as build_id, ?::date as as_of, ?::timestamptz as published_at,"
            " ?::json as row_counts",
            [build_id, as_of, published_at, json.dumps(counts, sort_keys=True)],
        )
        crm_rows = _export_parquet(con, tables, parquet_dir)
        con.execute(f"detach {SERVED_CATALOG}")
    finally:
        con.close()
    if wal_path(target).exists():
        raise PublishError(f"the served file {target} kept a write-ahead log after closing")
    return Snapshot(tables, counts, as_of, tuple(config), crm_rows)
