"""Today's scores for the CRM: one row per current customer's CRM account, in a shape bulk
upserts take. A churned customer is left out: its last score went out on its last day."""

from __future__ import annotations

from pathlib import Path

import duckdb

from python_checks.publish.served import MARTS_SCHEMA
from python_checks.publish.sql import quote_literal

CRM_EXPORT_DIR = "crm_export"
CRM_EXPORT_NAME = "account_health_scores"
SOURCE_TABLE = "dim_account_health"
# Column in the export <- expression on dim_account_health. Names are plain snake_case so a
# CRM field mapping (e.g. Salesforce Bulk API 2.0 upsert on an external id) maps them once.
CRM_COLUMNS: dict[str, str] = {
    "crm_account_id": "account_id",
    "health_score": "health_score",
    "health_band": "health_band",
    "top_drivers_down": "drivers_down",
    "top_drivers_up": "drivers_up",
    "recommended_action": "recommended_action",
    "as_of": "scored_on",
}
# Scored today: dim_account_health keeps churned customers too, scored on their churn day.
TODAY_ONLY = "not is_churned"


def crm_export_query(catalog: str) -> str:
    columns = ",\n    ".join(f"{source} as {target}" for target, source in CRM_COLUMNS.items())
    return (
        f"select\n    {columns}\nfrom {catalog}.{MARTS_SCHEMA}.{SOURCE_TABLE}\n"
        f"where {TODAY_ONLY}\norder by crm_account_id"
    )


def write_crm_export(con: duckdb.DuckDBPyConnection, catalog: str, folder: Path) -> int:
    """Write ``<folder>/account_health_scores.csv`` and ``.parquet``; returns the row count."""
    folder.mkdir(parents=True)
    query = crm_export_query(catalog)
    csv = folder / f"{CRM_EXPORT_NAME}.csv"
    parquet = folder / f"{CRM_EXPORT_NAME}.parquet"
    con.execute(
        f"copy ({query}) to {quote_literal(str(csv))} (format csv, header true, delimiter ',',"
        " dateformat '%Y-%m-%d')"
    )
    con.execute(
        f"copy ({query}) to {quote_literal(str(parquet))} (format parquet, compression zstd)"
    )
    row = con.execute(f"select count(*) from ({query})").fetchone()
    return int(row[0]) if row else 0
