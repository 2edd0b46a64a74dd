"""The scoring vocabulary (var signals) as Python reads it, and its agreement with the seeds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from python_checks.dbt_runner import PROJECT_DIR
from python_checks.vocabulary import VocabularyError, scoring_dimensions, scoring_signals


def test_the_dimensions_and_signals_match_the_thresholds_seed() -> None:
    with (PROJECT_DIR / "seeds" / "signal_thresholds.csv").open(encoding="utf-8") as handle:
        seeded = {(row["dimension"], row["signal_name"]) for row in csv.DictReader(handle)}
    declared = {
        (dimension, name) for dimension, names in scoring_signals().items() for name in names
    }
    assert declared == seeded
    assert scoring_dimensions()[:2] == ["onboarding", "product"]


def test_a_malformed_declaration_is_refused_naming_the_file(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project.yml"
    project.write_text("vars:\n  signals: [nps, csat_score]\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"dbt_project\.yml: var signals must map"):
        scoring_signals(project)
