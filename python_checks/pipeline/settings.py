"""Where the daily pipeline reads and writes: the Makefile's variables, with its defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from python_checks.dbt_runner import PROJECT_DIR
from python_checks.publish import ServeLayout

# Environment variable → default (relative to the project folder), as in the Makefile.
RAW_DATA_DIR = ("RAW_DATA_DIR", "data/raw")
BUILD_DB = ("DBT_DUCKDB_PATH", "build/dev.duckdb")
SERVE_DIR = ("SERVE_DIR", "build/serve")
ALERT_STATE_DIR = ("ALERT_STATE_DIR", "state/alerts")
LOCK_FILE = ("PIPELINE_LOCK", "build/pipeline.lock")
# dbt's target/ and logs/ of scheduled builds (kept apart from a developer's target/).
WORK_DIR = ("PIPELINE_WORK_DIR", "build/pipeline")


def _path(env: Mapping[str, str], setting: tuple[str, str], project_dir: Path) -> Path:
    name, default = setting
    value = env.get(name) or default
    path = Path(value).expanduser()
    return path if path.is_absolute() else project_dir / path


@dataclass(frozen=True)
class PipelineSettings:
    """Absolute paths of one pipeline: raw data in, build database, served folder, alert state."""

    raw_data_dir: Path
    build_db: Path
    serve_dir: Path
    alert_state_dir: Path
    lock_file: Path
    work_dir: Path

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, project_dir: Path = PROJECT_DIR
    ) -> PipelineSettings:
        """Read RAW_DATA_DIR, DBT_DUCKDB_PATH, SERVE_DIR, ALERT_STATE_DIR, PIPELINE_LOCK and
        PIPELINE_WORK_DIR; relative paths are taken from the project folder."""
        source = os.environ if env is None else env
        return cls(
            raw_data_dir=_path(source, RAW_DATA_DIR, project_dir),
            build_db=_path(source, BUILD_DB, project_dir),
            serve_dir=_path(source, SERVE_DIR, project_dir),
            alert_state_dir=_path(source, ALERT_STATE_DIR, project_dir),
            lock_file=_path(source, LOCK_FILE, project_dir),
            work_dir=_path(source, WORK_DIR, project_dir),
        )

    @property
    def served_db(self) -> Path:
        """The database a publish serves: what alert delivery reads."""
        return ServeLayout(self.serve_dir).database

    def dbt_env(self) -> dict[str, str]:
        """The variables a dbt run of this pipeline needs (profiles.yml and the sources read
        them)."""
        return {
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "RAW_DATA_DIR": str(self.raw_data_dir),
            "DBT_DUCKDB_PATH": str(self.build_db),
        }
