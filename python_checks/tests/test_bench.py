"""The benchmark end to end at a tiny scale: every step runs and reports its figures.

Benchmarks are not timed tests: the figures are checked for being there (positive seconds and
memory), never for their size.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from python_checks.bench.floor import FLOOR_SQL, floor_statements
from python_checks.bench.rawdata import ensure_raw
from python_checks.dbt_runner import PROJECT_DIR

pytestmark = pytest.mark.build

ACCOUNTS = 40
SEED = 42
STEPS = ["raw_load", "full_run", "floor", "incremental"]
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
    assert doc["ok"] and doc["aborted"] is None
    assert doc["ratios"]["full_run_over_floor"] > 0
    assert doc["ratios"]["incremental_over_full_run"] > 0
    ratios, steps = doc["ratios"], _steps(doc)
    assert ratios["incremental_over_floor"] == pytest.approx(
        steps["incremental"]["seconds"] / steps["floor"]["seconds"], rel=0.001
    )


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
