"""The dbt project as dagster-dbt sees it, with its manifest parsed when missing or stale.

dagster-dbt builds the asset graph from ``manifest.json``. It is parsed here, on import, into
``build/orchestrate/target/`` whenever it is missing or older than any file of the project
(models, macros, seeds, tests, analyses, dbt_project.yml, profiles.yml), so a fresh clone, a
`git pull` and an edited model need no separate `dbt parse` step. Processes importing this
at the same time (the webserver, the daemon, a run) parse one after the other under a lock,
and the second finds the manifest fresh.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

from dagster_dbt import DbtProject

from python_checks.dbt_runner import PROJECT_DIR, run_dbt
from python_checks.pipeline.settings import PipelineSettings

# dbt parse writes <WORK_DIR>/target/manifest.json (dbt_runner's layout); build/ is git-ignored.
WORK_DIR = Path("build/orchestrate")
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_FOLDERS = ("models", "macros", "seeds", "tests", "analyses", "snapshots")
PARSE_TIMEOUT_SECONDS = 600


class ManifestError(RuntimeError):
    """dbt could not parse the project, so there is no asset graph."""


def newest_project_file(project_dir: Path) -> float:
    """The newest modification time among the files dbt parses."""
    times = [(project_dir / name).stat().st_mtime for name in PROJECT_FILES]
    for folder in PROJECT_FOLDERS:
        root = project_dir / folder
        if root.is_dir():
            times.extend(path.stat().st_mtime for path in root.rglob("*") if path.is_file())
    return max(times)


def manifest_is_stale(manifest_path: Path, project_dir: Path) -> bool:
    return not manifest_path.exists() or manifest_path.stat().st_mtime < newest_project_file(
        project_dir
    )


def ensure_manifest(project: DbtProject) -> None:
    """Parse the project when its manifest is missing or stale, under `dagster dev` or not
    (dagster-dbt's own `prepare_if_dev` parses only under `dagster dev`, and always there)."""
    if not manifest_is_stale(project.manifest_path, project.project_dir):
        return
    work_dir = project.project_dir / WORK_DIR
    work_dir.mkdir(parents=True, exist_ok=True)
    with (work_dir / "parse.lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if not manifest_is_stale(project.manifest_path, project.project_dir):
            return  # another process parsed it while this one waited
        settings = PipelineSettings.from_env(project_dir=project.project_dir)
        result = run_dbt(
            ["parse", "--quiet"],
            raw_dir=settings.raw_data_dir,
            db_path=settings.build_db,
            work_dir=work_dir,
            timeout=PARSE_TIMEOUT_SECONDS,
            project_dir=project.project_dir,
        )
    if not result.ok or manifest_is_stale(project.manifest_path, project.project_dir):
        raise ManifestError(
            f"`dbt parse` of {project.project_dir} did not write {project.manifest_path} "
            f"(exit code {result.returncode}), so Dagster has no dbt assets:\n"
            f"{result.output[-4000:]}"
        )


HEALTH_DBT = DbtProject(
    project_dir=PROJECT_DIR,
    profiles_dir=PROJECT_DIR,
    target_path=WORK_DIR / "target",
)
ensure_manifest(HEALTH_DBT)
