"""The composite score as the project computes it, and the constrained logistic fit of weights.

Composite of a row: sum over present signals of weight * score / sum of their weights (a missing
signal leaves its weight to the present ones), null when no present signal has weight. The churn
model is P(churn) = sigmoid(intercept + slope * (composite - 50) / 10) with slope ≤ 0 (a higher
score must not mean more churn); the weights are non-negative and sum to 1 (scipy SLSQP), and an
L2 penalty pulls them towards the weights in force:

    loss = Σ log-loss over the account-snapshots + l2 * Σ (w - w_current)²

i.e. a Gaussian prior on each weight's change with standard deviation 1 / sqrt(2 * l2) (l2 = 100:
about 0.07); the more evidence, the further the data can move the weights. (Minimised divided by
the number of rows, which changes nothing but the optimiser's scale.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

# Below this the present weight of a row counts as zero (dbt: no weight share, a null score).
_EPS = 1e-12
# The composite's fallback inside the fit where no present signal has weight (neutral).
_NEUTRAL = 50.0


def composite(scores: np.ndarray, present: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The composite score per row (NaN where no present signal has weight)."""
    present_weight = present @ weights
    points = scores @ weights
    out = np.full(len(present_weight), np.nan)
    ok = present_weight > _EPS
    out[ok] = points[ok] / present_weight[ok]
    return out


@dataclass(frozen=True)
class Fit:
    weights: np.ndarray
    intercept: float
    slope: float
    loss: float
    converged: bool
    message: str


def _logistic_loss(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean log-loss of logits ``z`` for outcomes ``y`` and its derivative per row."""
    loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
    probability = 0.5 * (1.0 + np.tanh(0.5 * z))
    return loss, (probability - y) / len(y)


def fit_scale(score: np.ndarray, churned: np.ndarray) -> tuple[float, float]:
    """Intercept and slope (≤ 0) of the logistic model on a fixed composite."""
    x = (np.nan_to_num(score, nan=_NEUTRAL) - 50.0) / 10.0
    y = churned.astype(float)

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        loss, d_z = _logistic_loss(params[0] + params[1] * x, y)
        return loss, np.array([d_z.sum(), (d_z * x).sum()])

    rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    start = np.array([np.log(rate / (1 - rate)), 0.0])
    result = minimize(
        objective, start, jac=True, method="L-BFGS-B", bounds=[(None, None), (None, 0.0)]
    )
    return float(result.x[0]), float(result.x[1])


def fit_weights(
    scores: np.ndarray,
    present: np.ndarray,
    churned: np.ndarray,
    current: np.ndarray,
    l2: float,
    max_iter: int = 500,
) -> Fit:
    """Weights (≥ 0, summing to 1), intercept and slope minimising the penalised log-loss (l2
    against the summed log-loss, see the module's docstring)."""
    k = len(current)
    y = churned.astype(float)
    penalty = l2 / max(len(y), 1)
    start_intercept, start_slope = fit_scale(composite(scores, present, current), churned)

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        weights, intercept, slope = params[:k], params[k], params[k + 1]
        present_weight = present @ weights
        ok = present_weight > _EPS
        safe_weight = np.where(ok, present_weight, 1.0)
        score = np.where(ok, (scores @ weights) / safe_weight, _NEUTRAL)
        x = (score - 50.0) / 10.0
        loss, d_z = _logistic_loss(intercept + slope * x, y)
        # d score / d w_j = (score_j - composite) * present_j / present weight, on rows with weight.
        d_score = np.where(ok, d_z * slope / 10.0 / safe_weight, 0.0)
        grad_weights = d_score @ scores - (d_score * score) @ present
        diff = weights - current
        grad = np.empty_like(params)
        grad[:k] = grad_weights + 2.0 * penalty * diff
        grad[k] = d_z.sum()
        grad[k + 1] = (d_z * x).sum()
        return loss + penalty * float(diff @ diff), grad

    start = np.concatenate([current / current.sum(), [start_intercept, start_slope]])
    result = minimize(
        objective,
        start,
        jac=True,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * k + [(None, None), (None, 0.0)],
        constraints=[
            {
                "type": "eq",
                "fun": lambda params: params[:k].sum() - 1.0,
                "jac": lambda params: np.concatenate([np.ones(k), [0.0, 0.0]]),
            }
        ],
        options={"maxiter": max_iter, "ftol": 1e-10},
    )
    weights = np.clip(result.x[:k], 0.0, None)
    weights = weights / weights.sum()
    return Fit(
        weights=weights,
        intercept=float(result.x[k]),
        slope=float(result.x[k + 1]),
        loss=float(result.fun),
        converged=bool(result.success),
        message=str(result.message),
    )


def round_weights(weights: np.ndarray, decimals: int = 4) -> np.ndarray:
    """Weights rounded to ``decimals`` that sum to exactly 1 (in units of 10^-decimals): the
    rounding remainder goes to the largest weight."""
    unit = 10**decimals
    units = np.floor(np.asarray(weights, dtype=float) / weights.sum() * unit + 0.5).astype(np.int64)
    largest = int(np.argmax(units))
    units[largest] += unit - int(units.sum())
    if units[largest] < 0:  # pragma: no cover - only if rounding broke down entirely
        raise ValueError("weights cannot be rounded to sum to 1")
    return units / unit
