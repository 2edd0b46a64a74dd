"""The daily health pipeline without an orchestrator: dbt build → publish → alert delivery.

`python -m python_checks.pipeline daily` runs the three steps under an exclusive lock on
``build/pipeline.lock`` (``flock``); the Dagster job in ``python_checks.orchestrate`` takes the
same lock, so a cron run and a Dagster run never overlap. Nothing here imports Dagster.
"""

from python_checks.pipeline.lock import PipelineLocked, pipeline_lock
from python_checks.pipeline.settings import PipelineSettings
from python_checks.pipeline.steps import AlertDeliveryError, alert_command, deliver_alerts

__all__ = [
    "AlertDeliveryError",
    "PipelineLocked",
    "PipelineSettings",
    "alert_command",
    "deliver_alerts",
    "pipeline_lock",
]
