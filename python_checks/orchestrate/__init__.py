"""Dagster orchestration of the health pipeline: `dagster dev -m python_checks.orchestrate`.

Assets: every dbt model and seed (from the project's manifest, parsed on import when missing
or stale; dbt tests are asset checks), `served_health_database` (python_checks.publish) and
`alert_delivery` (python_checks.alerts). A daily schedule runs them all. Two runs never
overlap: the Dagster instance runs one run of the pipeline at a time (dagster.yaml beside
this file), and every run holds the same lock file as the cron runner
(`python -m python_checks.pipeline daily`).
"""

from python_checks.orchestrate.definitions import build_defs, defs

__all__ = ["build_defs", "defs"]
