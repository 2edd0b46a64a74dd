"""Revenue, renewals and churn probability on the 160-account sample, against the hidden truth."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from python_checks.build_fixtures import Build
from python_checks.summary.__main__ import main as summary

pytestmark = pytest.mark.build


def _frame(build: Build, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(build.db_path), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_contracted_mrr_is_the_generators_mrr_today(sample_build: Build) -> None:
    """ARR / 12 of every current customer equals the hidden truth's MRR after its last event
    (price per seat times seats, a yearly price over 12), so the seats count, not the price alone."""
    compared = _frame(
        sample_build,
        f"""
        with events as (
            select * from read_parquet('{sample_build.truth_dir}/outcomes.parquet')
            where event_on <= (select as_of_on from intermediate.int_as_of_date)
        ),
        -- On a renewal day the seat change is the event after the renewal: prefer a change.
        truth as (
            select account_id, mrr_after
            from events
            qualify row_number() over (
                partition by account_id
                order by event_on desc, (mrr_after <> mrr_before) desc
            ) = 1
        )
        select dim.account_id, dim.arr / 12 as mrr, truth.mrr_after
        from marts.dim_account_health as dim
        inner join truth on dim.account_id = truth.account_id
        where not dim.is_churned
        """,
    )
    assert len(compared) >= 40
    wrong = compared[(compared["mrr"] - compared["mrr_after"]).abs() > 0.005]
    assert wrong.empty, wrong.to_string()


def test_brier_score_out_of_time_recomputed(sample_build: Build) -> None:
    """The held-out snapshots are the newest ones, scored with the evaluation fit only."""
    settings = _frame(
        sample_build,
        "select count(*) as bins, max(score_to) - max(score_from) as width"
        " from marts.rpt_churn_probability_bins"
        " where fit_set = 'evaluation' and lifecycle_stage = 'maturity'",
    ).iloc[0]
    width = float(settings["width"])
    backtest = _frame(sample_build, "select * from marts.fct_health_backtest")
    bins = _frame(
        sample_build,
        "select lifecycle_stage, score_bin, churn_probability"
        " from marts.rpt_churn_probability_bins where fit_set = 'evaluation'",
    )
    holdout = sorted(backtest["snapshot_on"].unique())[-3:]
    rows = backtest[backtest["snapshot_on"].isin(holdout)].copy()
    top = int(settings["bins"]) - 1
    rows["score_bin"] = (rows["health_score"] // width).clip(upper=top).astype(int)
    rows = rows.merge(bins, on=["lifecycle_stage", "score_bin"], how="left")
    assert rows["churn_probability"].notna().all()
    churned = rows["is_churned_within_horizon"].astype(float)
    brier = float(((rows["churn_probability"] - churned) ** 2).mean())
    reported = _frame(
        sample_build,
        "select count_account_snapshots, brier_score from marts.rpt_health_calibration"
        " where lifecycle_stage = 'all' and score_bin = 'all'",
    ).iloc[0]
    assert int(reported["count_account_snapshots"]) == len(rows)
    assert reported["brier_score"] == pytest.approx(brier, abs=1e-5)


def test_next_renewal_is_the_next_period_end(sample_build: Build) -> None:
    """A monthly customer renews within a month, an annual one within a year, never before
    the as-of date; the ARR up for renewal is no more than the customer's ARR."""
    renewals = _frame(
        sample_build,
        """
        select dim.account_id, dim.next_renewal_on, dim.days_to_renewal, dim.renewal_source,
            dim.arr, dim.arr_up_for_renewal, as_of.as_of_on
        from marts.dim_account_health as dim
        cross join intermediate.int_as_of_date as as_of
        where not dim.is_churned
        """,
    )
    assert not renewals.empty
    as_of = renewals["as_of_on"].iloc[0]
    days = (pd.to_datetime(renewals["next_renewal_on"]) - pd.Timestamp(as_of)).dt.days
    assert (days == renewals["days_to_renewal"]).all()
    limit = renewals["renewal_source"].map({"monthly_term": 31, "annual_term": 366})
    assert ((days >= 0) & (days <= limit.fillna(3660))).all()
    assert (renewals["arr_up_for_renewal"] <= renewals["arr"] + 0.01).all()


def test_summary_prints_revenue_sections(
    sample_build: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    assert summary(["--database", str(sample_build.db_path)]) == 0
    out = capsys.readouterr().out
    for title in (
        "== Revenue reconciliation, latest month",
        "== ARR, churn probability and revenue at risk of current customers",
        "== Churn probability out of time",
        "== Revenue retention by month",
    ):
        assert title in out
