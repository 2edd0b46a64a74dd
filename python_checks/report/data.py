"""Read what the report shows from a published database: marts, config seeds, build info.

Only the schemas a publish serves are read (``marts``, ``config``, ``publish``); ``config``
tables are optional, so the report also works where a publish serves none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from python_checks.bands import Band, build_bands
from python_checks.report.errors import ReportError
from python_checks.vocabulary import customer_tiers, lifecycle_stages

if TYPE_CHECKING:
    from python_checks.report.revenue import RevenueData

DAILY = "fct_account_health_daily"
DIM = "dim_account_health"
ALERTS = "fct_health_alerts"
BACKTEST = "fct_health_backtest"
BACKTEST_SUMMARY = "rpt_health_backtest_summary"
SEGMENTS = "rpt_segment_health"
PIPELINE = "rpt_renewal_pipeline"
CALIBRATION = "rpt_health_calibration"
RETENTION = "rpt_revenue_retention"
OWNER_BOOK = "rpt_owner_book"
ALERT_QUALITY = "rpt_alert_quality"

# The columns read from each mart: a missing one stops the report with its name.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    DAILY: (
        "account_id",
        "date_day",
        "lifecycle_stage",
        "health_band",
        "weights_effective_from",
        "weights_tier",
    ),
    DIM: (
        "account_id",
        "account_name",
        "customer_tier",
        "lifecycle_stage",
        "is_churned",
        "mrr",
        "health_score",
        "health_band",
        "score_change_30d",
        "drivers_down",
        "flags",
        "has_critical_flag",
        "recommended_action",
        "action_reason",
        "arr",
        "next_renewal_on",
        "days_to_renewal",
        "arr_up_for_renewal",
        "churn_probability",
        "revenue_at_risk",
    ),
    ALERTS: (
        "account_id",
        "alerted_on",
        "alert_type",
        "severity",
        "health_score",
        "alert_message",
        "top_driver_down",
    ),
    BACKTEST: ("snapshot_on", "horizon_days"),
    SEGMENTS: (
        "customer_tier",
        "lifecycle_stage",
        "count_accounts",
        "avg_health_score",
        "mrr",
        "count_alerts_7d",
    ),
    BACKTEST_SUMMARY: (
        "segment_type",
        "segment_value",
        "score_name",
        "count_account_snapshots",
        "count_snapshots",
        "count_churned",
        "churn_rate",
        "auc",
        "lift_lowest_decile",
    ),
    PIPELINE: (
        "renewal_month_on",
        "renewal_source",
        "health_band",
        "count_accounts",
        "arr_up_for_renewal",
        "revenue_at_risk",
    ),
    CALIBRATION: (
        "lifecycle_stage",
        "score_bin",
        "count_account_snapshots",
        "mean_churn_probability",
        "observed_churn_rate",
        "brier_score",
        "brier_score_reference",
        "brier_skill",
    ),
    RETENTION: (
        "month_start_on",
        "starting_mrr",
        "gross_revenue_retention",
        "net_revenue_retention",
    ),
    OWNER_BOOK: (
        "owner_user_id",
        "owner_name",
        "is_owner_active",
        "count_accounts",
        "arr",
        "avg_health_score",
        "count_movers_down",
        "count_movers_up",
        "count_open_alerts",
        "count_renewals_due",
        "renewal_amount_due",
    ),
    ALERT_QUALITY: (
        "alert_type",
        "count_alerts",
        "alerts_per_account_month",
        "alert_precision",
        "count_churns",
        "pct_churns_warned",
        "pct_churned_revenue_warned",
        "median_lead_days",
        "horizon_days",
        "min_lead_days",
    ),
}
# The columns each mart has per band of health_bands ({band}), and for its lowest band ({lowest}):
# public contracts whose names the dbt test bands_match_report_columns holds to the seed.
BAND_COLUMNS: dict[str, tuple[str, ...]] = {
    SEGMENTS: ("pct_{band}", "mrr_{lowest}"),
    BACKTEST_SUMMARY: ("churn_rate_{band}", "pct_churned_revenue_{lowest}"),
    OWNER_BOOK: ("arr_{lowest}", "count_{band}"),
}
COMPOSITE = "health_score"


@dataclass(frozen=True)
class Options:
    """What the reader of the report can tune."""

    at_risk_accounts: int = 15
    alert_days: int = 14
    alert_rows: int = 25
    alert_weeks: int = 26


@dataclass(frozen=True)
class BuildInfo:
    as_of: date
    build_id: str | None
    published_at: str | None


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows, already aggregated."""

    database: Path
    build: BuildInfo
    bands: tuple[Band, ...]  # lowest first (the build's config.health_bands, else the seed's)
    stages: tuple[str, ...]  # in stage_order (seed lifecycle_stage_rules)
    tiers: tuple[str, ...]  # var customer_tiers
    band_history: pd.DataFrame  # date_day, health_band, accounts
    weight_changes: tuple[date, ...]
    current: pd.DataFrame  # dim_account_health rows of current customers
    at_risk: pd.DataFrame
    segments: pd.DataFrame  # rpt_segment_health, tiers by revenue, stages in lifecycle order
    owner_books: pd.DataFrame  # rpt_owner_book, the largest books (ARR) first
    alert_quality: pd.DataFrame  # rpt_alert_quality, 'all' first
    alerts_recent: pd.DataFrame
    alerts_weekly: pd.DataFrame  # week_on, alert_type, severity, alerts
    alerts_last_7d: int  # on current customers
    backtest_all: pd.DataFrame  # segment 'all', one row per score_name
    backtest_snapshots: pd.DataFrame  # the composite per snapshot
    horizon_days: int | None
    weights_in_force: pd.DataFrame  # stage, tier, effective_from, accounts (+ reason, author)
    weights_scheduled: pd.DataFrame  # sets in config.health_weights after the as-of date
    options: Options
    revenue: RevenueData  # renewals, revenue at risk, churn calibration, retention

    @property
    def band_names(self) -> tuple[str, ...]:
        return tuple(band.band for band in self.bands)

    @property
    def lowest_band(self) -> str:
        return self.bands[0].band

    @property
    def highest_band(self) -> str:
        return self.bands[-1].band

    @property
    def composite(self) -> pd.Series | None:
        rows = self.backtest_all[self.backtest_all["score_name"] == COMPOSITE]
        return None if rows.empty else rows.iloc[0]


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database()"
        " and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    if row and row[0]:
        return True
    row = con.execute(
        "select count(*) from duckdb_views() where database_name = current_database()"
        " and schema_name = ? and view_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from duckdb_columns() where database_name = current_database()"
        " and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return {row[0] for row in rows}


def required_columns(bands: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The columns read from each mart, its per-band ones named for ``bands`` (lowest first)."""
    required = dict(REQUIRED_COLUMNS)
    for table, patterns in BAND_COLUMNS.items():
        named = [
            pattern.format(band=band, lowest=bands[0])
            for pattern in patterns
            for band in (bands if "{band}" in pattern else bands[:1])
        ]
        required[table] = (*required[table], *named)
    return required


def check_marts(con: duckdb.DuckDBPyConnection, database: Path, bands: Sequence[str]) -> None:
    """Every mart and column the report reads is there, or one error naming what is not."""
    for table, needed in required_columns(bands).items():
        if not _table_exists(con, "marts", table):
            raise ReportError(
                f"{database} has no table marts.{table}: publish a complete build "
                "(`make publish`) and point --database at its health.duckdb"
            )
        present = _columns(con, "marts", table)
        missing = [column for column in needed if column not in present]
        if missing:
            raise ReportError(
                f"marts.{table} in {database} lacks column(s) {', '.join(missing)}: "
                "the served build is older than this report; rebuild and publish"
            )


def _frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def _build_info(con: duckdb.DuckDBPyConnection) -> BuildInfo:
    """Which build is served (publish.build_info), else the newest scored day."""
    info: dict[str, object] = {}
    if _table_exists(con, "publish", "build_info"):
        columns = [
            column
            for column in ("build_id", "as_of", "published_at")
            if column in _columns(con, "publish", "build_info")
        ]
        row = con.execute(f"select {', '.join(columns)} from publish.build_info").fetchone()
        info = dict(zip(columns, row, strict=True)) if columns and row else {}
    as_of = info.get("as_of")
    if not isinstance(as_of, date):
        row = con.execute(f"select max(date_day) from marts.{DAILY}").fetchone()
        as_of = row[0] if row else None
    if not isinstance(as_of, date):
        raise ReportError(f"marts.{DAILY} is empty: there is no scored day to report on")
    published = info.get("published_at")
    return BuildInfo(
        as_of=as_of,
        build_id=str(info["build_id"]) if info.get("build_id") else None,
        published_at=published.isoformat(timespec="minutes")
        if isinstance(published, datetime)
        else None,
    )


def _stages(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The lifecycle stages in their shown order: the served config.lifecycle_stage_rules when it
    has stage_order, else the project's seed."""
    if "stage_order" in _columns(con, "config", "lifecycle_stage_rules"):
        rows = con.execute(
            "select stage from config.lifecycle_stage_rules order by stage_order"
        ).fetchall()
        if rows:
            return tuple(str(row[0]) for row in rows)
    return lifecycle_stages()


WEIGHT_KEYS = ("effective_from", "lifecycle_stage", "customer_tier")
# Shown beside the weights in force when the served seed has them (a publish may leave out
# author, which names a person).
WEIGHT_NOTES = ("reason", "author")


def _weight_columns(con: duckdb.DuckDBPyConnection) -> set[str] | None:
    """The columns of the served config.health_weights, or None when it is not usable."""
    if not _table_exists(con, "config", "health_weights"):
        return None
    columns = _columns(con, "config", "health_weights")
    return columns if set(WEIGHT_KEYS) <= columns else None


def _weights_in_force(
    con: duckdb.DuckDBPyConnection, as_of: date, stages: Sequence[str]
) -> pd.DataFrame:
    """Weight sets scoring the latest day's ``stages`` (not the churn day's), with the seed's
    reason and author when served."""
    in_force = _frame(
        con,
        f"""
        select lifecycle_stage, weights_tier, weights_effective_from, count(*) as accounts
        from marts.{DAILY}
        where date_day = (select max(date_day) from marts.{DAILY} where date_day <= ?)
          and list_contains(?, lifecycle_stage)
        group by all
        order by weights_effective_from desc, lifecycle_stage, weights_tier
        """,
        [as_of, list(stages)],
    )
    columns = _weight_columns(con)
    notes = [note for note in WEIGHT_NOTES if columns and note in columns]
    if not notes:
        return in_force
    described = _frame(
        con,
        f"""
        select lifecycle_stage, customer_tier as weights_tier,
            effective_from as weights_effective_from,
            {", ".join(f"min({note}) as {note}" for note in notes)}
        from config.health_weights
        group by all
        """,
    )
    return in_force.merge(
        described, how="left", on=["lifecycle_stage", "weights_tier", "weights_effective_from"]
    )


def _weights_scheduled(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Weight sets of the seed that take effect after the as-of date."""
    if _weight_columns(con) is None:
        return pd.DataFrame(columns=list(WEIGHT_KEYS))
    return _frame(
        con,
        f"""
        select distinct {", ".join(WEIGHT_KEYS)}
        from config.health_weights where effective_from > ?
        order by {", ".join(WEIGHT_KEYS)}
        """,
        [as_of],
    )


def load(database: Path, options: Options | None = None) -> ReportData:
    """Open ``database`` read-only and gather the report's numbers."""
    options = options or Options()
    if not database.is_file():
        raise ReportError(
            f"no published database at {database}: run `make publish` first (or pass --database)"
        )
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0]
        raise ReportError(f"cannot open {database} read-only: {reason}") from exc
    try:
        bands = build_bands(con)
        stages = _stages(con)
        check_marts(con, database, [band.band for band in bands])
        build = _build_info(con)
        as_of = build.as_of
        band_history = _frame(
            con,
            f"""
            select date_day, health_band, count(*) as accounts
            from marts.{DAILY}
            where list_contains(?, lifecycle_stage) and date_day <= ?
            group by all
            order by date_day, health_band
            """,
            [list(stages), as_of],
        )
        first_day = band_history["date_day"].min() if not band_history.empty else as_of
        changes = con.execute(
            f"select distinct weights_effective_from from marts.{DAILY}"
            " where weights_effective_from > ? and weights_effective_from <= ? order by 1",
            [first_day, as_of],
        ).fetchall()
        current = _frame(
            con,
            f"select * from marts.{DIM} where not is_churned order by health_score, mrr desc",
        )
        at_risk = current.head(options.at_risk_accounts).reset_index(drop=True)
        segments = _frame(
            con,
            f"""
            select *, sum(mrr) over (partition by customer_tier) as tier_mrr
            from marts.{SEGMENTS}
            order by tier_mrr desc, customer_tier,
                coalesce(list_position(?, lifecycle_stage), 99), lifecycle_stage
            """,
            [list(stages)],
        )
        owner_books = _frame(
            con,
            f"select * from marts.{OWNER_BOOK} order by arr desc nulls last, owner_user_id",
        )
        alert_quality = _frame(
            con,
            f"select * from marts.{ALERT_QUALITY} order by alert_type != 'all', alert_type",
        )
        alerts_recent = _frame(
            con,
            f"""
            select alerts.alerted_on, alerts.severity, alerts.alert_type, alerts.alert_message,
                alerts.health_score as score_at_alert, alerts.top_driver_down,
                alerts.account_id, dim.account_name, dim.customer_tier, dim.health_score,
                dim.health_band, dim.recommended_action, dim.is_churned
            from marts.{ALERTS} as alerts
            left join marts.{DIM} as dim on alerts.account_id = dim.account_id
            where alerts.alerted_on > ? and alerts.alerted_on <= ?
            order by
                case alerts.severity when 'critical' then 0 when 'high' then 1 else 2 end,
                alerts.alerted_on desc, alerts.health_score
            """,
            [as_of - timedelta(days=options.alert_days), as_of],
        )
        alerts_weekly = _frame(
            con,
            f"""
            select date_trunc('week', alerted_on)::date as week_on, alert_type,
                min(severity) as severity, count(*) as alerts
            from marts.{ALERTS}
            where alerted_on > ? and alerted_on <= ?
            group by all
            order by week_on, alert_type
            """,
            [as_of - timedelta(weeks=options.alert_weeks), as_of],
        )
        row = con.execute(
            f"select count(*) from marts.{ALERTS} as alerts"
            f" join marts.{DIM} as dim on alerts.account_id = dim.account_id"
            " where not dim.is_churned and alerts.alerted_on > ? and alerts.alerted_on <= ?",
            [as_of - timedelta(days=7), as_of],
        ).fetchone()
        alerts_last_7d = int(row[0]) if row else 0
        backtest_all = _frame(
            con,
            f"select * from marts.{BACKTEST_SUMMARY} where segment_type = 'all'"
            " order by score_name = ? desc, auc desc",
            [COMPOSITE],
        )
        backtest_snapshots = _frame(
            con,
            f"""
            select segment_value::date as snapshot_on, auc, churn_rate, count_account_snapshots
            from marts.{BACKTEST_SUMMARY}
            where segment_type = 'snapshot' and score_name = ?
            order by snapshot_on
            """,
            [COMPOSITE],
        )
        horizon = con.execute(f"select max(horizon_days) from marts.{BACKTEST}").fetchone()
        # Imported here: the revenue module reads this module's table names.
        from python_checks.report.revenue import load_revenue

        revenue = load_revenue(con, current, options.at_risk_accounts)
        return ReportData(
            database=database,
            build=build,
            bands=bands,
            stages=stages,
            tiers=customer_tiers(),
            band_history=band_history,
            weight_changes=tuple(r[0] for r in changes),
            current=current,
            at_risk=at_risk,
            segments=segments,
            owner_books=owner_books,
            alert_quality=alert_quality,
            alerts_recent=alerts_recent,
            alerts_weekly=alerts_weekly,
            alerts_last_7d=alerts_last_7d,
            backtest_all=backtest_all,
            backtest_snapshots=backtest_snapshots,
            horizon_days=int(horizon[0]) if horizon and horizon[0] is not None else None,
            weights_in_force=_weights_in_force(con, as_of, stages),
            weights_scheduled=_weights_scheduled(con, as_of),
            options=options,
            revenue=revenue,
        )
    finally:
        con.close()
