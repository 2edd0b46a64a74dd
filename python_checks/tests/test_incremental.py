"""A daily run on an existing build gives exactly what a full build of the same raw data gives.

The daily run reads only the new batch files (base models), re-ranks the stored copies of the
keys those files touch, and rewrites only the newest days of the account-day chain (signals,
contributions, health, drivers, flags, the history mart). Every table of the build is compared,
so a model that forgets a day, keeps a stale copy or scores a day differently fails here."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from python_checks.bench.rawdata import append_next_day
from python_checks.build_fixtures import Build

pytestmark = pytest.mark.build

DAILY_RUN = ["build", "--exclude", "test_type:data"]


def _raw_views(raw: Path, **tables: str) -> duckdb.DuckDBPyConnection:
    """A UTC connection with one view per raw table: view name = "<source>/<table>"."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for view, table in tables.items():
        con.execute(
            f"create view {view} as select * from read_parquet('{raw / table}/*.parquet',"
            " union_by_name = true)"
        )
    return con


def _resync_recent_rows(raw: Path) -> dict[str, int]:
    """A later batch re-lands rows of the last two days, some of them changed: events renamed
    (the newest copy wins) and open tickets now solved. Changes inside the lookback window must
    reach every day they touch."""
    tracks, tickets = raw / "product" / "tracks", raw / "support" / "ticket"
    con = _raw_views(raw, events="product/tracks", tickets="support/ticket")
    try:
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


# Where a sparse model's run starts from (int_health_alerts): the newest day scored when the row
# was written, so a chain of daily runs and one full build differ there and nowhere else.
BOOKKEEPING_COLUMNS = ("scored_through",)


