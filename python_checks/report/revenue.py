"""Renewals and revenue at risk: what the report reads from the revenue marts, and its chart.

The numbers come from ``rpt_renewal_pipeline`` (renewals by month, band and source),
``rpt_health_calibration`` (is the churn probability right, out of time),
``rpt_revenue_retention`` (GRR/NRR by month) and ``dim_account_health`` (ARR, churn probability
and revenue at risk per customer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from python_checks.report.charts import INK, Chart, _layout, band_colors
from python_checks.report.data import CALIBRATION, PIPELINE, RETENTION

RENEWAL_SOON_DAYS = 90
RETENTION_MONTHS = 6


@dataclass(frozen=True)
class RevenueData:
    """The renewals and revenue-at-risk section's numbers, already aggregated."""

    pipeline: pd.DataFrame  # renewal_month_on, health_band, arr_up_for_renewal, revenue_at_risk
    calibration: pd.DataFrame  # per stage and 'all': the Brier score out of time
    retention: pd.DataFrame  # the last RETENTION_MONTHS months, newest first
    top_at_risk: pd.DataFrame  # current customers by revenue at risk
    arr: float
    revenue_at_risk: float
    arr_renewing_soon: float
    revenue_at_risk_renewing_soon: float


def _total(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].fillna(0).sum()) if not frame.empty else 0.0


def load_revenue(con: duckdb.DuckDBPyConnection, current: pd.DataFrame, rows: int) -> RevenueData:
    """Read the revenue marts; ``current`` is dim_account_health of current customers."""
    pipeline = con.execute(
        f"""
        select renewal_month_on, health_band, sum(count_accounts) as count_accounts,
            sum(arr_up_for_renewal) as arr_up_for_renewal, sum(revenue_at_risk) as revenue_at_risk
        from marts.{PIPELINE}
        group by all
        order by renewal_month_on, health_band
        """
    ).df()
    calibration = con.execute(
        f"""
        select * from marts.{CALIBRATION}
        where score_bin = 'all'
        order by lifecycle_stage = 'all' desc, lifecycle_stage
        """
    ).df()
    retention = con.execute(
        f"select * from marts.{RETENTION} order by month_start_on desc limit {RETENTION_MONTHS}"
    ).df()
    soon = current[current["days_to_renewal"].fillna(RENEWAL_SOON_DAYS + 1) <= RENEWAL_SOON_DAYS]
    soon_at_risk = soon["churn_probability"].fillna(0) * soon["arr_up_for_renewal"].fillna(0)
    top = current.sort_values(["revenue_at_risk", "account_id"], ascending=[False, True])
    return RevenueData(
        pipeline=pipeline,
        calibration=calibration,
        retention=retention,
        top_at_risk=top.head(rows).reset_index(drop=True),
        arr=_total(current, "arr"),
        revenue_at_risk=_total(current, "revenue_at_risk"),
        arr_renewing_soon=_total(soon, "arr_up_for_renewal"),
        revenue_at_risk_renewing_soon=float(soon_at_risk.sum()),
    )


def renewal_pipeline(pipeline: pd.DataFrame, bands: Sequence[str]) -> Chart:
    """ARR up for renewal per month, stacked by band (``bands``, lowest first), with the revenue
    at risk in it."""
    colors = band_colors(bands)
    figure = go.Figure()
    for band in bands:
        rows = pipeline[pipeline["health_band"] == band]
        figure.add_trace(
            go.Bar(
                x=rows["renewal_month_on"],
                y=rows["arr_up_for_renewal"],
                customdata=rows["count_accounts"],
                name=band,
                marker={"color": colors[band]},
                hovertemplate=f"{band}: %{{y:,.0f}} ARR (%{{customdata}} accounts)<extra></extra>",
            )
        )
    at_risk = pipeline.groupby("renewal_month_on", as_index=False)["revenue_at_risk"].sum()
    figure.add_trace(
        go.Scatter(
            x=at_risk["renewal_month_on"],
            y=at_risk["revenue_at_risk"],
            name="revenue at risk",
            mode="lines+markers",
            line={"color": INK, "width": 2},
            hovertemplate="revenue at risk: %{y:,.0f}<extra></extra>",
        )
    )
    figure.update_layout(barmode="stack", hovermode="x unified")
    figure.update_yaxes(title="ARR up for renewal", rangemode="tozero")
    figure.update_xaxes(title=None, dtick="M1", tickformat="%b %Y")
    return Chart("renewal-pipeline", _layout(figure, height=360))
