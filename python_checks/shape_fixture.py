"""Helpers for the reshaper tests: a small contract sample reshaped by one connector module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from python_checks.build_fixtures import generate_sample

# Small and fast: the reshapers are checked row by row, not for scores.
SHAPE_ACCOUNTS = 30
SHAPE_SEED = 5


def reshaped_sample(root: Path, reshape: Callable[[Path, Path], None]) -> tuple[Path, Path]:
    """(contract folder, reshaped folder) of one generated sample under ``root``."""
    contract, _ = generate_sample(root, accounts=SHAPE_ACCOUNTS, seed=SHAPE_SEED)
    out = root / "reshaped"
    reshape(contract, out)
    return contract, out


def rows(sql: str) -> list[tuple]:
    """The rows of ``sql`` on an in-memory DuckDB in UTC."""
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql).fetchall()


def parquet_table(folder: Path, source: str, table: str) -> str:
    """A relation reading every batch file of ``source/table`` (file name in column ``f``)."""
    return f"read_parquet('{folder}/{source}/{table}/*.parquet', filename = 'f')"