def _digests(db: Path) -> dict[str, tuple]:
    """Row count and an order-free hash of every stored table of the build (bookkeeping
    columns left out)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables()"
            " where schema_name in ('staging', 'intermediate', 'marts') order by all"
        ).fetchall()
        return {
            f"{schema}.{table}": con.execute(
                "select count(*), sum(hash(columns(lambda c: c not in"
                f" ({', '.join(repr(c) for c in BOOKKEEPING_COLUMNS)})))) from {schema}.{table}"
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


# The models a daily run rewrites from the first changed day on, or whole for a changed account,
# and the full tables built from them: these must match a full build even when the change lies
# before the lookback (the account-day chain keeps its scored past; see docs/performance.md, Daily runs).
ACTIVITY_TABLES = (
    "intermediate.int_product_user_days",
    "intermediate.int_account_history_fingerprints",
    "intermediate.int_account_daily_activity",
    "intermediate.int_account_usage_daily",
    "intermediate.int_account_stage_daily",
    "intermediate.int_account_onboarding_milestones",
)


def _land_late_events_and_a_relink(raw: Path) -> dict[str, object]:
    """A batch with events of a day three weeks back (late, far beyond the lookback) and a
    Segment group call that moves the busiest recent user to another account."""
    tracks, groups = raw / "product" / "tracks", raw / "product" / "groups"
    con = _raw_views(raw, landed_events="product/tracks", group_calls="product/groups")
    try:
        con.execute(
            "create view events as select * from landed_events"
            " qualify row_number() over (partition by id order by _loaded_at desc) = 1"
        )
        loaded, late_day = con.execute(
            "select max(_loaded_at) + interval 2 hour,"
            " cast(max(timestamp) filter (where timestamp <= received_at) as date) - 21"
            " from events"
        ).fetchone()
        con.execute(
            f"""
            copy (
                select id || '-late' as id, user_id, anonymous_id, event, timestamp, received_at,
                    cast(? as timestamptz) as _loaded_at
                from events
                where cast(timestamp as date) = ? and user_id is not null
                order by id
                limit 40
            ) to '{tracks / "batch_9201.parquet"}' (format parquet)
            """,
            [loaded, late_day],
        )
        user, old_account = con.execute(
            """
            select events.user_id, arg_max(group_calls.group_id, group_calls.timestamp)
            from events
            inner join group_calls on events.user_id = group_calls.user_id
            where events.timestamp >= (select max(timestamp) from events) - interval 60 day
            group by events.user_id
            order by count(distinct events.id) desc, events.user_id
            limit 1
            """
        ).fetchone()
        new_account = con.execute(
            "select min(group_id) from group_calls where group_id != ?", [old_account]
        ).fetchone()[0]
        con.execute(
            f"""
            copy (
                select 'relink-1' as id, cast(? as varchar) as user_id,
                    cast(? as varchar) as group_id,
                    cast(? as timestamptz) - interval 1 hour as timestamp,
                    cast(? as timestamptz) as _loaded_at
            ) to '{groups / "batch_9201.parquet"}' (format parquet)
            """,
            [user, new_account, loaded, loaded],
        )
        late_events = con.execute(
            f"select count(*) from '{tracks / 'batch_9201.parquet'}'"
        ).fetchone()[0]
        return {
            "late_day": late_day,
            "late_events": late_events,
            "accounts": {old_account, new_account},
        }
    finally:
        con.close()


def test_late_events_and_a_relinked_user_reach_the_activity_models(
    sample_build: Build, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(sample_build.raw_dir, raw)
    daily = sample_build.copy(tmp_path / "daily")
    daily = Build(raw, daily.truth_dir, daily.db_path, daily.work_dir)
    before = _digests(daily.db_path)
    landed = _land_late_events_and_a_relink(raw)
    assert landed["late_events"] > 0, landed

    result = daily.dbt(DAILY_RUN)
    assert result.ok, result.output[-4000:]

    full = Build(raw, daily.truth_dir, tmp_path / "full" / "full.duckdb", tmp_path / "full" / "w")
    full.db_path.parent.mkdir(parents=True)
    result = full.dbt(DAILY_RUN)
    assert result.ok, result.output[-4000:]

    daily_digests, full_digests = _digests(daily.db_path), _digests(full.db_path)
    differing = [t for t in ACTIVITY_TABLES if daily_digests[t] != full_digests[t]]
    assert not differing, f"daily run differs from a full build in: {differing}"
    # The batch did reach these models: the user moved, and the late day gained events.
    for table in (
        "intermediate.int_account_history_fingerprints",
        "intermediate.int_account_daily_activity",
    ):
        assert before[table] != full_digests[table], table
    accounts = sorted(landed["accounts"])
    moved = full.query(
        "select account_id, count_linked_users from intermediate.int_account_history_fingerprints"
        f" where account_id in ('{accounts[0]}', '{accounts[1]}') order by account_id"
    )
    old = sample_build.query(
        "select account_id, count_linked_users from intermediate.int_account_history_fingerprints"
        f" where account_id in ('{accounts[0]}', '{accounts[1]}') order by account_id"
    )
    assert moved != old, (moved, old)
    late_day_events = (
        "select sum(count_events) from intermediate.int_product_user_days"
        f" where date_day = '{landed['late_day']}'"
    )
    assert full.query(late_day_events)[0][0] > sample_build.query(late_day_events)[0][0]


REBUILT_ACCOUNTS_LINE = re.compile(
    r"(int_account_daily_activity|int_account_usage_daily|int_account_stage_daily): a daily run"
    r" from \S+ that rebuilds every day of (\d+) account"
)


def _rebuilt_accounts(output: str) -> dict[str, int]:
    """How many accounts each running-state model said it rebuilds whole (macro
    rebuilds_accounts logs it when the model compiles on a daily run)."""
    return {model: int(count) for model, count in REBUILT_ACCOUNTS_LINE.findall(output)}


def _land_a_new_user(raw: Path, day: date) -> str:
    """A product user never seen before: two events on ``day`` and a group call naming an
    account that already has linked users. Returns the account."""
    tracks, groups = raw / "product" / "tracks", raw / "product" / "groups"
    con = _raw_views(raw, landed_events="product/tracks", group_calls="product/groups")
    try:
        loaded = con.execute(
            "select max(_loaded_at) + interval 3 hour from landed_events"
        ).fetchone()[0]
        account = con.execute(
            "select group_id from group_calls group by group_id"
            " order by count(distinct user_id) desc, group_id limit 1"
        ).fetchone()[0]
        user = "brand-new-user-9301@example.com"
        # Two events named like the newest ones landed (names the build knows), at 10:00 and
        # 11:00 of the day.
        con.execute(
            f"""
            copy (
                select 'new-user-' || n as id, cast(? as varchar) as user_id,
                    cast(null as varchar) as anonymous_id, event,
                    cast(? as timestamptz) + to_hours(9 + n) as timestamp,
                    cast(? as timestamptz) + to_hours(9 + n) as received_at,
                    cast(? as timestamptz) as _loaded_at
                from (
                    select row_number() over (order by timestamp desc, id) as n, event
                    from landed_events
                    where user_id is not null
                    order by timestamp desc, id
                    limit 2
                ) as newest
            ) to '{tracks / "batch_9301.parquet"}' (format parquet)
            """,
            [user, day, day, loaded],
        )
        con.execute(
            f"""
            copy (
                select 'new-user-group' as id, cast(? as varchar) as user_id,
                    cast(? as varchar) as group_id,
                    cast(? as timestamptz) + interval 8 hour as timestamp,
                    cast(? as timestamptz) as _loaded_at
            ) to '{groups / "batch_9301.parquet"}' (format parquet)
            """,
            [user, account, day, loaded],
        )
        return account
    finally:
        con.close()


def test_a_new_user_does_not_rebuild_its_accounts_history(
    sample_build: Build, tmp_path: Path
) -> None:
    """A user first active on the new day changes nothing of its account's earlier days, so the
    daily run rebuilds no account whole (it did while the models compared a fingerprint of all
    linked users), and still equals a full build."""
    raw = tmp_path / "raw"
    shutil.copytree(sample_build.raw_dir, raw)
    daily = sample_build.copy(tmp_path / "daily")
    daily = Build(raw, daily.truth_dir, daily.db_path, daily.work_dir)
    batch = append_next_day(raw, 1)
    account = _land_a_new_user(raw, batch.day)

    result = daily.dbt(DAILY_RUN)
    assert result.ok, result.output[-4000:]
    assert _rebuilt_accounts(result.output) == {
        "int_account_daily_activity": 0,
        "int_account_usage_daily": 0,
        "int_account_stage_daily": 0,
    }, result.output[-4000:]
    # The user did land: linked to the account, first active on the new day.
    linked = daily.query(
        "select account_id, first_active_on from intermediate.int_account_identity"
        " where system = 'product_user' and system_key = (select user_email_hash"
        " from staging.stg_product__tracks where event_id = 'new-user-1')"
    )
    assert linked == [(account, batch.day)], linked

    full = Build(raw, daily.truth_dir, tmp_path / "full" / "full.duckdb", tmp_path / "full" / "w")
    full.db_path.parent.mkdir(parents=True)
    result = full.dbt(DAILY_RUN)
    assert result.ok, result.output[-4000:]
    daily_digests, full_digests = _digests(daily.db_path), _digests(full.db_path)
    differing = sorted(t for t in full_digests if daily_digests[t] != full_digests[t])
    assert not differing, f"daily run differs from a full build in: {differing}"


def test_alerts_rewritten_by_a_backfill_carry_the_hysteresis_from_earlier_days(
    sample_build: Build, tmp_path: Path
) -> None:
    """A run of int_health_alerts reads only its days and a cool-down before them; what the score
    did earlier reaches it as the hysteresis state it carries in. One account's history is made
    to need it: healthy, then just under the threshold (inside its hysteresis) for months, then
    clearly below it. Rewriting the last 60 days from the stored history must raise that alert,
    as the full computation does, and leave every other alert as it was."""
    copy = sample_build.copy(tmp_path)
    threshold, hysteresis = copy.query(
        "select threshold, hysteresis_points from config.alert_rules"
        " where alert_type = 'score_below_threshold'"
    )[0]
    as_of = copy.query("select max(date_day) from marts.fct_account_health_daily")[0][0]
    hovering_from, falls_on = as_of - timedelta(days=150), as_of - timedelta(days=10)
    account = copy.query(
        "select account_id from marts.fct_account_health_daily group by account_id"
        f" having min(date_day) < date '{hovering_from}' and max(date_day) = date '{as_of}'"
        " order by account_id limit 1"
    )[0][0]
    con = duckdb.connect(str(copy.db_path))
    try:
        con.execute(
            f"""
            update marts.fct_account_health_daily
            set health_score = case
                    when date_day < date '{hovering_from}' then 70
                    when date_day < date '{falls_on}' then {threshold - hysteresis / 2}
                    else {threshold - hysteresis - 5}
                end,
                has_critical_flag = false
            where account_id = '{account}'
            """
        )
    finally:
        con.close()
    the_fall_alert = (
        f"select count(*) from intermediate.int_health_alerts where account_id = '{account}'"
        f" and alert_type = 'score_below_threshold' and alerted_on = date '{falls_on}'"
    )
    alerts = "select * exclude (scored_through) from intermediate.int_health_alerts"

    result = copy.dbt(["run", "--select", "int_health_alerts", "--full-refresh"])
    assert result.ok, result.output[-4000:]
    full = copy.query(alerts)
    assert copy.query(the_fall_alert)[0][0] == 1

    backfill = f"{{backfill_start: {as_of - timedelta(days=60)}, backfill_end: {as_of}}}"
    result = copy.dbt(["run", "--select", "int_health_alerts", "--vars", backfill])
    assert result.ok, result.output[-4000:]
    log = (copy.work_dir / "logs" / "dbt.log").read_text()
    assert 'delete from "copy"."intermediate"."int_health_alerts"' in log
    assert copy.query(the_fall_alert)[0][0] == 1
    assert sorted(copy.query(alerts), key=repr) == sorted(full, key=repr)
