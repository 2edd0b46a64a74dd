"""The scoring vocabulary as dbt_project.yml declares it (var ``signals``), for Python readers.

SQL reads the same var (``var('signals')``) and the dbt test ``signals_match_thresholds`` holds
seed signal_thresholds to it, so a dimension or signal is spelled in one place.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from python_checks.dbt_runner import PROJECT_DIR


class VocabularyError(ValueError):
    """dbt_project.yml does not declare the scoring vocabulary in the expected shape."""


def scoring_signals(project_file: Path = PROJECT_DIR / "dbt_project.yml") -> dict[str, list[str]]:
    """Each dimension (in the composite's order) and its signals: var ``signals``."""
    try:
        project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"cannot read var signals from {project_file}: {exc}") from exc
    signals = (project.get("vars") or {}).get("signals") if isinstance(project, dict) else None
    if (
        not isinstance(signals, dict)
        or not signals
        or not all(
            isinstance(names, list) and names and all(isinstance(name, str) for name in names)
            for names in signals.values()
        )
    ):
        raise VocabularyError(
            f"{project_file}: var signals must map each dimension to a list of signal names"
        )
    return {str(dimension): list(names) for dimension, names in signals.items()}


def scoring_dimensions(project_file: Path = PROJECT_DIR / "dbt_project.yml") -> list[str]:
    """The dimensions of the composite, in order (the keys of var ``signals``)."""
    return list(scoring_signals(project_file))
