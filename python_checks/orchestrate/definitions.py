"""The Definitions: assets, the daily job and its schedule, resources."""

from __future__ import annotations

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    Definitions,
    ScheduleDefinition,
    define_asset_job,
    in_process_executor,
)
from dagster_dbt import DbtCliResource

from python_checks.dbt_runner import dbt_executable
from python_checks.orchestrate.assets import alert_delivery, health_dbt, served_health_database
from python_checks.orchestrate.project import HEALTH_DBT
from python_checks.orchestrate.resources import HealthPipeline
from python_checks.pipeline.settings import PipelineSettings

# Runs of this tag run one at a time (dagster.yaml: tag_concurrency_limits); the job carries it.
PIPELINE_TAG = "customer_health/pipeline"
DAILY_JOB = "daily_health"
# 06:00 UTC: after the connectors' nightly loads have landed the day's batches.
DAILY_CRON = "0 6 * * *"

daily_health = define_asset_job(
    DAILY_JOB,
    selection=AssetSelection.all(),
    description="dbt build → publish → alert delivery; one run at a time (pipeline lock).",
    tags={PIPELINE_TAG: "daily"},
    executor_def=in_process_executor,
)

daily_schedule = ScheduleDefinition(
    name="daily_health_schedule",
    job=daily_health,
    cron_schedule=DAILY_CRON,
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
)


def build_defs(settings: PipelineSettings) -> Definitions:
    """The Definitions for one set of paths (the module's `defs` reads them from the
    environment; tests pass their own)."""
    return Definitions(
        assets=[health_dbt, served_health_database, alert_delivery],
        jobs=[daily_health],
        schedules=[daily_schedule],
        resources={
            "dbt": DbtCliResource(
                project_dir=HEALTH_DBT,
                profiles_dir=str(HEALTH_DBT.project_dir),
                dbt_executable=dbt_executable(),
            ),
            "health_pipeline": HealthPipeline.from_settings(settings),
        },
        # Materialisations started from the UI run in one process too, so the pipeline lock
        # spans the whole run there as well.
        executor=in_process_executor,
    )


defs = build_defs(PipelineSettings.from_env())
