"""Read what the calibration needs from a build database: weights in force, bands, snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from python_checks.bands import Band, database_bands

WEIGHTS_COLUMNS = [
    "effective_from",
    "lifecycle_stage",
    "customer_tier",
    "signal_name",
    "weight",
    "reason",
    "author",
]


@dataclass(frozen=True)
class WeightSet:
    """One weight set of seed health_weights: a stage * tier from effective_from on."""

    lifecycle_stage: str
    customer_tier: str
    effective_from: date
    signals: tuple[str, ...]
    weights: np.ndarray

    @property
    def key(self) -> tuple[str, str]:
        return (self.lifecycle_stage, self.customer_tier)


@dataclass(frozen=True)
class SetData:
    """The back-test rows scored by one weight set, with each of its signals' scores that day.

    ``scores`` holds the signal scores (0 where missing), ``present`` 1.0 where the signal had a
    value; columns follow ``weight_set.signals``.
    """

    weight_set: WeightSet
    snapshot_on: np.ndarray
    account_id: np.ndarray
    churned_on: np.ndarray
    churned: np.ndarray
    backtest_score: np.ndarray
    scores: np.ndarray
    present: np.ndarray

    def subset(self, mask: np.ndarray) -> SetData:
        return SetData(
            self.weight_set,
            self.snapshot_on[mask],
            self.account_id[mask],
            self.churned_on[mask],
            self.churned[mask],
            self.backtest_score[mask],
            self.scores[mask],
            self.present[mask],
        )

    @property
    def rows(self) -> int:
        return len(self.churned)

    @property
    def churned_rows(self) -> int:
        return int(self.churned.sum())

    @property
    def churn_events(self) -> int:
        """Distinct churns (account and churn day): one churn is a positive on several snapshots."""
        pairs = {
            (account, str(day))
            for account, day, churned in zip(
                self.account_id, self.churned_on, self.churned, strict=True
            )
            if churned
        }
        return len(pairs)


def as_of_date(con: duckdb.DuckDBPyConnection) -> date:
    row = con.execute("select as_of_on from intermediate.int_as_of_date").fetchone()
    if row is None:
        raise ValueError("intermediate.int_as_of_date is empty")
    return row[0]


def churn_horizon_days(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("select max(horizon_days) from marts.fct_health_backtest").fetchone()
    if row is None or row[0] is None:
        raise ValueError("marts.fct_health_backtest is empty: nothing to calibrate on")
    return int(row[0])


def current_weight_sets(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], WeightSet]:
    """The latest set of every stage * tier in config.health_weights, signals in seed order."""
    frame = con.execute(
        """
        select effective_from, lifecycle_stage, customer_tier, signal_name, weight
        from config.health_weights
        qualify effective_from = max(effective_from) over (partition by lifecycle_stage, customer_tier)
        order by rowid
        """
    ).df()
    sets: dict[tuple[str, str], WeightSet] = {}
    for (stage, tier), group in frame.groupby(["lifecycle_stage", "customer_tier"], sort=False):
        effective_from = pd.Timestamp(group["effective_from"].iloc[0]).date()
        sets[(str(stage), str(tier))] = WeightSet(
            str(stage),
            str(tier),
            effective_from,
            tuple(str(name) for name in group["signal_name"]),
            group["weight"].to_numpy(dtype=float),
        )
    return sets


def latest_effective_from(con: duckdb.DuckDBPyConnection) -> date:
    row = con.execute("select max(effective_from) from config.health_weights").fetchone()
    if row is None or row[0] is None:
        raise ValueError("config.health_weights is empty")
    return row[0]


def known_signals(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("select distinct signal_name from config.signal_thresholds").fetchall()
    return {str(row[0]) for row in rows}


def bands(con: duckdb.DuckDBPyConnection) -> list[Band]:
    return list(database_bands(con))


def load_set_data(
    con: duckdb.DuckDBPyConnection, sets: dict[tuple[str, str], WeightSet]
) -> dict[tuple[str, str], SetData]:
    """Every back-test account-snapshot with its signals' scores on the snapshot day, grouped by
    the weight set in force for its stage and tier."""
    backtest = con.execute(
        """
        select backtest.snapshot_on, backtest.account_id, backtest.lifecycle_stage,
            backtest.customer_tier, backtest.health_score, backtest.is_churned_within_horizon,
            backtest.churned_on,
            -- The tier of the set in force today for the row's stage and tier, as the build picked
            -- it (macro score_health: the tier's own set over the default set).
            health.current_weights_tier as weights_tier
        from marts.fct_health_backtest as backtest
        left join intermediate.int_account_health_daily as health
            on backtest.account_id = health.account_id and backtest.snapshot_on = health.date_day
        order by backtest.snapshot_on, backtest.account_id
        """
    ).df()
    signals = con.execute(
        """
        select signals.date_day as snapshot_on, signals.account_id, signals.signal_name,
            signals.is_missing,
            -- A present signal without a score counts as neutral, as its null points do in dbt.
            case when not signals.is_missing then coalesce(signals.score, 50) end as score
        from intermediate.int_account_signals_daily as signals
        semi join marts.fct_health_backtest as backtest
            on signals.account_id = backtest.account_id
            and signals.date_day = backtest.snapshot_on
        """
    ).df()
    scores = signals.pivot_table(
        index=["snapshot_on", "account_id"],
        columns="signal_name",
        values="score",
        aggfunc="first",
        dropna=False,
    )
    result: dict[tuple[str, str], SetData] = {}
    for key, weight_set in sets.items():
        stage, tier = key
        rows = backtest[
            (backtest["lifecycle_stage"] == stage) & (backtest["weights_tier"] == tier)
        ].reset_index(drop=True)
        index = pd.MultiIndex.from_arrays([rows["snapshot_on"], rows["account_id"]])
        wide = scores.reindex(index=index, columns=list(weight_set.signals))
        values = wide.to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(values)
        result[key] = SetData(
            weight_set=weight_set,
            snapshot_on=rows["snapshot_on"].to_numpy(dtype="datetime64[D]"),
            account_id=rows["account_id"].to_numpy(dtype=object),
            churned_on=rows["churned_on"].to_numpy(dtype="datetime64[D]"),
            churned=rows["is_churned_within_horizon"].to_numpy(dtype=bool),
            backtest_score=rows["health_score"].to_numpy(dtype=float, na_value=np.nan),
            scores=np.where(present, values, 0.0),
            present=present.astype(float),
        )
    return result
