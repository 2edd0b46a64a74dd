"""The DataFrames the suites validate: the marts read from DuckDB plus frames derived from them.

Great Expectations validates one DataFrame per suite. Checks that need more than one row at a
time (one current row per active account, no gaps in a history, alert volume) are expressed as
derived frames whose rows are the things checked: an active account, an account's history, the
alert window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from python_checks.bands import Band, band_of
from python_checks.vocabulary import scoring_dimensions

DIM = "dim_account_health"
DIM_ACTIVE = "dim_account_health__active_accounts"
DAILY = "fct_account_health_daily"
DAILY_SPANS = "fct_account_health_daily__account_days"
ALERTS = "fct_health_alerts"
ALERT_VOLUME = "fct_health_alerts__volume"

FRAME_NAMES = (DIM, DIM_ACTIVE, DAILY, DAILY_SPANS, ALERTS, ALERT_VOLUME)

SCORE_COLUMNS = (
    "health_score",
    "computed_health_score",
    "health_score_current_weights",
    *(f"score_{dimension}" for dimension in scoring_dimensions()),
)


@dataclass(frozen=True)
class FrameOptions:
    bands: tuple[Band, ...]
    # Alert volume is measured over the last window_days days up to the as-of date.
    alert_window_days: int


def _df(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def as_of_date(con: duckdb.DuckDBPyConnection) -> date:
    row = con.execute("select as_of_on from intermediate.int_as_of_date").fetchone()
    if row is None or row[0] is None:
        raise ValueError("intermediate.int_as_of_date is empty: is this a complete build?")
    return row[0]


def _with_seed_band(frame: pd.DataFrame, bands: tuple[Band, ...]) -> pd.DataFrame:
    frame = frame.copy()
    frame["seed_band"] = band_of(frame["health_score"].to_numpy(dtype=float), bands)
    return frame


def dim_frame(con: duckdb.DuckDBPyConnection, options: FrameOptions) -> pd.DataFrame:
    return _with_seed_band(_df(con, f"select * from marts.{DIM}"), options.bands)


def dim_active_frame(con: duckdb.DuckDBPyConnection, options: FrameOptions) -> pd.DataFrame:
    """One row per account active on the as-of date (int_accounts: started, not churned) with
    the number of current rows (not churned, scored on the as-of date) the dim holds for it."""
    as_of = as_of_date(con)
    return _df(
        con,
        f"""
        with active as (
            select account_id from intermediate.int_accounts
            where not is_churned and customer_start_on <= ?
        ),
        current_rows as (
            select account_id, count(*) as count_current_rows
            from marts.{DIM}
            where not is_churned and scored_on = ?
            group by account_id
        )
        select active.account_id, coalesce(current_rows.count_current_rows, 0) as count_current_rows
        from active
        left join current_rows on active.account_id = current_rows.account_id
        order by active.account_id
        """,
        [as_of, as_of],
    )


def daily_frame(con: duckdb.DuckDBPyConnection, options: FrameOptions) -> pd.DataFrame:
    columns = ", ".join(
        ["account_id", "date_day", "health_band", "coverage", "is_override_applied", *SCORE_COLUMNS]
    )
    return _with_seed_band(_df(con, f"select {columns} from marts.{DAILY}"), options.bands)


def daily_spans_frame(con: duckdb.DuckDBPyConnection, options: FrameOptions) -> pd.DataFrame:
    """One row per account of the daily history: its first and last day, the distinct days
    present and the days the span covers (last - first + 1); equal when there is no gap."""
    history = _df(con, f"select account_id, date_day from marts.{DAILY}")
    spans = (
        history.groupby("account_id", sort=True)["date_day"]
        .agg(first_day="min", last_day="max", count_rows="size", count_days="nunique")
        .reset_index()
    )
    spans["span_days"] = (spans["last_day"] - spans["first_day"]).dt.days + 1
    spans["missing_days"] = spans["span_days"] - spans["count_days"]
    return spans


def alerts_frame(con: duckdb.DuckDBPyConnection, options: FrameOptions) -> pd.DataFrame:
    return _df(con, f"select * from marts.{ALERTS}")


def alert_volume_frame(con: duckdb.DuckDBPyConnection, options: FrameOptions) -> pd.DataFrame:
    """One row: alerts raised and account-days scored in the window, and alerts per account per
    30 days (alerts / (account-days / 30)), so part-window customers count for their days."""
    as_of = as_of_date(con)
    window_start = as_of - timedelta(days=options.alert_window_days - 1)
    row = con.execute(
        f"""
        select
            (select count(*) from marts.{ALERTS} where alerted_on between ? and ?),
            (select count(*) from marts.{DAILY} where date_day between ? and ?)
        """,
        [window_start, as_of, window_start, as_of],
    ).fetchone()
    count_alerts, account_days = (row[0], row[1]) if row else (0, 0)
    per_account_30d = count_alerts / (account_days / 30) if account_days else None
    return pd.DataFrame(
        {
            "window_start": [pd.Timestamp(window_start)],
            "window_end": [pd.Timestamp(as_of)],
            "count_alerts": [count_alerts],
            "account_days": [account_days],
            "alerts_per_account_30d": [per_account_30d],
        }
    )


FrameBuilder = Callable[[duckdb.DuckDBPyConnection, FrameOptions], pd.DataFrame]

BUILDERS: dict[str, FrameBuilder] = {
    DIM: dim_frame,
    DIM_ACTIVE: dim_active_frame,
    DAILY: daily_frame,
    DAILY_SPANS: daily_spans_frame,
    ALERTS: alerts_frame,
    ALERT_VOLUME: alert_volume_frame,
}


def load_frames(
    con: duckdb.DuckDBPyConnection, options: FrameOptions, names: Iterable[str] = FRAME_NAMES
) -> dict[str, pd.DataFrame]:
    return {name: BUILDERS[name](con, options) for name in names}
