"""Project settings the report needs that the served database does not hold (dbt vars)."""

from __future__ import annotations

from pathlib import Path

from python_checks import project_vars
from python_checks.project_vars import PROJECT_FILE
from python_checks.report.errors import ReportError

MIN_AUC_VAR = "backtest_min_auc"


def project_var(name: str, project_file: Path = PROJECT_FILE) -> object:
    """The default of dbt var ``name`` as dbt_project.yml sets it (python_checks.project_vars)."""
    try:
        return project_vars.project_var(name, project_file)
    except project_vars.ProjectVarError as exc:
        raise ReportError(str(exc)) from exc


def min_auc(project_file: Path = PROJECT_FILE) -> float:
    """var backtest_min_auc: the composite AUC the back-test should reach."""
    value = project_var(MIN_AUC_VAR, project_file)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ReportError(
            f"var {MIN_AUC_VAR} in {project_file} is {value!r}: expected a number from 0 to 1 "
            "(or pass --min-auc)"
        )
    return float(value)
