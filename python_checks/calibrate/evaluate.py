"""How well a score ranks churn (AUC) and how churn spreads over the bands, as the back-test does."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

from python_checks.bands import Band, band_of, project_round


def auc(score: np.ndarray, churned: np.ndarray) -> float:
    """AUC of a score for churn by ranks, ties averaged (rpt_health_backtest_summary): the chance
    that a churned row scores lower than a retained one. Scores are rounded to one decimal like
    the marts' health_score; rows without a score are left out. NaN without both outcomes."""
    keep = ~np.isnan(score)
    score, churned = project_round(score[keep], 1), churned[keep].astype(bool)
    positives = int(churned.sum())
    negatives = len(churned) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    risk_rank = rankdata(-score)
    return float(
        (risk_rank[churned].sum() - positives * (positives + 1) / 2) / (positives * negatives)
    )


@dataclass(frozen=True)
class BandRate:
    band: str
    rows: int
    churned: int

    @property
    def churn_rate(self) -> float:
        return self.churned / self.rows if self.rows else float("nan")


def band_churn(score: np.ndarray, churned: np.ndarray, bands: list[Band]) -> list[BandRate]:
    """Rows and churns per band, banded by macro in_score_band's rule (python_checks.bands)."""
    labels = band_of(score, bands)
    return [
        BandRate(
            band.band, int((labels == band.band).sum()), int(churned[labels == band.band].sum())
        )
        for band in bands
    ]
