"""A frozen copy of the dbt project for one benchmark invocation.

A benchmark runs for a long time; if models, macros or seeds change meanwhile (a pull, an edit),
later steps would measure other code than earlier ones. Every step therefore runs dbt (and the
floor reads seeds and vars) from one copy taken at the start, and the results record which
commit it was and whether the working tree differed from it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from python_checks.build_fixtures import copy_project
from python_checks.dbt_runner import PROJECT_DIR

# What decides what dbt builds; a change elsewhere (Python, docs) does not change the figures.
DBT_PATHS = ("models", "macros", "seeds", "tests", "analyses", "dbt_project.yml", "profiles.yml")


@dataclass(frozen=True)
class ProjectVersion:
    commit: str | None
    dirty_paths: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"commit": self.commit, "dbt_files_changed": list(self.dirty_paths)}

    def describe(self) -> str:
        commit = (self.commit or "unknown commit")[:12]
        if self.dirty_paths:
            return f"{commit} + {len(self.dirty_paths)} uncommitted dbt file change(s)"
        return commit


def _git(args: list[str], project_dir: Path) -> str | None:
    try:
        completed = subprocess.run(
            ["git", *args],
            cwd=project_dir,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout if completed.returncode == 0 else None


def project_version(project_dir: Path = PROJECT_DIR) -> ProjectVersion:
    head = _git(["rev-parse", "HEAD"], project_dir)
    status = _git(["status", "--porcelain", "--", *DBT_PATHS], project_dir) or ""
    dirty = tuple(line[3:] for line in status.splitlines() if line.strip())
    return ProjectVersion(head.strip() if head else None, dirty)


def snapshot_project(target: Path) -> ProjectVersion:
    """Copy this project to ``target`` (replacing an earlier copy) and say what was copied."""
    version = project_version()
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_project(target)
    return version
