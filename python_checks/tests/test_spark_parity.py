"""The project on Spark gives the DuckDB build's marts (the third engine, docs/engines.md).

Builds the 160-account sample the session's DuckDB build read with `dbt build` on the `spark`
target (Spark 3.5 in-process, `local[2]`, its warehouse and metastore in the test's own folder)
and compares every table of schema marts with the DuckDB build: the same columns and rows,
numbers equal to 1e-6 relative, and a mart's rounded figures within one unit of their last
decimal (an aggregate of doubles is summed in another order on each engine: see the Postgres
parity test, whose comparison this reuses). The health marts' published columns (accounts,
bands, published scores, drivers, flags; alerts by id, type and day) must be exactly equal.

Spark's tables are read from their Parquet files by DuckDB (Spark's metastore is an embedded
Derby database that only one process opens at a time). A Spark build of the sample takes minutes,
so the test runs only under `make test-spark` (CUSTOMER_HEALTH_SPARK=1), not in `make test`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from python_checks.build_fixtures import Build
from python_checks.tests.test_postgres_parity import (
    MART_KEYS,
    PARITY_EXCEPTIONS,
    _close_published,
    _normalise,
    _select_list,
    _sorted_rows,
    duck_marts,
    keyed_differences,
)

SPARK_FLAG = "CUSTOMER_HEALTH_SPARK"

pytestmark = [
    pytest.mark.build,
    pytest.mark.spark,
    pytest.mark.skipif(
        os.environ.get(SPARK_FLAG) != "1",
        reason=f"a Spark build of the sample takes minutes: `make test-spark` runs it ({SPARK_FLAG}=1)",
    ),
]


def _java_available() -> bool:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


@pytest.fixture(scope="module")
def spark_warehouse(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Spark build of the sample; its warehouse folder (one folder of Parquet files per table)."""
    missing = [
        name for name in ("pyspark", "dbt.adapters.spark") if importlib.util.find_spec(name) is None
    ]
    if missing:
        pytest.fail(f"{missing} not installed: `make spark-venv` (requirements-spark.txt)")
    if not _java_available():
        pytest.fail(
            "no Java runtime for Spark: apt-get install openjdk-17-jre-headless (JAVA_HOME)"
        )
    work = tmp_path_factory.mktemp("spark_work")
    spark_run = Build(sample_build.raw_dir, sample_build.truth_dir, work / "unused.duckdb", work)
    env = {
        "DBT_TARGET": "spark",
        "SPARK_WAREHOUSE_DIR": str(work / "warehouse"),
        "SPARK_METASTORE_DIR": str(work / "metastore"),
    }
    result = spark_run.dbt(["build"], extra_env=env, timeout=5400)
    assert result.ok, result.output[-6000:]
    return work / "warehouse"


def _spark_table(warehouse: Path, schema: str, name: str) -> str | None:
    """A DuckDB expression reading Spark's table (partition folders included), None without files."""
    folder = warehouse / f"{schema}.db" / name
    if not any(folder.rglob("*.parquet")):
        return None
    return f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true, union_by_name = true)"


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe select * from {relation}").fetchall()]


def compare_mart(duck: duckdb.DuckDBPyConnection, warehouse: Path, name: str) -> str | None:
    """None when Spark's mart agrees with DuckDB's, else what differs (first differing row)."""
    label = f"marts.{name}"
    spark = _spark_table(warehouse, "marts", name)
    duck_columns = _columns(duck, label)
    if spark is None:
        count = duck.execute(f"select count(*) from {label}").fetchone()[0]
        return None if count == 0 else f"{label}: no rows on Spark, {count} on DuckDB"
    spark_columns = _columns(duck, spark)
    if sorted(spark_columns) != sorted(duck_columns):
        return f"{label}: columns differ: DuckDB {duck_columns}, Spark {spark_columns}"
    columns = sorted(c for c in duck_columns if c not in PARITY_EXCEPTIONS)
    column_sql = _select_list(columns)
    sides = [
        _sorted_rows([tuple(_normalise(v) for v in row) for row in duck.execute(sql).fetchall()])
        for sql in (f"select {column_sql} from {label}", f"select {column_sql} from {spark}")
    ]
    duck_rows, spark_rows = sides
    if len(duck_rows) != len(spark_rows):
        return f"{label}: {len(duck_rows)} rows on DuckDB, {len(spark_rows)} on Spark"
    for duck_row, spark_row in zip(duck_rows, spark_rows, strict=True):
        if duck_row != spark_row and not all(
            _close_published(a, b) for a, b in zip(duck_row, spark_row, strict=True)
        ):
            differing = [
                f"{c}: {a!r} vs {b!r}"
                for c, a, b in zip(columns, duck_row, spark_row, strict=True)
                if not _close_published(a, b)
            ]
            return f"{label}: rows differ (DuckDB vs Spark) at {'; '.join(differing[:5])}"
    return None


def compare_published_spark(
    duck: duckdb.DuckDBPyConnection,
    warehouse: Path,
    name: str,
    key: tuple[str, ...],
    exact: tuple[str, ...],
) -> str | None:
    """None when both engines have the same keys and, per key, exactly equal `exact` columns."""
    spark = _spark_table(warehouse, "marts", name) or f"marts.{name} where false"
    column_sql = _select_list([*key, *exact])
    duck_rows, spark_rows = (
        duck.execute(f"select {column_sql} from {relation}").fetchall()
        for relation in (f"marts.{name}", spark)
    )
    return keyed_differences(f"marts.{name}", key, exact, duck_rows, spark_rows, "Spark")


def test_spark_builds_the_marts_of_duckdb(sample_build: Build, spark_warehouse: Path) -> None:
    """Every mart of the DuckDB build is built on Spark with the same rows, and the health marts'
    published columns (accounts, bands, scores to their published decimal, drivers, flags, alerts)
    are exactly equal."""
    duck = duckdb.connect(str(sample_build.db_path), read_only=True)
    try:
        marts = duck_marts(duck)
        missing = sorted(
            name for name in marts if not (spark_warehouse / "marts.db" / name).is_dir()
        )
        assert not missing, f"marts not built on Spark: {missing}"
        problems = [
            problem
            for name in sorted(marts)
            if (problem := compare_mart(duck, spark_warehouse, name)) is not None
        ] + [
            problem
            for name, (key, exact) in MART_KEYS.items()
            if (problem := compare_published_spark(duck, spark_warehouse, name, key, exact))
            is not None
        ]
    finally:
        duck.close()
    assert not problems, "\n".join(problems)
