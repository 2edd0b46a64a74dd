"""Project settings the report needs that the served database does not hold (dbt vars)."""

from __future__ import annotations

from pathlib import Path

import yaml

from python_checks.dbt_runner import PROJECT_DIR
from python_checks.report.errors import ReportError

MIN_AUC_VAR = "backtest_min_auc"


def project_var(name: str, project_file: Path = PROJECT_DIR / "dbt_project.yml") -> object:
    """The default of dbt var ``name`` as dbt_project.yml sets it."""
    try:
        project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReportError(f"cannot read dbt var {name} from {project_file}: {exc}") from exc
    variables = project.get("vars") if isinstance(project, dict) else None
    if not isinstance(variables, dict) or name not in variables:
        raise ReportError(f"{project_file} sets no var {name} (vars: {name}: <value>)")
    return variables[name]


def min_auc(project_file: Path = PROJECT_DIR / "dbt_project.yml") -> float:
    """var backtest_min_auc: the composite AUC the back-test should reach."""
    value = project_var(MIN_AUC_VAR, project_file)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ReportError(
            f"var {MIN_AUC_VAR} in {project_file} is {value!r}: expected a number from 0 to 1 "
            "(or pass --min-auc)"
        )
    return float(value)
