"""The Dagster definitions run in-process (no daemon) on a generated sample: every dbt model and
seed materialised, every dbt test an asset check that passed, the served database published
from the build, alerts delivered from it; a failed send fails the delivery step; a run refuses
to start while another holds the pipeline lock."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from python_checks.build_fixtures import generate_sample
from python_checks.pipeline import PipelineLocked, PipelineSettings, pipeline_lock

if importlib.util.find_spec("dagster_dbt") is None and not os.environ.get("CI"):
    pytest.skip(
        "Dagster is not installed: make orchestration-venv (requirements-orchestration.txt)",
        allow_module_level=True,
    )

from dagster import AssetKey, DagsterEventType, ExecuteInProcessResult, asset, materialize

from python_checks.orchestrate import build_defs, defs
from python_checks.orchestrate.assets import MART_KEYS, health_dbt
from python_checks.orchestrate.definitions import DAILY_JOB, PIPELINE_TAG
from python_checks.orchestrate.resources import HealthPipeline

pytestmark = pytest.mark.build

SERVED = AssetKey("served_health_database")
DELIVERY = AssetKey("alert_delivery")
# The alerts tool's first run sends only the as-of day's alerts; a month gives the sample some
# (it looks back at most ALERT_WINDOW_DAYS).
FIRST_RUN_DAYS = 30


@dataclass(frozen=True)
class Orchestrated:
    settings: PipelineSettings
    result: ExecuteInProcessResult


def _settings(root: Path, raw: Path) -> PipelineSettings:
    return PipelineSettings(
        raw_data_dir=raw,
        build_db=root / "build.duckdb",
        serve_dir=root / "serve",
        alert_state_dir=root / "alert_state",
        lock_file=root / "pipeline.lock",
        work_dir=root / "work",
    )


@pytest.fixture(scope="module")
def alert_env() -> Iterator[pytest.MonkeyPatch]:
    """No ALERT_* setting of the developer's environment (a real webhook) reaches the tests."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("ALERT_")]:
            patch.delenv(name)
        patch.setenv("ALERT_FIRST_RUN_DAYS", str(FIRST_RUN_DAYS))
        patch.setenv("ALERT_WINDOW_DAYS", str(FIRST_RUN_DAYS))
        yield patch


@pytest.fixture(scope="module")
def orchestrated(
    tmp_path_factory: pytest.TempPathFactory, alert_env: pytest.MonkeyPatch
) -> Orchestrated:
    root = tmp_path_factory.mktemp("orchestrate")
    raw, _ = generate_sample(root)
    settings = _settings(root, raw)
    job = build_defs(settings).resolve_job_def(DAILY_JOB)
    return Orchestrated(settings, job.execute_in_process(raise_on_error=False))


def _failure_messages(result: ExecuteInProcessResult) -> str:
    messages = []
    for event in result.all_events:
        if event.event_type in (DagsterEventType.STEP_FAILURE, DagsterEventType.RUN_FAILURE):
            messages.append(event.message or "")
            error = event.event_specific_data and getattr(event.event_specific_data, "error", None)
            if error is not None:
                messages.append(error.to_string())
    return "\n".join(messages)


def _query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_daily_job_has_every_asset_and_the_schedule() -> None:
    job = defs.resolve_job_def(DAILY_JOB)
    assert job.tags[PIPELINE_TAG] == "daily"
    # One process per run: the resource holding the lock is set up once, for all steps.
    assert job.executor_def.name == "in_process"
    assert {SERVED, DELIVERY} | set(health_dbt.keys) <= set(job.asset_layer.executable_asset_keys)
    schedule = defs.resolve_schedule_def("daily_health_schedule")
    assert schedule.job_name == DAILY_JOB
    assert schedule.execution_timezone == "UTC"
    # dbt's tests are checks: the contract's marts each have some.
    checked = {key.asset_key for key in health_dbt.check_keys}
    assert set(MART_KEYS) <= checked


def test_run_materialises_every_dbt_asset_then_publishes_and_delivers(
    orchestrated: Orchestrated,
) -> None:
    result = orchestrated.result
    assert result.success, _failure_messages(result)[-6000:]
    materialised = [event.asset_key for event in result.get_asset_materialization_events()]
    assert len(materialised) == len(set(materialised))
    assert set(materialised) == set(health_dbt.keys) | {SERVED, DELIVERY}
    order = {key: position for position, key in enumerate(materialised)}
    assert max(order[key] for key in MART_KEYS) < order[SERVED] < order[DELIVERY]


def test_every_dbt_test_ran_as_a_passing_asset_check(orchestrated: Orchestrated) -> None:
    evaluations = orchestrated.result.get_asset_check_evaluations()
    assert {(e.asset_key, e.check_name) for e in evaluations} == {
        (key.asset_key, key.name) for key in health_dbt.check_keys
    }
    failed = [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations if not e.passed]
    assert not failed


