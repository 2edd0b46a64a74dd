"""Read the alerts to deliver from the marts of a (served) database, read-only.

Only `marts.fct_health_alerts`, `marts.dim_account_health` and, when present,
`publish.build_info` are read: the served database holds nothing else that delivery needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from python_checks.alerts.errors import AlertsError
from python_checks.publish.snapshot import quote_literal

CATALOG = "served"
ALERTS_TABLE = ("marts", "fct_health_alerts")
ACCOUNTS_TABLE = ("marts", "dim_account_health")
BUILD_INFO_TABLE = ("publish", "build_info")
ALERT_COLUMNS = (
    "alert_id",
    "account_id",
    "alerted_on",
    "alert_type",
    "severity",
    "health_score",
    "alert_message",
    "top_driver_down",
)
ACCOUNT_COLUMNS = (
    "account_id",
    "account_name",
    "owner_user_id",
    "scored_on",
    "health_score",
    "health_band",
    "drivers_down",
    "recommended_action",
    "action_reason",
)


@dataclass(frozen=True)
class Alert:
    """One alert with what its owner needs to act on it."""

    alert_id: str
    account_id: str
    alerted_on: date
    alert_type: str
    severity: str
    alert_score: float
    alert_message: str | None
    top_driver: str | None
    account_name: str | None
    owner_user_id: str | None
    current_score: float | None
    current_band: str | None
    drivers_down: str | None
    recommended_action: str | None
    action_reason: str | None


@dataclass(frozen=True)
class AlertSource:
    """The alerts of one database read in one snapshot, and the day they were built for."""

    as_of: date
    build_id: str | None
    alerts: tuple[Alert, ...]


def _table_name(table: tuple[str, str]) -> str:
    return ".".join(table)


def _columns(con: duckdb.DuckDBPyConnection, table: tuple[str, str]) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns"
        " where table_catalog = ? and table_schema = ? and table_name = ?",
        [CATALOG, *table],
    ).fetchall()
    return {row[0] for row in rows}


def _require(
    con: duckdb.DuckDBPyConnection, database: Path, table: tuple[str, str], needed: Iterable[str]
) -> None:
    present = _columns(con, table)
    if not present:
        raise AlertsError(
            f"{database} has no table {_table_name(table)}: point --database at a served (or"
            " build) database whose dbt build reached the marts"
        )
    missing = [column for column in needed if column not in present]
    if missing:
        raise AlertsError(
            f"{database}: table {_table_name(table)} has no column {', '.join(missing)}"
            " (built by an older version of the project? rebuild and publish)"
        )


def _as_of(con: duckdb.DuckDBPyConnection, database: Path) -> tuple[date, str | None]:
    """The build's as-of date: publish.build_info when served, else the accounts' latest day."""
    if {"as_of", "build_id"} <= _columns(con, BUILD_INFO_TABLE):
        row = con.execute(f"select as_of, build_id from {CATALOG}.publish.build_info").fetchone()
        if row and row[0] is not None:
            return row[0], row[1]
    row = con.execute(f"select max(scored_on) from {CATALOG}.marts.dim_account_health").fetchone()
    if not row or row[0] is None:
        raise AlertsError(
            f"{database}: marts.dim_account_health is empty, so the build's as-of date is unknown"
        )
    return row[0], None


def read_alerts(database: Path, *, window_days: int, also_ids: Iterable[str] = ()) -> AlertSource:
    """Alerts raised in the last ``window_days`` days up to the build's as-of date, plus the
    alerts ``also_ids`` (pending ones) whenever they were raised."""
    if not database.is_file():
        raise AlertsError(
            f"no database at {database}: run `make publish` (or pass --database <file>)"
        )
    con = duckdb.connect()
    try:
        try:
            con.execute(f"attach {quote_literal(str(database))} as {CATALOG} (read_only)")
        except duckdb.Error as exc:
            reason = str(exc).splitlines()[0]
            raise AlertsError(f"cannot open {database} read-only: {reason}") from exc
        _require(con, database, ALERTS_TABLE, ALERT_COLUMNS)
        _require(con, database, ACCOUNTS_TABLE, ACCOUNT_COLUMNS)
        as_of, build_id = _as_of(con, database)
        since = as_of - timedelta(days=window_days - 1)
        rows = con.execute(
            f"""
            select
                alerts.alert_id,
                alerts.account_id,
                alerts.alerted_on,
                alerts.alert_type,
                alerts.severity,
                alerts.health_score,
                alerts.alert_message,
                alerts.top_driver_down,
                accounts.account_name,
                accounts.owner_user_id,
                accounts.health_score,
                accounts.health_band,
                accounts.drivers_down,
                accounts.recommended_action,
                accounts.action_reason
            from {CATALOG}.marts.fct_health_alerts as alerts
            left join {CATALOG}.marts.dim_account_health as accounts
                on alerts.account_id = accounts.account_id
            where alerts.alerted_on >= ? or list_contains(?::varchar[], alerts.alert_id)
            order by alerts.alerted_on, alerts.account_id, alerts.alert_id
            """,
            [since, list(also_ids)],
        ).fetchall()
    finally:
        con.close()
    return AlertSource(as_of, build_id, tuple(Alert(*row) for row in rows))
