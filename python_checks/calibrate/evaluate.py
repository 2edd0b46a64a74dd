"""How well a score ranks churn (AUC) and how churn spreads over the bands, as the back-test does."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

from python_checks.calibrate.data import Band
from python_checks.calibrate.model import project_round


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


def band_of(score: np.ndarray, bands: list[Band]) -> np.ndarray:
    """The band of each score as int_account_health_daily bands it: the published score (one
    decimal) rounded to a whole score, in the ranges of seed health_bands; '' without a score."""
    out = np.full(len(score), "", dtype=object)
    whole = project_round(project_round(np.nan_to_num(score, nan=-1.0), 1))
    for band in bands:
        out[(whole >= band.min_score) & (whole <= band.max_score) & ~np.isnan(score)] = band.band
    return out


@dataclass(frozen=True)
class BandRate:
    band: str
    rows: int
    churned: int

    @property
    def churn_rate(self) -> float:
        return self.churned / self.rows if self.rows else float("nan")


def band_churn(score: np.ndarray, churned: np.ndarray, bands: list[Band]) -> list[BandRate]:
    labels = band_of(score, bands)
    return [
        BandRate(
            band.band, int((labels == band.band).sum()), int(churned[labels == band.band].sum())
        )
        for band in bands
    ]
