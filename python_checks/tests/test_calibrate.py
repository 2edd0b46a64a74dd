"""The weight calibration: the fit on synthetic data, and the tool on a generated build."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pytest

from python_checks.build_fixtures import Build, copy_project
from python_checks.calibrate.__main__ import PROPOSAL_FILE, REPORT_FILE, main
from python_checks.calibrate.calibration import presence_gaps, split_snapshots
from python_checks.calibrate.data import (
    WEIGHTS_COLUMNS,
    SetData,
    WeightSet,
    churn_horizon_days,
    current_weight_sets,
    load_set_data,
)
from python_checks.calibrate.evaluate import auc
from python_checks.calibrate.model import composite, fit_weights, round_weights
from python_checks.dbt_runner import PROJECT_DIR, run_dbt

pytestmark = pytest.mark.build

STAGES = ["onboarding", "adoption", "maturity", "renewal"]


@pytest.fixture(scope="module")
def built(sample_build: Build) -> Build:
    return sample_build


def _synthetic(rng: np.random.Generator, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Five signals, a fifth of the values missing; churn driven by signal 2 alone."""
    scores = rng.uniform(0, 100, size=(rows, 5))
    present = (rng.uniform(size=(rows, 5)) > 0.2).astype(float)
    present[:, 2] = 1.0
    logit = -2.0 - 0.08 * (scores[:, 2] - 50)
    churned = rng.uniform(size=rows) < 1 / (1 + np.exp(-logit))
    return np.where(present > 0, scores, 0.0), present, churned


