"""What the reshapers share: the contract's batch files, and writing a connector table batch by
batch with DuckDB.

A contract table is one Parquet file per load batch (``batch_0001.parquet`` ...). A reshaper
writes each connector table with the same file names, so that a batch of the contract shape and
the same batch of the connector shape hold the same rows.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB in UTC (naive timestamps in the raw data are UTC), without a progress bar."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    return con


def batch_files(contract_dir: Path, source: str, table: str) -> list[Path]:
    """The contract batch files of one table, in batch order; an error names an empty folder."""
    folder = contract_dir / source / table
    files = sorted(folder.glob("*.parquet"))
    if not files:
        from . import ReshapeError

        raise ReshapeError(
            f"contract table {source}.{table}: no Parquet file in {folder}/ "
            "(reshape reads a contract-shaped sample: python -m python_checks.generate)"
        )
    return files


def parquet(path: Path | list[Path]) -> str:
    """A read_parquet() call on one file or several (columns by name), for a FROM clause."""
    paths = [path] if isinstance(path, Path) else path
    quoted = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    return f"read_parquet([{quoted}], union_by_name = true)"


def write(con: duckdb.DuckDBPyConnection, sql: str, out_path: Path) -> None:
    """Write the rows of `sql` to `out_path` (Parquet), creating its folder; an empty result
    still writes a file with the columns, as every batch of the contract has one."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    target = str(out_path).replace("'", "''")
    con.execute(f"copy ({sql}) to '{target}' (format parquet, compression zstd)")


def write_batch(
    con: duckdb.DuckDBPyConnection, query: str, out_dir: Path, source: str, table: str, name: str
) -> Path:
    """Write the rows of ``query`` as ``out_dir/<source>/<table>/<name>``."""
    path = out_dir / source / table / name
    write(con, query, path)
    return path


def write_per_batch(
    con: duckdb.DuckDBPyConnection,
    contract_dir: Path,
    out_dir: Path,
    source: str,
    contract_table: str,
    connector_table: str,
    select: str,
) -> None:
    """Rewrite each batch file of a contract table: ``select`` reads the batch as ``batch``."""
    for path in batch_files(contract_dir, source, contract_table):
        query = f"with batch as (select * from {parquet(path)}) {select}"
        write_batch(con, query, out_dir, source, connector_table, path.name)


def columns_of(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """The column names of one Parquet file."""
    return [row[0] for row in con.execute(f"describe select * from {parquet(path)}").fetchall()]
