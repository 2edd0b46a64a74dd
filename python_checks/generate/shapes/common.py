"""Helpers the reshapers share: the contract batch files of a table and writing one output file."""

from __future__ import annotations

from pathlib import Path

import duckdb


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB in UTC (naive timestamps in the raw data are UTC)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    return con


def batch_files(contract_dir: Path, source: str, table: str) -> list[Path]:
    """The contract batch files of one table, in batch order; an error names an empty folder."""
    folder = contract_dir / source / table
    files = sorted(folder.glob("*.parquet"))
    if not files:
        from . import ReshapeError

        raise ReshapeError(f"{folder}: no Parquet file to reshape")
    return files


def parquet(path: Path) -> str:
    """A Parquet file as a DuckDB table expression."""
    return "read_parquet('" + str(path).replace("'", "''") + "')"


def write(con: duckdb.DuckDBPyConnection, sql: str, out_path: Path) -> None:
    """Write the rows of `sql` to `out_path` (Parquet), creating its folder."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    target = str(out_path).replace("'", "''")
    con.execute(f"copy ({sql}) to '{target}' (format parquet, compression zstd)")


def columns_of(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return [row[0] for row in con.execute(f"describe select * from {parquet(path)}").fetchall()]
