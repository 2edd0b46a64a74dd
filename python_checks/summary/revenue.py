"""The summary's revenue sections: reconciliation, renewals and risk, calibration, retention."""

from __future__ import annotations

import duckdb

from python_checks.summary.format import table


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    sql = "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = ?"
    row = con.execute(sql, [name]).fetchone()
    return bool(row and row[0])


def revenue_reconciliation(con: duckdb.DuckDBPyConnection) -> list[str]:
    """This month's contracted against invoiced MRR, per reason class."""
    if not _exists(con, "fct_revenue_reconciliation"):
        return []
    rows = con.execute(
        """
        select reason_class, count(*) as accounts, round(sum(contracted_mrr), 0),
            round(sum(invoiced_mrr), 0), round(sum(mrr_difference), 0)
        from marts.fct_revenue_reconciliation
        where month_start_on = (select max(month_start_on) from marts.fct_revenue_reconciliation)
        group by reason_class
        order by accounts desc
        """
    ).fetchall()
    return table(
        "Revenue reconciliation, latest month: contract (seats x price) against invoices",
        ["reason", "accounts", "contracted MRR", "invoiced MRR", "difference"],
        rows,
    )


def renewals_and_risk(con: duckdb.DuckDBPyConnection) -> list[str]:
    """ARR, revenue at risk and renewals in the next 90 days, per band."""
    if not _exists(con, "dim_account_health"):
        return []
    rows = con.execute(
        """
        select health_band, count(*) as accounts, round(sum(arr), 0),
            round(avg(churn_probability), 3), round(sum(revenue_at_risk), 0),
            count(*) filter (where days_to_renewal <= 90),
            round(coalesce(sum(arr_up_for_renewal) filter (where days_to_renewal <= 90), 0), 0)
        from marts.dim_account_health
        where not is_churned
        group by health_band
        order by min(health_score)
        """
    ).fetchall()
    return table(
        "ARR, churn probability and revenue at risk of current customers",
        [
            "band",
            "accounts",
            "ARR",
            "avg churn prob",
            "revenue at risk",
            "renew <=90d",
            "ARR renewing <=90d",
        ],
        rows,
    )


def churn_calibration(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Out-of-time Brier score of the churn probability, per stage and overall."""
    if not _exists(con, "rpt_health_calibration"):
        return []
    rows = con.execute(
        """
        select lifecycle_stage, count_account_snapshots, mean_churn_probability,
            observed_churn_rate, brier_score, brier_score_reference, brier_skill
        from marts.rpt_health_calibration
        where score_bin = 'all'
        order by lifecycle_stage = 'all' desc, lifecycle_stage
        """
    ).fetchall()
    return table(
        "Churn probability out of time (held-out snapshots): predicted vs observed, Brier",
        ["stage", "acct-snaps", "predicted", "observed", "Brier", "base-rate Brier", "skill"],
        [(r[0], r[1], *(_fixed(v) for v in r[2:])) for r in rows],
    )


def _fixed(value: object, digits: int = 4) -> str:
    """Small rates and scores with enough digits to compare (the table's default is 2)."""
    return "-" if value is None else f"{float(value):.{digits}f}"  # type: ignore[arg-type]


def revenue_retention(con: duckdb.DuckDBPyConnection) -> list[str]:
    """GRR and NRR of the last six complete months."""
    if not _exists(con, "rpt_revenue_retention"):
        return []
    rows = con.execute(
        """
        select month_start_on, count_customers_start, starting_mrr, churned_mrr,
            contraction_mrr, expansion_mrr, gross_revenue_retention, net_revenue_retention
        from marts.rpt_revenue_retention
        order by month_start_on desc
        limit 6
        """
    ).fetchall()
    return table(
        "Revenue retention by month (invoiced MRR of the month's first-day customers)",
        ["month", "customers", "start MRR", "churned", "contraction", "expansion", "GRR", "NRR"],
        [(str(r[0]), *r[1:]) for r in rows],
    )
