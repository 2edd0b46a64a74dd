"""Load the raw Parquet folders into a warehouse: `python -m python_checks.load_raw --target postgres`.

DuckDB reads the raw contract's Parquet folders in place; other engines read tables. This loads
every `<raw dir>/<source>/<table>/*.parquet` folder into table `<table>` of schema
`raw_<source>` (the schema the sources default to on those engines), one COPY per batch file,
with the file as `_raw_file` (`<source>/<table>/<file>`, the batch key the base models read).
Columns are the union over the batch files (the contract lets a later batch add columns).
`_contract.json`'s version goes in `raw_meta.raw_contract`, which the pre-run raw-contract check
reads. A table is loaded whole each time (dropped and re-created): the raw landing is the truth.

Connection: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (defaults: the local cluster of
`python -m python_checks.pg_server up`).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from python_checks.pg_server import PgSettings

SCHEMA_PREFIX = "raw_"
META_SCHEMA = "raw_meta"


class LoadError(RuntimeError):
    """The raw folder cannot be loaded; the message names the folder, file or column."""


@dataclass(frozen=True)
class RawTable:
    source: str
    table: str
    files: tuple[Path, ...]

    @property
    def label(self) -> str:
        return f"{self.source}.{self.table}"


def pg_type(arrow_type: pa.DataType, where: str) -> str:
    """The Postgres type a Parquet column is stored as."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "text"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_decimal(arrow_type):
        return f"numeric({arrow_type.precision}, {arrow_type.scale})"
    if pa.types.is_timestamp(arrow_type):
        return "timestamptz" if arrow_type.tz else "timestamp"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_null(arrow_type):
        return "text"
    raise LoadError(f"{where}: Parquet type {arrow_type} has no Postgres mapping in load_raw")


def find_tables(raw_dir: Path) -> list[RawTable]:
    if not raw_dir.is_dir():
        raise LoadError(f"raw folder {raw_dir} does not exist: set --raw-dir or RAW_DATA_DIR")
    tables = []
    for table_dir in sorted(p for p in raw_dir.glob("*/*") if p.is_dir()):
        files = tuple(sorted(table_dir.glob("*.parquet")))
        if not files:
            raise LoadError(f"raw table folder {table_dir}/ holds no Parquet file")
        tables.append(RawTable(table_dir.parent.name, table_dir.name, files))
    if not tables:
        raise LoadError(f"raw folder {raw_dir} holds no <source>/<table>/ folder")
    return tables


def table_columns(table: RawTable) -> dict[str, str]:
    """Column name → Postgres type, the union over the batch files (first file's type wins)."""
    columns: dict[str, str] = {}
    for file in table.files:
        for field in pq.read_schema(file):
            if field.name == "_raw_file":
                raise LoadError(f"{file}: column _raw_file is reserved for the batch key")
            if field.name not in columns or pa.types.is_null(field.type):
                found = pg_type(field.type, f"{file} column {field.name}")
                if field.name not in columns or columns[field.name] == "text":
                    columns[field.name] = found
    return columns


def _text_value(value: object) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float | int | Decimal):
        return str(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(arrow_table: pa.Table, raw_file: str) -> Iterator[str]:
    key = _text_value(raw_file)
    columns = [arrow_table.column(i).to_pylist() for i in range(arrow_table.num_columns)]
    for row in zip(*columns, strict=True):
        yield "\t".join([*(_text_value(v) for v in row), key]) + "\n"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_table(cursor: object, table: RawTable) -> int:
    columns = table_columns(table)
    schema = _quote(SCHEMA_PREFIX + table.source)
    target = f"{schema}.{_quote(table.table)}"
    column_sql = ", ".join(f"{_quote(name)} {kind}" for name, kind in columns.items())
    cursor.execute(f"create schema if not exists {schema}")  # type: ignore[attr-defined]
    cursor.execute(f"drop table if exists {target}")  # type: ignore[attr-defined]
    cursor.execute(f"create table {target} ({column_sql}, _raw_file text not null)")  # type: ignore[attr-defined]
    count = 0
    for file in table.files:
        arrow_table = pq.read_table(file)
        names = [*arrow_table.column_names, "_raw_file"]
        buffer = io.StringIO(
            "".join(copy_rows(arrow_table, f"{table.source}/{table.table}/{file.name}"))
        )
        column_list = ", ".join(_quote(name) for name in names)
        cursor.copy_expert(f"copy {target} ({column_list}) from stdin", buffer)  # type: ignore[attr-defined]
        count += arrow_table.num_rows
    return count


def contract_version(raw_dir: Path) -> int | None:
    """`_contract.json`'s version (None without the file); a malformed file names itself."""
    path = raw_dir / "_contract.json"
    if not path.exists():
        return None
    try:
        version = json.loads(path.read_text())["version"]
    except (ValueError, KeyError, TypeError) as exc:
        raise LoadError(f"{path}: not JSON with an integer 'version' field ({exc})") from exc
    if not isinstance(version, int):
        raise LoadError(f"{path}: 'version' is {version!r}, expected an integer")
    return version


def load_postgres(
    raw_dir: Path, settings: PgSettings, password: str | None = None
) -> dict[str, int]:
    import psycopg2  # installed with dbt-postgres (requirements.txt)

    tables = find_tables(raw_dir)
    version = contract_version(raw_dir)
    connection = psycopg2.connect(
        host=settings.host,
        port=settings.port,
        user=settings.user,
        dbname=settings.database,
        password=password or None,
    )
    counts: dict[str, int] = {}
    try:
        with connection, connection.cursor() as cursor:
            for table in tables:
                counts[table.label] = load_table(cursor, table)
            cursor.execute(f"create schema if not exists {META_SCHEMA}")
            cursor.execute(f"drop table if exists {META_SCHEMA}.raw_contract")
            cursor.execute(
                f"create table {META_SCHEMA}.raw_contract as select %s::integer as version, "
                "%s::text as raw_dir, now() as loaded_at",
                (version, str(raw_dir)),
            )
    finally:
        connection.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(prog="python -m python_checks.load_raw", description=__doc__)
    parser.add_argument("--target", choices=["postgres"], required=True)
    parser.add_argument(
        "--raw-dir", type=Path, default=Path(os.environ.get("RAW_DATA_DIR", "data/raw"))
    )
    args = parser.parse_args(argv)
    try:
        counts = load_postgres(
            args.raw_dir.resolve(), PgSettings.from_env(), os.environ.get("PGPASSWORD")
        )
    except LoadError as exc:
        print(f"load_raw: {exc}", file=sys.stderr)
        return 1
    for label, count in counts.items():
        print(f"  {label:<28} {count:>9,}")
    print(f"loaded {sum(counts.values()):,} rows from {args.raw_dir} into {len(counts)} tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
