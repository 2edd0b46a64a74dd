"""Distribution drift of the current scores against a previous build: reported, never failed.

A build whose mean score or band mix moved a lot since the previous one may be right (the
customers changed) or wrong (a weight, threshold or join changed): either way someone should
look before the numbers reach the CS team.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from python_checks.bands import SEEDS_DIR, seed_bands


@dataclass(frozen=True)
class DriftThresholds:
    # Points on the 0-100 scale: a quarter of the 20-point neutral band (41-60), enough to move
    # many accounts across a band edge.
    mean_points: float = 5.0
    # Percentage points of accounts in a band.
    band_share_points: float = 10.0


@dataclass(frozen=True)
class BandShift:
    band: str
    previous_pct: float
    current_pct: float

    @property
    def delta_points(self) -> float:
        return self.current_pct - self.previous_pct


@dataclass(frozen=True)
class DriftReport:
    previous_accounts: int
    current_accounts: int
    previous_mean: float | None
    current_mean: float | None
    bands: tuple[BandShift, ...]
    thresholds: DriftThresholds

    @property
    def mean_delta(self) -> float | None:
        if self.previous_mean is None or self.current_mean is None:
            return None
        return self.current_mean - self.previous_mean

    @property
    def mean_drifted(self) -> bool:
        delta = self.mean_delta
        return delta is not None and abs(delta) > self.thresholds.mean_points

    @property
    def drifted_bands(self) -> tuple[str, ...]:
        limit = self.thresholds.band_share_points
        return tuple(shift.band for shift in self.bands if abs(shift.delta_points) > limit)

    @property
    def drifted(self) -> bool:
        return self.mean_drifted or bool(self.drifted_bands)

    def lines(self) -> list[str]:
        def fmt(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.1f}"

        delta = self.mean_delta
        mark = "  <- drift" if self.mean_drifted else ""
        lines = [
            f"Score drift against the previous build (report only; thresholds: mean "
            f"{self.thresholds.mean_points:g} points, band share "
            f"{self.thresholds.band_share_points:g} points)",
            f"  accounts: {self.previous_accounts} -> {self.current_accounts}",
            f"  mean health_score: {fmt(self.previous_mean)} -> {fmt(self.current_mean)}"
            + ("" if delta is None else f" ({delta:+.1f}){mark}"),
        ]
        for shift in self.bands:
            flagged = "  <- drift" if shift.band in self.drifted_bands else ""
            lines.append(
                f"  {shift.band}: {shift.previous_pct:.1f}% -> {shift.current_pct:.1f}%"
                f" ({shift.delta_points:+.1f} points){flagged}"
            )
        lines.append("  drift: " + ("yes, worth a look" if self.drifted else "none"))
        return lines


def _band_pct(frame: pd.DataFrame, band: str) -> float:
    if frame.empty:
        return 0.0
    return float((frame["health_band"] == band).mean() * 100)


def _mean(frame: pd.DataFrame) -> float | None:
    mean = frame["health_score"].mean()
    return None if pd.isna(mean) else float(mean)


def drift_report(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    thresholds: DriftThresholds | None = None,
    bands: tuple[str, ...] | None = None,
) -> DriftReport:
    """Compare two frames of current scores (columns health_score and health_band).

    ``bands`` orders the band mix (default: seed health_bands, then any other band seen).
    """
    thresholds = thresholds or DriftThresholds()
    ordered = list(bands or [band.band for band in seed_bands(SEEDS_DIR)])
    seen = set(current["health_band"].dropna()) | set(previous["health_band"].dropna())
    ordered += sorted(seen - set(ordered))
    return DriftReport(
        previous_accounts=len(previous),
        current_accounts=len(current),
        previous_mean=_mean(previous),
        current_mean=_mean(current),
        bands=tuple(
            BandShift(band, _band_pct(previous, band), _band_pct(current, band)) for band in ordered
        ),
        thresholds=thresholds,
    )


def current_scores(database: Path) -> pd.DataFrame:
    """The current scores of a build: dim_account_health's customers not churned."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(
            "select account_id, health_score, health_band from marts.dim_account_health"
            " where not is_churned"
        ).df()
    finally:
        con.close()


def drift_between(
    database: Path, previous: Path, thresholds: DriftThresholds | None = None
) -> DriftReport:
    return drift_report(current_scores(database), current_scores(previous), thresholds)
