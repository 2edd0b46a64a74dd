"""`python -m python_checks.pipeline daily`: dbt build → publish → alert delivery, under the
pipeline lock. For teams without an orchestrator: run it from cron (see docs/orchestration.md).

Settings are the Makefile's environment variables: RAW_DATA_DIR, DBT_DUCKDB_PATH, SERVE_DIR,
ALERT_STATE_DIR, PIPELINE_LOCK (default build/pipeline.lock), PIPELINE_WORK_DIR, and the
alerts tool's ALERT_* variables. Exit codes: 0 all three steps passed; 1 a step failed (the
message names it; a failed build publishes nothing, a failed publish delivers nothing); 75
another run holds the lock (nothing was done).
"""

from __future__ import annotations

import argparse
import sys

from python_checks.dbt_runner import SCHEDULED_BUILD_ARGS, run_dbt
from python_checks.pipeline.lock import EXIT_LOCKED, PipelineLocked, pipeline_lock
from python_checks.pipeline.settings import PipelineSettings
from python_checks.pipeline.steps import AlertDeliveryError, deliver_alerts
from python_checks.publish import PublishError, publish
from python_checks.publish.show import published_lines

EXIT_FAILED = 1
# A full build at 20,000 accounts takes about half an hour; a build still running after this
# is hung, and would otherwise hold the lock (and refuse every later run) for ever.
BUILD_TIMEOUT_SECONDS = 6 * 3600


def _say(step: str, message: str) -> None:
    print(f"[pipeline {step}] {message}", flush=True)


def run_daily(settings: PipelineSettings) -> int:
    """The three steps in order; stops at the first that fails. Call it holding the lock."""
    _say("build", f"dbt build: {settings.raw_data_dir} → {settings.build_db}")
    result = run_dbt(
        list(SCHEDULED_BUILD_ARGS),
        raw_dir=settings.raw_data_dir,
        db_path=settings.build_db,
        work_dir=settings.work_dir,
        timeout=BUILD_TIMEOUT_SECONDS,
    )
    print(result.output, flush=True)
    if not result.ok:
        print(
            f"pipeline: dbt build into {settings.build_db} failed (exit code "
            f"{result.returncode}); nothing was published and no alert was sent",
            file=sys.stderr,
        )
        return EXIT_FAILED
    _say("publish", f"{settings.build_db} → {settings.serve_dir}")
    try:
        print("\n".join(published_lines(publish(settings.build_db, settings.serve_dir))))
    except PublishError as exc:
        print(f"pipeline: publish failed: {exc}; no alert was sent", file=sys.stderr)
        return EXIT_FAILED
    _say("alerts", f"deliver from {settings.served_db}, state in {settings.alert_state_dir}")
    try:
        delivery = deliver_alerts(settings.served_db, settings.alert_state_dir)
    except AlertDeliveryError as exc:
        print(f"pipeline: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(delivery.output, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m python_checks.pipeline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("daily", help="build, publish and deliver alerts under the lock")
    parser.parse_args(argv)
    settings = PipelineSettings.from_env()
    try:
        with pipeline_lock(settings.lock_file, run="python -m python_checks.pipeline daily"):
            return run_daily(settings)
    except PipelineLocked as exc:
        print(f"pipeline: {exc}", file=sys.stderr)
        return EXIT_LOCKED


if __name__ == "__main__":
    raise SystemExit(main())
