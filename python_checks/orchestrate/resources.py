"""The pipeline's settings as a Dagster resource that holds the pipeline lock for a whole run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext

from python_checks.pipeline.lock import pipeline_lock
from python_checks.pipeline.settings import PipelineSettings


class HealthPipeline(ConfigurableResource):
    """Where the pipeline reads and writes (absolute paths; see PipelineSettings).

    Every asset of the pipeline requires this resource, and the job runs in one process
    (in_process_executor), so the resource is set up once per run: it takes the pipeline lock
    before the first step and releases it after the last. A run that cannot take it fails at
    once with the lock file and its holder in the message, before anything ran.
    """

    raw_data_dir: str
    build_db: str
    serve_dir: str
    alert_state_dir: str
    lock_file: str
    work_dir: str

    @classmethod
    def from_settings(cls, settings: PipelineSettings) -> HealthPipeline:
        return cls(
            raw_data_dir=str(settings.raw_data_dir),
            build_db=str(settings.build_db),
            serve_dir=str(settings.serve_dir),
            alert_state_dir=str(settings.alert_state_dir),
            lock_file=str(settings.lock_file),
            work_dir=str(settings.work_dir),
        )

    @property
    def settings(self) -> PipelineSettings:
        return PipelineSettings(
            raw_data_dir=Path(self.raw_data_dir),
            build_db=Path(self.build_db),
            serve_dir=Path(self.serve_dir),
            alert_state_dir=Path(self.alert_state_dir),
            lock_file=Path(self.lock_file),
            work_dir=Path(self.work_dir),
        )

    @property
    def dbt_target_path(self) -> Path:
        """One target/ for the scheduled builds: runs never overlap, and dbt's partial parse
        carries over from one run to the next (a new folder per run would parse in full)."""
        return Path(self.work_dir) / "target"

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[HealthPipeline]:
        with pipeline_lock(
            Path(self.lock_file), run=f"dagster run {context.run.run_id if context.run else '?'}"
        ):
            yield self

    @contextmanager
    def dbt_environment(self) -> Iterator[None]:
        """dagster-dbt runs dbt with this process's environment and takes no other, so the
        build database and raw folder are set here for the length of one dbt invocation."""
        overrides = self.settings.dbt_env()
        saved = {name: os.environ.get(name) for name in overrides}
        os.environ.update(overrides)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
