"""The scoring vocabulary as the project declares it, for Python readers.

Dimensions and signals: var ``signals`` (SQL reads the same var, and the dbt test
``signals_match_thresholds`` holds seed signal_thresholds to it). Customer tiers and alert
severities: vars ``customer_tiers`` and ``alert_severities``. Lifecycle stages: seed
lifecycle_stage_rules, in its ``stage_order``. Each is spelled in one place; bands are read by
python_checks.bands.
"""

from __future__ import annotations

import csv
from pathlib import Path

from python_checks.dbt_runner import PROJECT_DIR
from python_checks.project_vars import PROJECT_FILE, ProjectVarError, project_vars

STAGE_RULES_SEED = PROJECT_DIR / "seeds" / "lifecycle_stage_rules.csv"


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


def _names(var_name: str, project_file: Path) -> tuple[str, ...]:
    """A var that is a list of names, in its declared order."""
    try:
        names = project_vars(project_file).get(var_name)
    except ProjectVarError as exc:
        raise VocabularyError(f"cannot read var {var_name}: {exc}") from exc
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise VocabularyError(f"{project_file}: var {var_name} must be a list of names")
    return tuple(names)


def customer_tiers(project_file: Path = PROJECT_FILE) -> tuple[str, ...]:
    """The customer tiers (var ``customer_tiers``), in their declared order."""
    return _names("customer_tiers", project_file)


def alert_severities(project_file: Path = PROJECT_FILE) -> tuple[str, ...]:
    """The severities alert rules may raise, most severe first (var ``alert_severities``)."""
    return _names("alert_severities", project_file)


def lifecycle_stages(seed: Path = STAGE_RULES_SEED) -> tuple[str, ...]:
    """The lifecycle stages of seed lifecycle_stage_rules, in ``stage_order`` (a customer's life:
    onboarding first). The churn day's stage is not among them."""
    try:
        with seed.open(newline="", encoding="utf-8") as handle:
            rows = [(int(row["stage_order"]), row["stage"]) for row in csv.DictReader(handle)]
    except (OSError, KeyError, ValueError) as exc:
        raise VocabularyError(f"cannot read the stages of {seed}: {exc}") from exc
    return tuple(stage for _order, stage in sorted(rows))
