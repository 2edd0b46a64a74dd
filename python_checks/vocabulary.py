"""The scoring vocabulary as dbt_project.yml declares it (var ``signals``), for Python readers.

SQL reads the same var (``var('signals')``) and the dbt test ``signals_match_thresholds`` holds
seed signal_thresholds to it, so a dimension or signal is spelled in one place.
"""

from __future__ import annotations

from pathlib import Path

from python_checks.project_vars import PROJECT_FILE, ProjectVarError, project_vars


class VocabularyError(ValueError):
    """dbt_project.yml does not declare the scoring vocabulary in the expected shape."""


def scoring_signals(project_file: Path = PROJECT_FILE) -> dict[str, list[str]]:
    """Each dimension (in the composite's order) and its signals: var ``signals``."""
    try:
        signals = project_vars(project_file).get("signals")
    except ProjectVarError as exc:
        raise VocabularyError(f"cannot read var signals: {exc}") from exc
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


def scoring_dimensions(project_file: Path = PROJECT_FILE) -> list[str]:
    """The dimensions of the composite, in order (the keys of var ``signals``)."""
    return list(scoring_signals(project_file))
