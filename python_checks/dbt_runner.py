"""Run dbt on this project in isolation: its own raw folder, database file and target folder.

Tests and tools use it so that several builds (a test's and a developer's) never share a DuckDB
file lock or dbt's target/ folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

# What a scheduled run (the cron pipeline, the Dagster job) asks of dbt: every seed and model
# with its data tests (the guards), without the unit tests. Unit tests check the SQL on fixed
# inputs, so a run on new data cannot change their result: they belong to development and CI
# (`make test`), as dbt's documentation on unit tests advises.
SCHEDULED_BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")


def dbt_executable() -> str:
    """The dbt beside the running Python (the project's venv), else the one on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


@dataclass(frozen=True)
class DbtResult:
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _dbt_env(
    *,
    raw_dir: Path,
    db_path: Path,
    work_dir: Path,
    extra_env: dict[str, str] | None,
    project_dir: Path,
) -> dict[str, str]:
    """The environment of an isolated run (creates ``work_dir`` and the database's folder)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(project_dir),
        "RAW_DATA_DIR": str(raw_dir),
        "DBT_DUCKDB_PATH": str(db_path),
        "DBT_TARGET_PATH": str(work_dir / "target"),
        "DBT_LOG_PATH": str(work_dir / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(extra_env or {}),
    }


def _dbt_command(args: list[str], dbt_vars: dict[str, object] | None) -> list[str]:
    command = [dbt_executable(), *args]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    return command


def run_dbt(
    args: list[str],
    *,
    raw_dir: Path,
    db_path: Path,
    work_dir: Path,
    dbt_vars: dict[str, object] | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 900,
    project_dir: Path = PROJECT_DIR,
) -> DbtResult:
    """Run `dbt <args>` on ``raw_dir`` into ``db_path``; target/ and logs/ go in ``work_dir``."""
    env = _dbt_env(
        raw_dir=raw_dir,
        db_path=db_path,
        work_dir=work_dir,
        extra_env=extra_env,
        project_dir=project_dir,
    )
    completed = subprocess.run(
        _dbt_command(args, dbt_vars),
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return DbtResult(completed.returncode, completed.stdout + completed.stderr)


def start_dbt(
    args: list[str],
    *,
    raw_dir: Path,
    db_path: Path,
    work_dir: Path,
    output: Path,
    dbt_vars: dict[str, object] | None = None,
    extra_env: dict[str, str] | None = None,
    project_dir: Path = PROJECT_DIR,
) -> subprocess.Popen[bytes]:
    """Start the same isolated run as `run_dbt` without waiting for it.

    dbt runs in its own process group (stop it and its children with
    ``os.killpg(process.pid, signal)``); stdout and stderr are appended to ``output``.
    """
    env = _dbt_env(
        raw_dir=raw_dir,
        db_path=db_path,
        work_dir=work_dir,
        extra_env=extra_env,
        project_dir=project_dir,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("ab") as sink:
        return subprocess.Popen(
            _dbt_command(args, dbt_vars),
            cwd=project_dir,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
