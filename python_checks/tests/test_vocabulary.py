"""The scoring vocabulary (var signals) as Python reads it, and its agreement with the seeds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from python_checks.dbt_runner import PROJECT_DIR
from python_checks.vocabulary import (
    VocabularyError,
    alert_severities,
    customer_tiers,
    lifecycle_stages,
    scoring_dimensions,
    scoring_signals,
)


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


def test_stages_come_in_stage_order_and_a_seed_without_it_is_named(tmp_path: Path) -> None:
    seed = tmp_path / "lifecycle_stage_rules.csv"
    seed.write_text("stage,priority,stage_order\nlate,1,3\nfirst,2,1\nmiddle,3,2\n", "utf-8")
    assert lifecycle_stages(seed) == ("first", "middle", "late")
    seed.write_text("stage,priority\nfirst,1\n", "utf-8")
    with pytest.raises(VocabularyError, match=r"lifecycle_stage_rules\.csv: 'stage_order'"):
        lifecycle_stages(seed)


def test_name_lists_are_read_in_order_and_a_malformed_one_is_named(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project.yml"
    project.write_text(
        "vars:\n  customer_tiers: [Large, Small]\n  alert_severities: {critical: 1}\n", "utf-8"
    )
    assert customer_tiers(project) == ("Large", "Small")
    with pytest.raises(VocabularyError, match="var alert_severities must be a list of names"):
        alert_severities(project)
    with open(PROJECT_DIR / "seeds" / "alert_rules.csv", encoding="utf-8") as handle:
        raised = {row["severity"] for row in csv.DictReader(handle)}
    assert raised <= set(alert_severities())
