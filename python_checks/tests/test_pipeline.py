"""The cron runner (`python -m python_checks.pipeline daily`): build → publish → alerts under
the pipeline lock; it refuses to start while another run holds the lock, and a failed build
publishes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from python_checks.build_fixtures import Build
from python_checks.dbt_runner import PROJECT_DIR
from python_checks.pipeline import PipelineLocked, pipeline_lock
from python_checks.pipeline.lock import EXIT_LOCKED

HOLDER = """
import sys
from pathlib import Path
from python_checks.pipeline import pipeline_lock

with pipeline_lock(Path(sys.argv[1]), run="holder for the test"):
    print("held", flush=True)
    sys.stdin.read()
"""


def _environment(root: Path, raw: Path, build_db: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("ALERT_")}
    return {
        **env,
        "RAW_DATA_DIR": str(raw),
        "DBT_DUCKDB_PATH": str(build_db),
        "SERVE_DIR": str(root / "serve"),
        "ALERT_STATE_DIR": str(root / "alert_state"),
        "PIPELINE_LOCK": str(root / "pipeline.lock"),
        "PIPELINE_WORK_DIR": str(root / "work"),
    }


def _daily(env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "python_checks.pipeline", "daily"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_a_second_run_refuses_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    env = _environment(tmp_path, tmp_path / "raw", tmp_path / "build.duckdb")
    lock_file = Path(env["PIPELINE_LOCK"])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_file)],
        cwd=PROJECT_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        refused = _daily(env, timeout=120)
        assert refused.returncode == EXIT_LOCKED, refused.stderr
        assert f"another health pipeline run holds the lock {lock_file}" in refused.stderr
        assert "holder for the test" in refused.stderr
        assert f"pid {holder.pid}" in refused.stderr
        assert "this run did not start" in refused.stderr
        assert not Path(env["DBT_DUCKDB_PATH"]).exists()
        assert not Path(env["SERVE_DIR"]).exists()
        with pytest.raises(PipelineLocked), pipeline_lock(lock_file, run="pytest"):
            pass
    finally:
        # Killed, not finished: the kernel releases its flock all the same.
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    with pipeline_lock(lock_file, run="pytest") as held:
        assert json.loads(held.read_text())["run"] == "pytest"


@pytest.mark.build
def test_a_failed_build_publishes_nothing(tmp_path: Path) -> None:
    empty_raw = tmp_path / "raw"
    empty_raw.mkdir()
    env = _environment(tmp_path, empty_raw, tmp_path / "build.duckdb")
    failed = _daily(env)
    assert failed.returncode == 1, failed.stdout[-3000:] + failed.stderr
    assert f"dbt build into {env['DBT_DUCKDB_PATH']} failed" in failed.stderr
    assert "nothing was published and no alert was sent" in failed.stderr
    assert "[pipeline publish]" not in failed.stdout
    assert not Path(env["SERVE_DIR"]).exists()
    assert not Path(env["ALERT_STATE_DIR"]).exists()


@pytest.mark.build
def test_daily_run_builds_publishes_and_delivers(sample_build: Build, tmp_path: Path) -> None:
    build = sample_build.copy(tmp_path / "build")
    env = _environment(tmp_path, build.raw_dir, build.db_path)
    completed = _daily(env)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr
    banners = [line.split("]")[0] for line in completed.stdout.splitlines() if "[pipeline " in line]
    assert banners == ["[pipeline build", "[pipeline publish", "[pipeline alerts"]
    # The scheduled build ran the data tests (the guards) and left the unit tests to CI.
    results = json.loads(
        (Path(env["PIPELINE_WORK_DIR"]) / "target" / "run_results.json").read_text()
    )
    kinds = {r["unique_id"].split(".")[0] for r in results["results"]}
    assert {"model", "seed", "test"} <= kinds and "unit_test" not in kinds, kinds
    served = Path(env["SERVE_DIR"]) / "health.duckdb"
    con = duckdb.connect(str(served), read_only=True)
    try:
        (as_of,) = con.execute("select as_of from publish.build_info").fetchone() or (None,)
        served_rows = con.execute("select count(*) from marts.dim_account_health").fetchone()
    finally:
        con.close()
    assert as_of is not None
    assert served_rows == tuple(build.query("select count(*) from marts.dim_account_health")[0])
    state = Path(env["ALERT_STATE_DIR"]) / "delivery_state.json"
    assert state.exists()
    with pipeline_lock(Path(env["PIPELINE_LOCK"]), run="pytest"):
        pass  # released when the run ended
