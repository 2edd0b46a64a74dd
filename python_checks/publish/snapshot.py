"""The DuckDB side of a publish: check the build database, copy it, stamp and export the copy."""

from __future__ import annotations

import fcntl
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from python_checks.publish.atomic import fsync_path
from python_checks.publish.errors import PublishError
from python_checks.publish.layout import INFO_SCHEMA, INFO_TABLE

MARTS_SCHEMA = "marts"
AS_OF_TABLE = ("intermediate", "int_as_of_date")
COPY_CHUNK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Snapshot:
    """What the stamped copy holds."""

    tables: tuple[str, ...]
    row_counts: dict[str, int]
    as_of: str | None


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def marts_tables(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    rows = con.execute(
        "select table_name from duckdb_tables()"
        " where database_name = current_database() and schema_name = ? order by table_name",
        [MARTS_SCHEMA],
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


def check_build(database: Path) -> tuple[str, ...]:
    """The build database's mart tables; refuses a missing, busy, unclean or mart-less one."""
    if not database.is_file():
        raise PublishError(f"no build database at {database}: run `make build` first")
    if wal_path(database).exists():
        raise _unclean_shutdown(database)
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0]
        raise PublishError(
            f"cannot open {database} read-only ({reason}); is a dbt build still writing it?"
        ) from exc
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


def copy_database(source: Path, target: Path) -> None:
    """Byte-copy ``source`` to a new file ``target`` under a shared lock on ``source``.

    The lock is the one DuckDB takes (fcntl), so a writer that holds the file makes the copy
    fail instead of tearing it, and a writer cannot start while the copy runs.
    """
    with source.open("rb") as reader:
        try:
            fcntl.lockf(reader.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            raise PublishError(
                f"{source} is open for writing by another process (is a dbt build running?)"
            ) from exc
        if wal_path(source).exists():
            raise _unclean_shutdown(source)
        with target.open("xb") as writer:
            shutil.copyfileobj(reader, writer, COPY_CHUNK_BYTES)


def _as_of(con: duckdb.DuckDBPyConnection) -> str | None:
    schema, table = AS_OF_TABLE
    row = con.execute(
        "select count(*) from information_schema.tables"
        " where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    if not row or not row[0]:
        return None
    value = con.execute(
        f"select max(as_of_on) from {quote_identifier(schema)}.{quote_identifier(table)}"
    ).fetchone()
    return value[0].isoformat() if value and value[0] is not None else None


def stamp_and_export(
    database: Path, *, build_id: str, published_at: str, parquet_dir: Path
) -> Snapshot:
    """Record the build in ``database`` (a private copy), export its marts, checkpoint it.

    Adds table ``publish.build_info`` (build id, as-of date, publish time, row counts) so a
    reader can tell from the same snapshot as the marts which build it is reading.
    """
    con = duckdb.connect(str(database))
    try:
        tables = marts_tables(con)
        counts: dict[str, int] = {}
        for table in tables:
            row = con.execute(
                f"select count(*) from {MARTS_SCHEMA}.{quote_identifier(table)}"
            ).fetchone()
            counts[table] = int(row[0]) if row else 0
        as_of = _as_of(con)
        info = f"{INFO_SCHEMA}.{INFO_TABLE}"
        con.execute(f"create schema if not exists {INFO_SCHEMA}")
        con.execute(
            f"create or replace table {info} as select ?::varchar as build_id,"
            " ?::date as as_of, ?::timestamptz as published_at, ?::json as row_counts",
            [build_id, as_of, published_at, json.dumps(counts, sort_keys=True)],
        )
        parquet_dir.mkdir(parents=True)
        for table in tables:
            target = parquet_dir / f"{table}.parquet"
            con.execute(
                f"copy {MARTS_SCHEMA}.{quote_identifier(table)} to {quote_literal(str(target))}"
                " (format parquet, compression zstd)"
            )
            fsync_path(target)
        fsync_path(parquet_dir)
        con.execute("checkpoint")
    finally:
        con.close()
    if wal_path(database).exists():
        raise PublishError(f"the copy {database} kept a write-ahead log after checkpointing")
    return Snapshot(tables, counts, as_of)
