"""The vars of dbt_project.yml as Python reads them: one reader for every module.

Only the values written in the file are read (no Jinja is rendered, no --vars applied): the
defaults a build uses unless it is run with other vars.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from python_checks.dbt_runner import PROJECT_DIR

PROJECT_FILE = PROJECT_DIR / "dbt_project.yml"


class ProjectVarError(ValueError):
    """dbt_project.yml cannot be read, or does not set the var asked for."""


def project_vars(project_file: Path = PROJECT_FILE) -> dict[str, object]:
    """Every var of ``project_file`` (its `vars:` mapping)."""
    try:
        project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProjectVarError(f"cannot read the vars of {project_file}: {exc}") from exc
    variables = project.get("vars") if isinstance(project, dict) else None
    if not isinstance(variables, dict):
        raise ProjectVarError(f"{project_file} has no `vars:` mapping")
    return {str(name): value for name, value in variables.items()}


def project_var(name: str, project_file: Path = PROJECT_FILE) -> object:
    """The value of var ``name`` in ``project_file``."""
    variables = project_vars(project_file)
    if name not in variables:
        raise ProjectVarError(f"{project_file} sets no var {name} (vars: {name}: <value>)")
    return variables[name]