def test_served_database_is_the_build_published(orchestrated: Orchestrated) -> None:
    settings = orchestrated.settings
    served = orchestrated.result.asset_materializations_for_node("served_health_database")
    build_id = served[0].metadata["build_id"].value
    assert _query(settings.served_db, "select build_id from publish.build_info") == [(build_id,)]
    manifest = json.loads((settings.serve_dir / "manifest.json").read_text())
    assert manifest["build_id"] == build_id
    for mart in ("dim_account_health", "fct_account_health_daily", "fct_health_alerts"):
        sql = f"select count(*) from marts.{mart}"
        built = _query(settings.build_db, sql)[0][0]
        assert built > 0
        assert _query(settings.served_db, sql)[0][0] == built == manifest["row_counts"][mart]


def test_alerts_of_the_served_build_are_delivered_as_digests(orchestrated: Orchestrated) -> None:
    settings = orchestrated.settings
    (as_of,) = _query(settings.served_db, "select as_of from publish.build_info")[0]
    first_day = date.fromisoformat(str(as_of)) - timedelta(days=FIRST_RUN_DAYS - 1)
    due = {
        alert_id
        for (alert_id,) in _query(
            settings.served_db,
            f"select alert_id from marts.fct_health_alerts where alerted_on >= '{first_day}'",
        )
    }
    assert due, "the sample raised no alert in the first run's window: nothing to check"
    digests = sorted((settings.alert_state_dir / "digests").glob("*/owner_*.json"))
    delivered = [
        alert["alert_id"] for path in digests for alert in json.loads(path.read_text())["alerts"]
    ]
    assert sorted(delivered) == sorted(due)
    assert (settings.alert_state_dir / "delivery_state.json").exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_failed_send_fails_the_delivery_step(
    orchestrated: Orchestrated, alert_env: pytest.MonkeyPatch
) -> None:
    settings = orchestrated.settings
    served_before = settings.served_db.stat().st_mtime_ns
    port = _closed_port()
    alert_env.setenv("ALERT_WEBHOOK_URL", f"http://127.0.0.1:{port}/hook")
    try:
        result = (
            build_defs(settings)
            .resolve_job_def(DAILY_JOB)
            .execute_in_process(asset_selection=[DELIVERY], raise_on_error=False)
        )
    finally:
        alert_env.delenv("ALERT_WEBHOOK_URL")
    assert not result.success
    assert result.get_asset_materialization_events() == []
    message = _failure_messages(result)
    assert "alert delivery failed (exit code 1)" in message
    assert f"127.0.0.1:{port}" in message
    assert "the undelivered alerts stay pending" in message
    assert settings.served_db.stat().st_mtime_ns == served_before


def test_a_run_refuses_to_start_while_another_holds_the_lock(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path / "raw-never-read")
    job = build_defs(settings).resolve_job_def(DAILY_JOB)
    with pipeline_lock(settings.lock_file, run="pytest holder"):
        result = job.execute_in_process(raise_on_error=False)
    assert not result.success
    assert result.get_asset_materialization_events() == []
    assert not settings.build_db.exists()
    message = _failure_messages(result)
    assert f"another health pipeline run holds the lock {settings.lock_file}" in message
    assert "pytest holder" in message
    assert f"pid {os.getpid()}" in message
    # Released: the same run starts now (and fails later only for want of raw data).
    with pipeline_lock(settings.lock_file, run="pytest after"):
        pass


def _lock_is_held(lock_file: Path) -> bool:
    try:
        with pipeline_lock(lock_file, run="probe"):
            return False
    except PipelineLocked:
        return True


@asset
def first_probe(health_pipeline: HealthPipeline) -> bool:
    return _lock_is_held(Path(health_pipeline.lock_file))


@asset
def second_probe(first_probe: bool, health_pipeline: HealthPipeline) -> bool:
    return _lock_is_held(Path(health_pipeline.lock_file))


def test_the_lock_is_held_from_the_first_step_to_the_last(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path / "raw")
    result = materialize(
        [first_probe, second_probe],
        resources={"health_pipeline": HealthPipeline.from_settings(settings)},
    )
    assert result.output_for_node("first_probe") is True
    assert result.output_for_node("second_probe") is True
    assert not _lock_is_held(settings.lock_file)


def test_a_failed_dbt_build_publishes_and_delivers_nothing(tmp_path: Path) -> None:
    empty_raw = tmp_path / "raw"
    empty_raw.mkdir()
    settings = _settings(tmp_path, empty_raw)
    result = (
        build_defs(settings).resolve_job_def(DAILY_JOB).execute_in_process(raise_on_error=False)
    )
    assert not result.success
    failed = {event.step_key for event in result.all_events if event.is_step_failure}
    assert failed == {"health_dbt"}
    assert result.get_asset_materialization_events() == []
    assert not settings.serve_dir.exists()
    assert not settings.alert_state_dir.exists()
