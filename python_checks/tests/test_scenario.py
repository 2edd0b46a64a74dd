"""Weights scenarios on a generated build: compare (a re-scored copy) and what-if (one signal)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from python_checks.build_fixtures import Build
from python_checks.calibrate.data import WEIGHTS_COLUMNS
from python_checks.dbt_runner import PROJECT_DIR
from python_checks.scenario.__main__ import main
from python_checks.scenario.compare import Comparison, compare
from python_checks.scenario.what_if import (
    Change,
    WhatIf,
    WhatIfError,
    compile_what_if,
    run_what_if,
    what_if,
)
from python_checks.vocabulary import scoring_signals

pytestmark = pytest.mark.build

SEED = PROJECT_DIR / "seeds" / "health_weights.csv"
MOVED_TO = "days_since_last_login"


@pytest.fixture(scope="module")
def built(sample_build: Build) -> Build:
    return sample_build


def _digest(build: Build) -> tuple:
    return build.query(
        "select count(*), sum(hash(account_id, health_score, health_band))"
        " from marts.dim_account_health"
    )[0]


def _run_compare(
    built: Build, weights: Path, name: str, out: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Comparison, str]:
    """Run the scenario CLI; the comparison and what it printed to stderr (its warnings)."""
    before = _digest(built)
    code = main(
        [
            "compare",
            "--weights",
            str(weights),
            "--name",
            name,
            "--database",
            str(built.db_path),
            "--out",
            str(out),
            "--raw-dir",
            str(built.raw_dir),
        ]
    )
    assert code == 0
    assert (out / f"{name}_comparison.md").exists()
    assert _digest(built) == before, "the production database changed"
    return compare(built.db_path, out / f"{name}.duckdb", name), capsys.readouterr().err


def _accounts(built: Build) -> int:
    return built.query("select count(*) from marts.dim_account_health")[0][0]


def test_production_weights_against_themselves_change_no_band(
    built: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comparison, printed = _run_compare(built, SEED, "same", tmp_path, capsys)
    # The build's own sets in force on the as-of date are production's: the user is told.
    assert "equal production's: today's scores cannot change" in printed
    assert comparison.band_changes() == []
    matrix = comparison.matrix()
    assert sum(matrix.values()) == _accounts(built)
    assert all(before == after for before, after in matrix)
    assert comparison.after.mean_score == pytest.approx(comparison.before.mean_score, abs=0.01)


def _moved_weights(path: Path) -> Path:
    """Every set gives half of each weight to days_since_last_login (sets still sum to 1)."""
    with SEED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        weight = float(row["weight"])
        row["weight"] = f"{weight / 2 + (0.5 if row['signal_name'] == MOVED_TO else 0):.5f}"
        row["reason"] = "Scenario: half of every weight on days since last login"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=WEIGHTS_COLUMNS, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_moving_weight_changes_scores(
    built: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weights = _moved_weights(tmp_path / "login_heavy.csv")
    comparison, printed = _run_compare(built, weights, "login_heavy", tmp_path / "out", capsys)
    assert "today's scores cannot change" not in printed
    matrix = comparison.matrix()
    assert sum(matrix.values()) == _accounts(built)
    assert comparison.score_changes() > _accounts(built) // 4
    assert comparison.after.mean_score != pytest.approx(comparison.before.mean_score, abs=0.05)
    changes = comparison.band_changes()
    assert sum(count for (b, a), count in matrix.items() if b != a) == len(changes)
    # The scenario database holds the new weights; production keeps its own.
    con = duckdb.connect(str(tmp_path / "out" / "login_heavy.duckdb"), read_only=True)
    try:
        source, weight = con.execute(
            "select any_value(weights_source), max(weight) from intermediate.int_health_weights"
            f" where signal_name = '{MOVED_TO}'"
        ).fetchone() or (None, None)
    finally:
        con.close()
    assert source == "scenario_login_heavy"
    assert weight > 0.5
    report = (tmp_path / "out" / "login_heavy_comparison.md").read_text()
    assert "Band migration" in report and "alerts in the last 30 days" in report


def test_incomplete_weights_file_is_refused(built: Build, tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    partial = tmp_path / "partial.csv"
    partial.write_text("\n".join(line for line in lines if ",renewal," not in line) + "\n")
    code = main(
        [
            "compare",
            "--weights",
            str(partial),
            "--database",
            str(built.db_path),
            "--out",
            str(tmp_path / "out"),
            "--raw-dir",
            str(built.raw_dir),
        ]
    )
    assert code == 2
    assert not (tmp_path / "out" / "partial.duckdb").exists()


def _candidate(built: Build) -> tuple[str, str, float, float]:
    """An account's present signal with positive weight and an absolute score below 100, its
    current value and the value that scores 100 (stage row over 'all')."""
    row = built.query(
        """
        with latest as (
            select contributions.*
            from intermediate.int_account_signal_contributions as contributions
            inner join marts.dim_account_health as dim
                on contributions.account_id = dim.account_id
                and contributions.date_day = dim.scored_on
            where not dim.is_override_applied
        ),
        thresholds as (
            select signals.account_id, signals.signal_name, signals.score_absolute,
                thresholds.value_at_100
            from intermediate.int_account_signals_daily as signals
            inner join latest
                on signals.account_id = latest.account_id
                and signals.date_day = latest.date_day
                and signals.signal_name = latest.signal_name
            inner join config.signal_thresholds as thresholds
                on signals.signal_name = thresholds.signal_name
                and thresholds.lifecycle_stage in (signals.lifecycle_stage, 'all')
            qualify row_number() over (
                partition by signals.account_id, signals.signal_name
                order by case when thresholds.lifecycle_stage = 'all' then 1 else 0 end
            ) = 1
        )
        select latest.account_id, latest.signal_name, latest.signal_value,
            thresholds.value_at_100
        from latest
        inner join thresholds
            on latest.account_id = thresholds.account_id
            and latest.signal_name = thresholds.signal_name
        where not latest.is_missing and latest.weight > 0.02 and thresholds.score_absolute < 50
        order by latest.weight desc, latest.account_id, latest.signal_name
        limit 1
        """
    )
    assert row, "no account with a weak, weighted signal"
    account, signal, value, best = row[0]
    return str(account), str(signal), float(value), float(best)


def _what_if(built: Build, account: str, signal: str, value: float) -> WhatIf:
    return what_if(built.db_path, account, signal, value)


def test_what_if_with_every_stored_value_gives_the_build(built: Build) -> None:
    """Every signal of every scored account, put back at its stored value (missing ones as
    missing), through the what-if's SQL: each account's score, band, coverage, dimension scores
    and drivers, and each signal's value and score, are the build's to the last bit."""
    signals = scoring_signals()
    names = [name for dimension_names in signals.values() for name in dimension_names]
    values = ", ".join(f"stored.{name}__value" for name in names)
    stored = built.query(
        f"""
        select stored.account_id, [{values}]
        from intermediate.int_account_signal_scores as stored
        inner join (
            select account_id, max(date_day) as date_day
            from intermediate.int_account_health_daily group by account_id
        ) as latest
            on stored.account_id = latest.account_id and stored.date_day = latest.date_day
        """
    )
    changes = [
        Change(str(account_id), name, value)
        for account_id, row_values in stored
        for name, value in zip(names, row_values, strict=True)
    ]
    con = duckdb.connect(str(built.db_path), read_only=True)
    try:
        results = run_what_if(con, compile_what_if(built.db_path), changes)
        health = {
            (str(row[0]), row[1]): row[2:]
            for row in con.execute(
                # The latest day's drivers are labelled in the movers (the stored days keep
                # only the top driver down).
                "select account_id, date_day, health_score, health_band, coverage,"
                " movers.drivers_down, movers.drivers_up, top_driver_down, "
                + ", ".join(f"score_{dimension}" for dimension in signals)
                + " from intermediate.int_account_health_daily"
                " left join intermediate.int_account_health_movers as movers"
                " using (account_id, date_day)"
            ).fetchall()
        }
    finally:
        con.close()
    assert len(stored) > 100
    assert sorted((r.account_id, r.signal_name) for r in results) == sorted(
        (c.account_id, c.signal_name) for c in changes
    )
    assert any(r.score_before is None for r in results), "no missing signal was put back"
    for result in results:
        key = (result.account_id, result.signal_name)
        assert (result.value_after, result.score_after) == (
            result.value_before,
            result.score_before,
        ), key
        after = (
            result.health_score_after,
            result.health_band_after,
            result.coverage_after,
            result.drivers_down_after,
            result.drivers_up_after,
            result.top_driver_down_after,
            *result.dimension_scores_after.values(),
        )
        assert after == health[(result.account_id, result.day)], key


def test_what_if_with_a_better_value_raises_the_score(
    built: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    account, signal, value, best = _candidate(built)
    result = _what_if(built, account, signal, best)
    assert result.weight > 0
    assert result.value_before == pytest.approx(value)
    assert result.score_absolute_after == pytest.approx(100.0)
    assert result.health_score_after is not None and result.health_score_before is not None
    assert result.health_score_after > result.health_score_before
    published = built.query(
        f"select computed_health_score, health_band from marts.dim_account_health"
        f" where account_id = '{account}'"
    )[0]
    assert round(result.health_score_before, 1) == pytest.approx(published[0], abs=0.051)
    assert result.health_band_before == published[1]
    code = main(
        [
            "what-if",
            "--database",
            str(built.db_path),
            "--account",
            account,
            "--signal",
            signal,
            "--value",
            str(best),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert (
        f"health score {result.health_score_before:.1f} → {result.health_score_after:.1f}"
        in printed
    )
    assert f"band {result.health_band_before} → {result.health_band_after}" in printed


def test_what_if_names_an_unknown_signal(built: Build) -> None:
    with pytest.raises(WhatIfError, match="not in var signals"):
        _what_if(built, "any", "no_such_signal", 1.0)
