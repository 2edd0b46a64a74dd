"""The benchmark end to end at a tiny scale: every step runs and reports its figures.

Benchmarks are not timed tests: the figures are checked for being there (positive seconds and
memory), never for their size.
"""

from __future__ import annotations

import csv
import json
import statistics
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from python_checks.bench.floor import FLOOR_SQL, floor_statements
from python_checks.bench.rawdata import ensure_raw
from python_checks.bench.weights import EDIT_DIMENSION, EDIT_FACTOR, EDIT_STAGE
from python_checks.dbt_runner import PROJECT_DIR

pytestmark = pytest.mark.build

ACCOUNTS = 40
SEED = 42
STEPS = ["raw_load", "full_run", "floor", "history_floor", "incremental", "weight_change"]
DAILY_RUNS = 2  # consecutive days on one full build (--repeat stays 1)


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, Path, str]:
    root = tmp_path_factory.mktemp("bench")
    data, out = root / "data", root / "out"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "python_checks.bench",
            "--accounts",
            str(ACCOUNTS),
            "--seed",
            str(SEED),
            "--skip-tests",
            "--daily-runs",
            str(DAILY_RUNS),
            "--data-dir",
            str(data),
            "--out",
            str(out),
            "--min-free-gb",
            "1",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    doc = json.loads((out / f"bench_{ACCOUNTS}.json").read_text())
    return doc, data, out, completed.stdout


def _steps(doc: dict) -> dict[str, dict]:
    return {step["step"]: step for step in doc["steps"]}


def test_every_step_ran_with_time_and_memory(bench: tuple[dict, Path, Path, str]) -> None:
    doc = bench[0]
    steps = _steps(doc)
    assert list(steps) == STEPS  # --skip-tests leaves out the build with tests
    for name, step in steps.items():
        assert step["ok"], name
        assert step["seconds"] > 0, name
        assert step["peak_mib"] > 0, name
        assert step["samples"], name
        for sample in step["samples"]:
            assert sample["returncode"] == 0, name
            assert sample["seconds"] > 0 and sample["peak_mib"] > 0, name
        assert step["rows"] > 0, name
        # Every step's DuckDB temp folder was watched (a small build need not spill).
        assert step["peak_spill_mib"] is not None and step["peak_spill_mib"] >= 0, name
        assert all(s["peak_spill_mib"] is not None for s in step["samples"]), name
    assert doc["ok"] and doc["aborted"] is None
    assert doc["ratios"]["full_run_over_floor"] > 0
    assert doc["ratios"]["incremental_over_full_run"] > 0
    ratios, steps = doc["ratios"], _steps(doc)
    assert ratios["incremental_over_floor"] == pytest.approx(
        steps["incremental"]["seconds"] / steps["floor"]["seconds"], rel=0.001
    )
    assert ratios["full_run_over_history_floor"] == pytest.approx(
        steps["full_run"]["seconds"] / steps["history_floor"]["seconds"], rel=0.001
    )
    assert ratios["weight_change_over_full_run"] == pytest.approx(
        steps["weight_change"]["seconds"] / steps["full_run"]["seconds"], rel=0.001
    )
    assert ratios["full_build_over_history_floor"] is None  # --skip-tests: no build with tests


def test_history_floor_scores_every_account_day(bench: tuple[dict, Path, Path, str]) -> None:
    steps = _steps(bench[0])
    history, built = steps["history_floor"], steps["full_run"]
    # The same spine as the dbt build's daily history mart: every account-day, no other.
    assert history["rows"] == history["history_floor"]["rows"] == built["marts"]["history_rows"]
    assert history["history_floor"]["as_of"] == built["marts"]["as_of"]
    versus = history["versus_dbt"]
    assert versus["account_days_in_both"] == built["marts"]["history_rows"]
    assert versus["only_in_dbt"] == versus["only_in_floor"] == 0
    # A different, simpler model of the same signals: its scores go the same way.
    assert versus["score_correlation"] > 0.5
    assert "full build / history floor" in bench[3]


def _seed_rows_of(stage: str, dimension: str) -> int:
    seeds = PROJECT_DIR / "seeds"
    with (seeds / "signal_thresholds.csv").open(newline="") as handle:
        signals = {r["signal_name"] for r in csv.DictReader(handle) if r["dimension"] == dimension}
    with (seeds / "health_weights.csv").open(newline="") as handle:
        return sum(
            1
            for r in csv.DictReader(handle)
            if r["lifecycle_stage"] == stage and r["signal_name"] in signals
        )


def test_weight_change_rescores_history_after_the_daily_run(
    bench: tuple[dict, Path, Path, str],
) -> None:
    doc, _, out, stdout = bench
    steps = _steps(doc)
    change = steps["weight_change"]
    edit = change["weight_edit"]
    assert (edit["stage"], edit["dimension"], edit["factor"]) == (
        EDIT_STAGE,
        EDIT_DIMENSION,
        EDIT_FACTOR,
    )
    assert edit["rows_changed"] == _seed_rows_of(EDIT_STAGE, EDIT_DIMENSION) > 0
    scores = change["scores"]
    # It ran on the database the daily runs left (one more day each than the full build), kept
    # every account-day, and changed some scores (the maturity days with product signals).
    added = sum(day["history_rows_added"] for day in steps["incremental"]["days"])
    assert len(steps["incremental"]["days"]) == DAILY_RUNS
    assert scores["before"] == scores["after"] == steps["full_run"]["marts"]["history_rows"] + added
    assert 0 < change["rows"] == scores["changed"] < scores["after"]
    assert "weight change / full build" in stdout
    # The edited copy of the project is gone; neither the working tree's seed nor the bench's
    # snapshot of it (taken before the edit) was edited.
    assert not (out / "work" / f"a{ACCOUNTS}_s{SEED}" / "weight_change" / "project").exists()
    weights = Path("seeds") / "health_weights.csv"
    assert (out / "work" / "project" / weights).read_bytes() == (PROJECT_DIR / weights).read_bytes()


