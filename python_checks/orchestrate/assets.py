"""The pipeline's assets: every dbt model and seed (its tests as asset checks), then the served
database, then alert delivery."""

# No `from __future__ import annotations`: Dagster reads the context annotations at definition.

import json
from collections.abc import Iterator
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import DbtCliResource, dbt_assets, get_asset_key_for_model

from python_checks.dbt_runner import SCHEDULED_BUILD_ARGS
from python_checks.orchestrate.project import HEALTH_DBT
from python_checks.orchestrate.resources import HealthPipeline
from python_checks.pipeline.steps import AlertDeliveryError, deliver_alerts
from python_checks.publish import PublishError, publish

GROUP = "customer_health"


@dbt_assets(manifest=HEALTH_DBT.manifest_path, project=HEALTH_DBT)
def health_dbt(
    context: AssetExecutionContext, dbt: DbtCliResource, health_pipeline: HealthPipeline
) -> Iterator[Any]:
    """`dbt build` of the selected models and seeds with their data tests (the unit tests run in
    CI). A failing test fails its asset check, dbt skips what is downstream of it, and the step
    fails: nothing is published."""
    with health_pipeline.dbt_environment():
        yield from dbt.cli(
            list(SCHEDULED_BUILD_ARGS), context=context, target_path=health_pipeline.dbt_target_path
        ).stream()


def mart_models() -> list[str]:
    """The models under models/marts/: what a publish serves."""
    manifest = json.loads(HEALTH_DBT.manifest_path.read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    )


MART_KEYS: list[AssetKey] = [get_asset_key_for_model([health_dbt], name) for name in mart_models()]


@asset(deps=MART_KEYS, group_name=GROUP)
def served_health_database(
    context: AssetExecutionContext, health_pipeline: HealthPipeline
) -> MaterializeResult:
    """The passing build published for BI tools: `<serve_dir>/health.duckdb`, the marts as
    Parquet and `manifest.json`, swapped in atomically (python_checks.publish)."""
    settings = health_pipeline.settings
    try:
        published = publish(settings.build_db, settings.serve_dir)
    except PublishError as exc:
        raise Failure(
            description=f"publish of {settings.build_db} into {settings.serve_dir} refused: {exc}"
        ) from exc
    context.log.info(f"published build {published.build_id} to {published.layout.database}")
    return MaterializeResult(
        metadata={
            "build_id": published.build_id,
            "as_of": published.as_of or "unknown",
            "database": MetadataValue.path(str(published.layout.database)),
            "row_counts": MetadataValue.json(published.row_counts),
        }
    )


@asset(deps=[served_health_database], group_name=GROUP)
def alert_delivery(
    context: AssetExecutionContext, health_pipeline: HealthPipeline
) -> MaterializeResult:
    """New alerts of the served build delivered once each (`python -m python_checks.alerts
    deliver`): to the webhook in ALERT_WEBHOOK_URL and as per-owner digests. A failed send
    fails this step; the alerts stay pending and the next run retries them."""
    settings = health_pipeline.settings
    try:
        delivery = deliver_alerts(settings.served_db, settings.alert_state_dir)
    except AlertDeliveryError as exc:
        raise Failure(
            description=str(exc),
            metadata={"exit_code": exc.delivery.returncode, "output": exc.delivery.tail},
        ) from exc
    context.log.info(delivery.tail)
    return MaterializeResult(
        metadata={
            "state_dir": MetadataValue.path(str(settings.alert_state_dir)),
            "output": MetadataValue.text(delivery.tail),
        }
    )
