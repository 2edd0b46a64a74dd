"""What the connector reshapers share: the contract's batch files, and writing a connector
table batch by batch with DuckDB.

A contract table is one Parquet file per load batch (``batch_0001.parquet`` ...). A reshaper
writes each connector table with the same file names, so that a batch of the contract shape and
the same batch of the connector shape hold the same rows.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


class ContractLayoutError(RuntimeError):
    """The contract-shaped input is not where a reshaper expects it."""


def batch_files(contract_dir: Path, source: str, table: str) -> list[Path]:
    """The batch files of one contract table, in batch order."""
    folder = contract_dir / source / table
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise ContractLayoutError(
            f"contract table {source}.{table}: no Parquet file in {folder}/ "
            "(reshape reads a contract-shaped sample: python -m python_checks.generate)"
        )
    return files


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose naive timestamps mean UTC, like the contract's."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    return con


def parquet(path: Path | list[Path]) -> str:
    """A read_parquet() call on one file or several, for use in a FROM clause."""
    paths = [path] if isinstance(path, Path) else path
    quoted = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    return f"read_parquet([{quoted}], union_by_name = true)"


def write_batch(
    con: duckdb.DuckDBPyConnection, query: str, out_dir: Path, source: str, table: str, name: str
) -> Path:
    """Write the rows of ``query`` as ``out_dir/<source>/<table>/<name>`` (an empty result still
    writes a file with the columns, as every batch of the contract has one)."""
    folder = out_dir / source / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    target = str(path).replace("'", "''")
    con.execute(f"copy ({query}) to '{target}' (format parquet, compression zstd)")
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
