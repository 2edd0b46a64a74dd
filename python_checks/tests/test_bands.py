"""The band rule as Python applies it (python_checks.bands), held to macro in_score_band's."""

from __future__ import annotations

import numpy as np
import pytest

from python_checks.bands import band_of, seed_bands
from python_checks.build_fixtures import Build


def test_the_edges_are_banded_by_the_published_score_rounded() -> None:
    bands = seed_bands()
    scores = np.array([0, 40, 40.04, 40.44, 40.46, 41, 60, 60.44, 60.49, 61, 100, np.nan])
    assert list(band_of(scores, bands)) == [
        "unhealthy",
        "unhealthy",
        "unhealthy",
        "unhealthy",
        "neutral",
        "neutral",
        "neutral",
        "neutral",
        "healthy",
        "healthy",
        "healthy",
        None,
    ]


@pytest.mark.build
def test_every_stored_day_has_the_band_python_gives_its_score(sample_build: Build) -> None:
    rows = sample_build.query(
        "select health_score, health_band from intermediate.int_account_health_daily"
        " where health_score is not null"
    )
    assert len(rows) > 10_000
    scores = np.array([float(row[0]) for row in rows])
    stored = [row[1] for row in rows]
    python = band_of(scores, seed_bands())
    mismatches = [(s, b, p) for s, b, p in zip(scores, stored, python, strict=True) if b != p]
    assert mismatches == []
    # Scores near an edge are in the sample, so the rule is tested where it matters.
    assert any(abs(score - 40.5) < 0.5 or abs(score - 60.5) < 0.5 for score in scores)