def test_raw_load_stages_every_generated_row(bench: tuple[dict, Path, Path, str]) -> None:
    doc = bench[0]
    assert _steps(doc)["raw_load"]["rows"] == doc["data"]["raw_rows"] > 0


def test_floor_scores_one_row_per_active_account(bench: tuple[dict, Path, Path, str]) -> None:
    steps = _steps(bench[0])
    floor, built = steps["floor"], steps["full_run"]
    active = built["marts"]["accounts_scored_as_of"]
    assert active > 0
    assert floor["rows"] == floor["floor"]["distinct_accounts"] == active
    assert floor["floor"]["as_of"] == built["marts"]["as_of"]
    versus = floor["versus_dbt"]
    assert versus["accounts_in_both"] == active
    assert versus["only_in_dbt"] == versus["only_in_floor"] == 0


def test_incremental_runs_score_consecutive_new_days(bench: tuple[dict, Path, Path, str]) -> None:
    doc = bench[0]
    steps = _steps(doc)
    step = steps["incremental"]
    assert len(steps["full_run"]["samples"]) == 1
    assert doc["repeat"] == 1 and doc["daily_runs"] == DAILY_RUNS
    assert len(step["samples"]) == len(step["days"]) == DAILY_RUNS
    first, second = step["days"]
    for day in step["days"]:
        assert day["batch_rows"]["product/tracks"] > 0
        assert date.fromisoformat(day["as_of_after"]) == date.fromisoformat(
            day["as_of_before"]
        ) + timedelta(days=1)
        assert day["history_rows_added"] > 0
        assert day["history_rows_rewritten"] >= day["history_rows_added"]
    # The second run lands the day after the first one's.
    assert second["as_of_before"] == first["as_of_after"]
    assert date.fromisoformat(second["new_day"]) == date.fromisoformat(
        first["new_day"]
    ) + timedelta(days=1)
    assert step["rows"] == second["history_rows_rewritten"]
    assert step["seconds"] == pytest.approx(statistics.median(step["seconds_samples"]), abs=0.01)
    assert f"slowest of {DAILY_RUNS} daily runs" in bench[3]


def test_daily_runs_and_weight_change_parse_only_what_changed(
    bench: tuple[dict, Path, Path, str],
) -> None:
    """A scheduled run keeps its target/ folder and reads one landing folder, so dbt re-parses
    only the changed files: the bench's daily runs and weight change start from the parse state
    of the run before them, and the full build (a first run) parses everything."""
    work = bench[2] / "work" / f"a{ACCOUNTS}_s{SEED}"

    def log(step: str) -> str:
        return (work / step / "dbt" / "logs" / "dbt.log").read_text()

    assert "Starting full parse" in log("full_run")
    for step in ("incremental", "weight_change"):
        assert "Starting full parse" not in log(step), step
        assert "Partial parsing enabled" in log(step), step
    # Each dbt step read the same landing folder (RAW_DATA_DIR is read in dbt_project.yml: a
    # different folder re-parses the whole project), and it is removed afterwards.
    landing = work / "raw_landing"
    for step in ("raw_load", "full_run", "incremental", "weight_change"):
        assert f"Raw contract check passed for '{landing}'" in log(step), step
    assert not landing.exists()


def test_slowest_models_and_table_are_reported(bench: tuple[dict, Path, Path, str]) -> None:
    doc, _, _, stdout = bench
    slowest = doc["slowest_models"]
    assert len(slowest) == 10
    assert all(m["seconds"] >= 0 and m["model"] for m in slowest)
    for name in ["raw load", "full build, models only", "floor", "incremental"]:
        assert name in stdout
    assert "10 slowest models" in stdout


def test_databases_are_removed_and_data_is_reused(bench: tuple[dict, Path, Path, str]) -> None:
    _, data, out, _ = bench
    assert not list(out.rglob("*.duckdb"))
    again = ensure_raw(data, ACCOUNTS, SEED, quiet=True)
    assert again.reused
    assert again.root == data / f"a{ACCOUNTS}_s{SEED}"


def test_floor_script_is_split_into_its_statements() -> None:
    script = (
        "-- note; not an end\ncreate temp table a as\nselect 1;\n\n"
        "-- the query\nselect * from a;  \n-- end\n"
    )
    assert floor_statements(script) == [
        "-- note; not an end\ncreate temp table a as\nselect 1",
        "-- the query\nselect * from a",
    ]
    setup, *_ = floor_statements(FLOOR_SQL.read_text())
    assert setup.splitlines()[-1].startswith("    and event_at >=")
    with pytest.raises(ValueError, match="no statement"):
        floor_statements("-- only a comment;\n")
