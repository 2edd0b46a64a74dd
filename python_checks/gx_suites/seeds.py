"""The configuration seeds the suites check against: bands (health_bands) and alert rules."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from python_checks.dbt_runner import PROJECT_DIR

SEEDS_DIR = PROJECT_DIR / "seeds"


@dataclass(frozen=True)
class Band:
    name: str
    order: int
    min_score: int
    max_score: int


@dataclass(frozen=True)
class AlertRule:
    alert_type: str
    severity: str
    cooldown_days: int


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_bands(seeds_dir: Path = SEEDS_DIR) -> tuple[Band, ...]:
    """The bands of seed health_bands, lowest first."""
    bands = [
        Band(row["band"], int(row["band_order"]), int(row["min_score"]), int(row["max_score"]))
        for row in _rows(seeds_dir / "health_bands.csv")
    ]
    return tuple(sorted(bands, key=lambda band: band.order))


def load_alert_rules(seeds_dir: Path = SEEDS_DIR) -> tuple[AlertRule, ...]:
    """The rules of seed alert_rules."""
    return tuple(
        AlertRule(row["alert_type"], row["severity"], int(row["cooldown_days"]))
        for row in _rows(seeds_dir / "alert_rules.csv")
    )


def _band_of_whole_score(whole: pd.Series, bands: tuple[Band, ...]) -> np.ndarray:
    conditions = [(whole >= band.min_score) & (whole <= band.max_score) for band in bands]
    return np.select(conditions, [band.name for band in bands], default=None)


def seed_band(scores: pd.Series, observed: pd.Series, bands: tuple[Band, ...]) -> pd.Series:
    """The band seed health_bands gives a score: round(score) between min_score and max_score.

    The dbt models band the full-precision score and only then round it to one decimal, so a
    stored 40.5 may come from 40.46 (band of 40) or 40.54 (band of 41). Where the two candidate
    whole scores fall in different bands, the observed band is accepted if it is one of them.
    Scores outside every band (or null) get no band, which never matches.
    """
    # Rounding half away from zero, as DuckDB's round() does for the (non-negative) scores.
    low = _band_of_whole_score(np.floor(scores - 0.05 + 0.5), bands)
    high = _band_of_whole_score(np.floor(scores + 0.05 + 0.5), bands)
    observed_values = observed.to_numpy(dtype=object)
    ambiguous = low != high
    either = ambiguous & ((observed_values == low) | (observed_values == high))
    result = np.where(either, observed_values, high)
    return pd.Series(result, index=scores.index, dtype=object)
