"""One reader of dbt_project.yml's vars (python_checks.project_vars) for every module."""

from __future__ import annotations

from pathlib import Path

import pytest

from python_checks.project_vars import ProjectVarError, project_var, project_vars


def test_the_project_file_is_read() -> None:
    assert project_var("drivers_top_n") == project_vars()["drivers_top_n"]
    assert isinstance(project_vars()["signals"], dict)


def test_a_missing_var_or_file_is_named(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project.yml"
    project.write_text("vars:\n  as_of: '2026-01-01'\n", encoding="utf-8")
    with pytest.raises(ProjectVarError, match=r"dbt_project\.yml sets no var drivers_top_n"):
        project_var("drivers_top_n", project)
    with pytest.raises(ProjectVarError, match="cannot read the vars of"):
        project_vars(tmp_path / "missing.yml")
    project.write_text("name: x\n", encoding="utf-8")
    with pytest.raises(ProjectVarError, match="has no `vars:` mapping"):
        project_vars(project)
