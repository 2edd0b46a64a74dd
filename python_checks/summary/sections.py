"""The summary's sections. Each takes a read-only connection and returns lines (empty: skipped)."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from python_checks.bands import build_bands
from python_checks.summary.format import table
from python_checks.summary.revenue import (
    churn_calibration,
    renewals_and_risk,
    revenue_reconciliation,
    revenue_retention,
)
from python_checks.vocabulary import scoring_dimensions

Section = Callable[[duckdb.DuckDBPyConnection], list[str]]


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    sql = "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    row = con.execute(sql, [schema, name]).fetchone()
    return bool(row and row[0])


def _band_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [band.band for band in build_bands(con)]


def rows_per_layer(con: duckdb.DuckDBPyConnection) -> list[str]:
    sql = """
        select
            case
                when table_name like 'base\\_%' escape '\\' then '1 raw rows (base)'
                when table_name like 'stg\\_%' escape '\\' then '2 staging (clean)'
                when table_name like 'quarantine\\_%' escape '\\' then '3 quarantine'
                when table_schema = 'intermediate' then '4 intermediate'
                when table_schema = 'marts' then '5 marts'
            end as layer,
            table_schema,
            table_name
        from information_schema.tables
        where table_schema in ('staging', 'intermediate', 'marts')
    """
    rows = []
    for layer, schema, name in con.execute(sql).fetchall():
        if layer is None:
            continue
        count = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
        rows.append((layer, name, count[0] if count else 0))
    rows.sort()
    totals: dict[str, tuple[int, int]] = {}
    for layer, _name, count in rows:
        models, total = totals.get(layer, (0, 0))
        totals[layer] = (models + 1, total + count)
    return table(
        "Rows per layer",
        ["layer", "models", "rows"],
        [(layer[2:], m, t) for layer, (m, t) in sorted(totals.items())],
    )


def raw_row_accounting(con: duckdb.DuckDBPyConnection) -> list[str]:
    tables = con.execute(
        """
        select table_name from information_schema.tables
        where table_schema = 'staging' and table_name like 'base\\_%' escape '\\'
        order by table_name
        """
    ).fetchall()
    rows = []
    for (name,) in tables:
        counts = con.execute(
            f"""
            select
                count(*),
                count(*) filter (where _row_status = 'staged'),
                count(*) filter (where _row_status = 'duplicate'),
                count(*) filter (where _row_status = 'soft_deleted'),
                count(*) filter (where _row_status = 'quarantined')
            from staging."{name}"
            """
        ).fetchone()
        if counts:
            rows.append((name.removeprefix("base_").replace("__", "."), *counts))
    return table(
        "Raw rows by fate (raw = staged + duplicates + soft-deleted + quarantined)",
        ["table", "raw", "staged", "duplicates", "soft_deleted", "quarantined"],
        rows,
    )


def quarantine_by_reason(con: duckdb.DuckDBPyConnection) -> list[str]:
    names = [
        r[0]
        for r in con.execute(
            """
            select table_name from information_schema.tables
            where table_schema = 'staging' and table_name like 'quarantine\\_%' escape '\\'
            order by table_name
            """
        ).fetchall()
    ]
    if not names:
        return []
    union = " union all ".join(
        f'select source_table, quarantine_reason from staging."{n}"' for n in names
    )
    rows = con.execute(
        f"""
        select source_table, quarantine_reason, count(*) as rows
        from ({union}) as quarantined
        group by all
        order by source_table, rows desc
        """
    ).fetchall()
    return table("Rows quarantined by reason", ["table", "reason", "rows"], rows)


def identity_links(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "intermediate", "int_account_identity"):
        return []
    rows = con.execute(
        """
        select
            system,
            count(*) as records,
            count(*) filter (where match_rule = 'explicit_id') as by_explicit_id,
            count(*) filter (where match_rule = 'email_domain') as by_email_domain,
            count(*) filter (where match_rule = 'support_organization') as by_organization,
            count(*) filter (where not is_linked) as unlinked
        from intermediate.int_account_identity
        group by system
        order by system
        """
    ).fetchall()
    return table(
        "Identity: records linked to a CRM account",
        ["system", "records", "explicit_id", "email_domain", "via_org", "unlinked"],
        rows,
    )


def stage_mix(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "marts", "dim_account_health"):
        return []
    rows = con.execute(
        """
        select lifecycle_stage, count(*) as accounts, round(100.0 * count(*) / sum(count(*)) over (), 1)
        from marts.dim_account_health
        where not is_churned
        group by lifecycle_stage
        order by accounts desc
        """
    ).fetchall()
    return table("Lifecycle stage of current customers", ["stage", "accounts", "%"], rows)


def dimension_distributions(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "marts", "dim_account_health"):
        return []
    dimensions = scoring_dimensions()
    rows = []
    for dimension in dimensions:
        row = con.execute(
            f"""
            select
                count(score_{dimension}),
                round(min(score_{dimension}), 1),
                round(quantile_cont(score_{dimension}, 0.25), 1),
                round(median(score_{dimension}), 1),
                round(quantile_cont(score_{dimension}, 0.75), 1),
                round(max(score_{dimension}), 1)
            from marts.dim_account_health
            where not is_churned
            """
        ).fetchone()
        if row:
            rows.append((dimension, *row))
    return table(
        "Dimension sub-scores of current customers (0-100)",
        ["dimension", "accounts", "min", "p25", "median", "p75", "max"],
        rows,
    )


def band_mix(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "marts", "dim_account_health"):
        return []
    rows = con.execute(
        """
        select health_band, count(*), round(100.0 * count(*) / sum(count(*)) over (), 1),
               round(sum(mrr), 0)
        from marts.dim_account_health
        where not is_churned
        group by health_band
        order by min(health_score)
        """
    ).fetchall()
    return table("Health bands of current customers", ["band", "accounts", "%", "mrr"], rows)


def most_at_risk(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "marts", "dim_account_health"):
        return []
    rows = con.execute(
        """
        select account_id, customer_tier, lifecycle_stage, health_score, score_change_30d,
               recommended_action, drivers_down
        from marts.dim_account_health
        where not is_churned
        order by health_score, account_id
        limit 10
        """
    ).fetchall()
    return table(
        "The ten accounts most at risk",
        ["account", "tier", "stage", "score", "30d", "action", "top drivers down (value, points)"],
        rows,
    )


def latest_alerts(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "marts", "fct_health_alerts"):
        return []
    rows = con.execute(
        """
        select account_id, severity, alert_type, alert_message
        from marts.fct_health_alerts
        where alerted_on = (select max(alerted_on) from marts.fct_health_alerts)
        order by case severity when 'critical' then 1 when 'high' then 2 else 3 end, account_id
        """
    ).fetchall()
    day = con.execute("select max(alerted_on) from marts.fct_health_alerts").fetchone()
    title = f"Alerts of the last day ({day[0] if day else '-'})"
    return table(title, ["account", "severity", "type", "message"], rows)


def backtest_headline(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "marts", "rpt_health_backtest_summary"):
        return []
    bands = _band_names(con)
    rows = con.execute(
        f"""
        select score_name, count_snapshots, count_account_snapshots, count_churned, auc,
               {", ".join(f"churn_rate_{band}" for band in bands)}, lift_lowest_decile
        from marts.rpt_health_backtest_summary
        where segment_type = 'all'
        order by score_name != 'health_score', auc desc
        """
    ).fetchall()
    return table(
        "Back-test: does a low score come before churn within the horizon?",
        [
            "score",
            "snapshots",
            "acct-snaps",
            "churned",
            "AUC",
            f"churn {bands[0]}",
            *bands[1:],
            "lift low 10%",
        ],
        rows,
    )


def owner_books(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "marts", "rpt_owner_book"):
        return []
    lowest = _band_names(con)[0]
    rows = con.execute(
        f"""
        select coalesce(owner_name, owner_user_id), count_accounts, round(arr), count_{lowest},
               count_movers_down, count_open_alerts, count_renewals_due
        from marts.rpt_owner_book
        order by arr desc nulls last, owner_user_id
        """
    ).fetchall()
    return table(
        "The CSMs' books (rpt_owner_book)",
        ["owner", "customers", "ARR", lowest, "movers down", "open alerts", "renewals due"],
        rows,
    )


def alert_quality(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not _exists(con, "marts", "rpt_alert_quality"):
        return []
    rows = con.execute(
        """
        select alert_type, count_alerts, alerts_per_account_month, alert_precision,
               pct_churns_warned, pct_churned_revenue_warned, median_lead_days
        from marts.rpt_alert_quality
        order by alert_type != 'all', alert_type
        """
    ).fetchall()
    return table(
        "Alert quality: followed by churn (precision), churns warned 30+ days ahead",
        ["type", "alerts", "per acct-month", "precision", "churns warned", "MRR warned", "lead"],
        rows,
    )


SECTIONS: list[Section] = [
    rows_per_layer,
    raw_row_accounting,
    quarantine_by_reason,
    identity_links,
    stage_mix,
    dimension_distributions,
    band_mix,
    most_at_risk,
    latest_alerts,
    owner_books,
    alert_quality,
    backtest_headline,
    revenue_reconciliation,
    renewals_and_risk,
    churn_calibration,
    revenue_retention,
]
