"""A daily run on an existing build gives exactly what a full build of the same raw data gives.

The daily run reads only the new batch files (base models), re-ranks the stored copies of the
keys those files touch, and rewrites only the newest days of the account-day chain (signals,
contributions, health, drivers, flags, the history mart). Every table of the build is compared,
so a model that forgets a day, keeps a stale copy or scores a day differently fails here."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from python_checks.bench.rawdata import append_next_day
from python_checks.build_fixtures import Build

pytestmark = pytest.mark.build

DAILY_RUN = ["build", "--exclude", "test_type:data"]


def _resync_recent_rows(raw: Path) -> dict[str, int]:
    """A later batch re-lands rows of the last two days, some of them changed: events renamed
    (the newest copy wins) and open tickets now solved. Changes inside the lookback window must
    reach every day they touch."""
    tracks, tickets = raw / "product" / "tracks", raw / "support" / "ticket"
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(
            f"create view events as select * from read_parquet('{tracks}/*.parquet',"
            " union_by_name = true)"
        )
        con.execute(
            f"create view tickets as select * from read_parquet('{tickets}/*.parquet',"
            " union_by_name = true)"
        )
        loaded = con.execute("select max(_loaded_at) + interval 2 hour from events").fetchone()[0]
        con.execute(
            f"""
            copy (
                select
                    id, user_id, anonymous_id,
                    case when hash(id) % 3 = 0 then 'report_viewed' else event end as event,
                    timestamp, received_at, cast(? as timestamptz) as _loaded_at
                from (
                    select * from events
                    qualify row_number() over (partition by id order by _loaded_at desc) = 1
                ) as newest
                where timestamp >= (select max(timestamp) from events where timestamp
                        <= coalesce(received_at, _loaded_at)) - interval 2 day
                    and timestamp <= coalesce(received_at, _loaded_at)
                order by id
                limit 300
            ) to '{tracks / "batch_9101.parquet"}' (format parquet)
            """,
            [loaded],
        )
        con.execute(
            f"""
            copy (
                select
                    * exclude (status, solved_at, updated_at, _loaded_at),
                    'solved' as status,
                    cast(? as timestamptz) - interval 3 hour as solved_at,
                    cast(? as timestamptz) - interval 3 hour as updated_at,
                    cast(? as timestamptz) as _loaded_at
                from (
                    select * from tickets
                    qualify row_number() over (partition by id order by _loaded_at desc) = 1
                ) as newest
                where solved_at is null
                    and created_at >= (select max(created_at) from tickets) - interval 2 day
                order by id
                limit 20
            ) to '{tickets / "batch_9101.parquet"}' (format parquet)
            """,
            [loaded, loaded, loaded],
        )
        return {
            "product/tracks": con.execute(
                f"select count(*) from '{tracks / 'batch_9101.parquet'}'"
            ).fetchone()[0],
            "support/ticket": con.execute(
                f"select count(*) from '{tickets / 'batch_9101.parquet'}'"
            ).fetchone()[0],
        }
    finally:
        con.close()


def _digests(db: Path) -> dict[str, tuple]:
    """Row count and an order-free hash of every stored table of the build."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables()"
            " where schema_name in ('staging', 'intermediate', 'marts') order by all"
        ).fetchall()
        return {
            f"{schema}.{table}": con.execute(
                f"select count(*), sum(hash(columns(*))) from {schema}.{table}"
            ).fetchone()
            for schema, table in tables
        }
    finally:
        con.close()


def test_a_daily_run_equals_a_full_build(sample_build: Build, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(sample_build.raw_dir, raw)
    daily = sample_build.copy(tmp_path / "daily")
    daily = Build(raw, daily.truth_dir, daily.db_path, daily.work_dir)
    before = _digests(daily.db_path)

    batch = append_next_day(raw, 1)
    resynced = _resync_recent_rows(raw)
    assert min(batch.rows.values()) > 0 and min(resynced.values()) > 0, (batch, resynced)

    result = daily.dbt(DAILY_RUN)
    assert result.ok, result.output[-4000:]
    # The daily run scored the new day.
    assert daily.query("select max(date_day) from marts.fct_account_health_daily")[0][0] == (
        batch.day
    )

    full = Build(raw, daily.truth_dir, tmp_path / "full" / "full.duckdb", tmp_path / "full" / "w")
    full.db_path.parent.mkdir(parents=True)
    result = full.dbt(DAILY_RUN)
    assert result.ok, result.output[-4000:]

    daily_digests, full_digests = _digests(daily.db_path), _digests(full.db_path)
    assert daily_digests.keys() == full_digests.keys()
    differing = sorted(t for t in full_digests if daily_digests[t] != full_digests[t])
    assert not differing, f"daily run differs from a full build in: {differing}"
    # And the new batches did change the build (the comparison is not between two old builds).
    changed = sorted(t for t in before if before[t] != full_digests.get(t))
    assert "staging.base_product__tracks" in changed
    assert "marts.fct_account_health_daily" in changed


def test_a_second_daily_run_with_no_new_data_changes_nothing(
    sample_build: Build, tmp_path: Path
) -> None:
    copy = sample_build.copy(tmp_path)
    before = _digests(copy.db_path)
    result = copy.dbt(DAILY_RUN)
    assert result.ok, result.output[-4000:]
    assert _digests(copy.db_path) == before