def test_composite_leaves_missing_signals_out() -> None:
    scores = np.array([[80.0, 20.0, 0.0], [80.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    present = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    weights = np.array([0.25, 0.25, 0.5])
    result = composite(scores, present, weights)
    assert result[0] == pytest.approx(50.0)  # the missing signal's half is re-spread
    assert result[1] == pytest.approx(80.0)
    assert result[2] == pytest.approx(0.0)
    assert np.isnan(composite(scores[:1], np.array([[0.0, 0.0, 1.0]]), np.array([0.5, 0.5, 0.0])))[
        0
    ]


def test_fit_finds_the_signal_that_drives_churn() -> None:
    rng = np.random.default_rng(3)
    scores, present, churned = _synthetic(rng, 3000)
    uniform = np.full(5, 0.2)
    fit = fit_weights(scores, present, churned, uniform, l2=0.01)
    assert fit.converged, fit.message
    assert np.all(fit.weights >= 0)
    assert fit.weights.sum() == pytest.approx(1.0, abs=1e-9)
    assert int(np.argmax(fit.weights)) == 2, fit.weights
    assert fit.weights[2] > 0.5
    assert fit.slope < 0
    # Better than uniform on fresh data from the same process.
    scores, present, churned = _synthetic(rng, 3000)
    fitted_auc = auc(composite(scores, present, fit.weights), churned)
    uniform_auc = auc(composite(scores, present, uniform), churned)
    assert fitted_auc > uniform_auc + 0.05, (fitted_auc, uniform_auc)


def test_strong_l2_keeps_the_current_weights() -> None:
    scores, present, churned = _synthetic(np.random.default_rng(4), 1000)
    current = np.array([0.4, 0.3, 0.1, 0.1, 0.1])
    fit = fit_weights(scores, present, churned, current, l2=1e6)
    assert np.abs(fit.weights - current).max() < 1e-3


def test_rounded_weights_sum_to_exactly_one() -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        weights = rng.dirichlet(np.full(36, 0.3))
        rounded = round_weights(weights)
        units = np.rint(rounded * 10_000).astype(int)
        assert units.sum() == 10_000
        assert np.all(rounded >= 0)
        assert np.abs(rounded - weights).max() < 0.001


def test_signal_missing_only_for_churners_is_flagged() -> None:
    """Presence that depends on the outcome (a lookahead symptom) is reported."""
    scores, present, churned = _synthetic(np.random.default_rng(6), 2000)
    present[churned, 4] = 0.0
    scores[churned, 4] = 0.0
    rows = len(churned)
    weight_set = WeightSet(
        "maturity", "default", date(2024, 1, 1), tuple(f"s{j}" for j in range(5)), np.full(5, 0.2)
    )
    data = SetData(
        weight_set,
        snapshot_on=np.full(rows, np.datetime64("2025-01-01", "D")),
        account_id=np.arange(rows).astype(object),
        churned_on=np.full(rows, np.datetime64("NaT", "D")),
        churned=churned,
        backtest_score=np.full(rows, np.nan),
        scores=scores,
        present=present,
    )
    gaps = presence_gaps(data)
    assert [gap.signal_name for gap in gaps] == ["s4"]
    assert gaps[0].present_churned == 0 and gaps[0].present_retained > 0.7


def test_composite_reproduces_the_backtest_score(built: Build) -> None:
    """The calibration's composite under the weights in force is the mart's health_score."""
    con = duckdb.connect(str(built.db_path), read_only=True)
    try:
        sets = current_weight_sets(con)
        data = load_set_data(con, sets)
    finally:
        con.close()
    assert {stage for stage, _tier in data} == set(STAGES)
    checked = 0
    for set_data in data.values():
        score = composite(set_data.scores, set_data.present, set_data.weight_set.weights)
        scored = ~np.isnan(set_data.backtest_score)
        assert np.all(np.abs(score[scored] - set_data.backtest_score[scored]) <= 0.05 + 1e-9)
        checked += int(scored.sum())
    assert checked > 500


def _read_proposal(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [dict(zip(header, row, strict=True)) for row in reader]


def test_tool_writes_a_proposal_in_the_seed_format(built: Build, tmp_path: Path) -> None:
    out = tmp_path / "calibration"
    code = main(
        [
            "--database",
            str(built.db_path),
            "--out",
            str(out),
            "--min-churn-events",
            "1",
            "--min-auc-gain",
            "-1",
        ]
    )
    assert code == 0
    seed_header = (PROJECT_DIR / "seeds" / "health_weights.csv").read_text().splitlines()[0]
    header, rows = _read_proposal(out / PROPOSAL_FILE)
    assert ",".join(header) == seed_header == ",".join(WEIGHTS_COLUMNS)
    assert rows, "no set proposed although every gate was open"
    as_of, latest = built.query(
        "select (select as_of_on from intermediate.int_as_of_date),"
        " (select max(effective_from) from config.health_weights)"
    )[0]
    known = {r[0] for r in built.query("select signal_name from config.signal_thresholds")}
    current = {
        (stage, signal)
        for stage, signal in built.query(
            "select lifecycle_stage, signal_name from config.health_weights"
        )
    }
    units: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        effective_from = date.fromisoformat(row["effective_from"])
        assert effective_from > as_of and effective_from > latest
        assert row["lifecycle_stage"] in STAGES
        assert row["customer_tier"] == "default"
        assert row["signal_name"] in known
        assert (row["lifecycle_stage"], row["signal_name"]) in current
        assert row["author"] == "calibrate"
        assert row["reason"].startswith("Calibrated on ") and "out-of-time" in row["reason"]
        weight = float(row["weight"])
        assert 0 <= weight <= 1 and round(weight, 4) == weight
        units[(row["effective_from"], row["lifecycle_stage"], row["customer_tier"])] += round(
            weight * 10_000
        )
    assert set(units.values()) == {10_000}
    report = (out / REPORT_FILE).read_text()
    for stage in STAGES:
        assert f"## {stage} (default)" in report
    assert "AUC in-sample" in report and "Churn rate per band" in report


def test_proposal_loads_as_seed_rows(built: Build, tmp_path: Path) -> None:
    """Appended to seeds/health_weights.csv, the proposal passes the seed's own tests in dbt."""
    out = tmp_path / "calibration"
    args = ["--database", str(built.db_path), "--out", str(out)]
    assert main([*args, "--min-churn-events", "1", "--min-auc-gain", "-1"]) == 0
    proposal = (out / PROPOSAL_FILE).read_text(encoding="utf-8").splitlines()
    assert len(proposal) > 1
    project = copy_project(tmp_path / "project")
    seed = project / "seeds" / "health_weights.csv"
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\n".join(proposal[1:]) + "\n", encoding="utf-8"
    )
    copy = built.copy(tmp_path / "db")
    result = run_dbt(
        ["build", "--select", "health_weights"],
        raw_dir=copy.raw_dir,
        db_path=copy.db_path,
        work_dir=copy.work_dir,
        project_dir=project,
    )
    assert result.ok, result.output[-4000:]
    new_rows = copy.query("select count(*) from config.health_weights where author = 'calibrate'")[
        0
    ][0]
    assert new_rows == len(proposal) - 1


def _training_churn_events(built: Build) -> dict[str, int]:
    """Distinct churns in the training snapshots per stage, as the tool counts them."""
    con = duckdb.connect(str(built.db_path), read_only=True)
    try:
        data = load_set_data(con, current_weight_sets(con))
        horizon = churn_horizon_days(con)
    finally:
        con.close()
    snapshots = sorted({day for d in data.values() for day in d.snapshot_on.tolist()})
    split = split_snapshots(snapshots, 3, horizon, embargo=True)
    training = np.array(split.training, dtype="datetime64[D]")
    return {
        stage: d.subset(np.isin(d.snapshot_on, training)).churn_events
        for (stage, _tier), d in data.items()
    }


def test_stage_with_too_few_churn_events_keeps_current_weights(
    built: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = _training_churn_events(built)
    threshold = max(events.values())
    few = {stage for stage, count in events.items() if count < threshold}
    assert few and few != set(STAGES), events
    out = tmp_path / "calibration"
    args = ["--database", str(built.db_path), "--out", str(out)]
    assert main([*args, "--min-churn-events", str(threshold), "--min-auc-gain", "-1"]) == 0
    header, rows = _read_proposal(out / PROPOSAL_FILE)
    assert header == WEIGHTS_COLUMNS
    assert not few & {row["lifecycle_stage"] for row in rows}
    report = (out / REPORT_FILE).read_text()
    sections = {part.split(" ", 1)[0]: part for part in report.split("\n## ")[1:]}
    for stage in STAGES:
        kept = f"fewer than --min-churn-events {threshold}" in sections[stage]
        assert kept == (stage in few), (stage, events)
    printed = capsys.readouterr().out
    assert all(f"{stage} (default)" in printed for stage in STAGES)


def test_refuses_an_effective_from_before_the_latest_set(built: Build, tmp_path: Path) -> None:
    out = tmp_path / "calibration"
    args = ["--database", str(built.db_path), "--out", str(out), "--effective-from", "2000-01-01"]
    assert main(args) == 2
    assert not (out / PROPOSAL_FILE).exists()
