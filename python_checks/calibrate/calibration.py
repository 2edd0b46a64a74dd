"""Split the back-test in time, fit each weight set on the older snapshots, judge the proposal on
the newest ones, and decide per set whether to propose new weights or keep the current ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from python_checks.bands import Band
from python_checks.calibrate.data import SetData, WeightSet
from python_checks.calibrate.evaluate import BandRate, auc, band_churn
from python_checks.calibrate.model import composite, fit_weights, round_weights

# A presence rate this much apart between churned and retained rows is reported.
PRESENCE_GAP = 0.3


@dataclass(frozen=True)
class Settings:
    effective_from: date
    holdout_snapshots: int = 3
    min_churn_events: int = 30
    l2: float = 100.0
    min_auc_gain: float = 0.01
    embargo: bool = True


@dataclass(frozen=True)
class Split:
    """Which snapshots train, which are left out (their horizon reaches into the out-of-time
    period), and which are out of time."""

    training: tuple[date, ...]
    embargoed: tuple[date, ...]
    holdout: tuple[date, ...]


@dataclass(frozen=True)
class PeriodMetrics:
    rows: int
    churned_rows: int
    churn_events: int
    auc_current: float
    auc_proposed: float
    bands_current: list[BandRate]
    bands_proposed: list[BandRate] | None


@dataclass(frozen=True)
class PresenceGap:
    """A signal present far more often for one outcome than the other in training: a weight on
    it scores whether the value exists, which a point-in-time leak can cause."""

    signal_name: str
    present_retained: float
    present_churned: float


def presence_gaps(data: SetData, min_gap: float = PRESENCE_GAP) -> list[PresenceGap]:
    if data.churned_rows == 0 or data.churned_rows == data.rows:
        return []
    retained = data.present[~data.churned].mean(axis=0)
    churned = data.present[data.churned].mean(axis=0)
    return [
        PresenceGap(name, float(retained[j]), float(churned[j]))
        for j, name in enumerate(data.weight_set.signals)
        if abs(retained[j] - churned[j]) >= min_gap
    ]


@dataclass(frozen=True)
class SetResult:
    weight_set: WeightSet
    proposed: bool
    note: str
    candidate: np.ndarray | None
    training: PeriodMetrics
    holdout: PeriodMetrics
    reproduced_rows: int
    reproduced_matches: int
    presence_gaps: list[PresenceGap] = field(default_factory=list)
    fit_message: str = ""

    @property
    def weights(self) -> np.ndarray:
        """The weights the set ends up with: the candidate if proposed, else the current ones."""
        if self.proposed and self.candidate is not None:
            return self.candidate
        return self.weight_set.weights


def split_snapshots(snapshots: list[date], holdout: int, horizon_days: int, embargo: bool) -> Split:
    ordered = sorted(set(snapshots))
    if holdout < 1 or len(ordered) <= holdout:
        raise ValueError(
            f"{len(ordered)} back-test snapshots cannot leave {holdout} out of time and train on the rest"
        )
    holdout_days = tuple(ordered[-holdout:])
    earlier = ordered[:-holdout]
    if embargo:
        cutoff = holdout_days[0] - timedelta(days=horizon_days)
        training = tuple(day for day in earlier if day <= cutoff)
        embargoed = tuple(day for day in earlier if day > cutoff)
    else:
        training, embargoed = tuple(earlier), ()
    if not training:
        raise ValueError("no snapshot is old enough to train on: lower --holdout-snapshots")
    return Split(training, embargoed, holdout_days)


def _in(days: np.ndarray, chosen: tuple[date, ...]) -> np.ndarray:
    return np.isin(days, np.array(chosen, dtype="datetime64[D]"))


def _period(
    data: SetData, current: np.ndarray, candidate: np.ndarray | None, bands: list[Band]
) -> PeriodMetrics:
    score_current = composite(data.scores, data.present, current)
    score_candidate = None if candidate is None else composite(data.scores, data.present, candidate)
    return PeriodMetrics(
        rows=data.rows,
        churned_rows=data.churned_rows,
        churn_events=data.churn_events,
        auc_current=auc(score_current, data.churned),
        auc_proposed=float("nan")
        if score_candidate is None
        else auc(score_candidate, data.churned),
        bands_current=band_churn(score_current, data.churned, bands),
        bands_proposed=None
        if score_candidate is None
        else band_churn(score_candidate, data.churned, bands),
    )


def _reproduction(data: SetData) -> tuple[int, int]:
    """Rows scored with this set in the back-test, and how many of them the composite computed
    here matches to the mart's one decimal."""
    weight_set = data.weight_set
    rows = data.snapshot_on >= np.datetime64(weight_set.effective_from, "D")
    rows &= ~np.isnan(data.backtest_score)
    score = composite(data.scores, data.present, weight_set.weights)
    # The mart rounds to one decimal: an unrounded score within half a unit matches.
    matches = np.abs(score[rows] - data.backtest_score[rows]) <= 0.05 + 1e-9
    return int(rows.sum()), int(matches.sum())


def calibrate_set(data: SetData, split: Split, bands: list[Band], settings: Settings) -> SetResult:
    current = data.weight_set.weights
    training = data.subset(_in(data.snapshot_on, split.training))
    holdout = data.subset(_in(data.snapshot_on, split.holdout))
    reproduced = _reproduction(data)
    gaps = presence_gaps(training)
    if training.churn_events < settings.min_churn_events:
        return SetResult(
            data.weight_set,
            proposed=False,
            note=(
                f"kept current weights: {training.churn_events} churn events in training, "
                f"fewer than --min-churn-events {settings.min_churn_events}"
            ),
            candidate=None,
            training=_period(training, current, None, bands),
            holdout=_period(holdout, current, None, bands),
            reproduced_rows=reproduced[0],
            reproduced_matches=reproduced[1],
            presence_gaps=gaps,
        )
    fit = fit_weights(training.scores, training.present, training.churned, current, settings.l2)
    candidate = round_weights(fit.weights)
    train_metrics = _period(training, current, candidate, bands)
    holdout_metrics = _period(holdout, current, candidate, bands)
    gain = holdout_metrics.auc_proposed - holdout_metrics.auc_current
    if np.isnan(gain):
        proposed, note = (
            False,
            "kept current weights: no out-of-time AUC (no churn or no retention)",
        )
    elif gain > settings.min_auc_gain:
        proposed, note = True, f"proposed: out-of-time AUC {gain:+.3f}"
    else:
        proposed = False
        note = (
            f"kept current weights: out-of-time AUC {gain:+.3f}, not better than "
            f"--min-auc-gain {settings.min_auc_gain:.3f}"
        )
    return SetResult(
        data.weight_set,
        proposed=proposed,
        note=note,
        candidate=candidate,
        training=train_metrics,
        holdout=holdout_metrics,
        reproduced_rows=reproduced[0],
        reproduced_matches=reproduced[1],
        presence_gaps=gaps,
        fit_message="" if fit.converged else f"optimiser: {fit.message}",
    )


def reason(result: SetResult, training_snapshots: int) -> str:
    t, h = result.training, result.holdout
    return (
        f"Calibrated on {training_snapshots} snapshots (AUC in-sample {t.auc_current:.3f} → "
        f"{t.auc_proposed:.3f}, out-of-time {h.auc_current:.3f} → {h.auc_proposed:.3f})"
    )
