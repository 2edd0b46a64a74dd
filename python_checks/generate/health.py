"""The hidden health h(t) in [0, 1] of every account, one value per window day.

A mean-reverting walk in logit space around a level that drifts slowly and moves with
occasional shocks (a champion leaving or a bad outage pull it down, a new champion lifts it).
"""

from __future__ import annotations

import numpy as np

from .population import ENTERPRISE, MID_MARKET, SMB

# Long-run level (probability scale) by tier, and its spread across accounts (logit scale).
TIER_LEVEL = {ENTERPRISE: 0.68, MID_MARKET: 0.6, SMB: 0.52}
LEVEL_SPREAD = 0.9
DRIFT_SD_PER_YEAR = 0.6
REVERSION_PER_DAY = 1 / 30
STATIONARY_SD = 0.5
NEGATIVE_SHOCK_PER_DAY = 1 / 450
POSITIVE_SHOCK_PER_DAY = 1 / 900


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def simulate_health(tier: np.ndarray, days: int, rng: np.random.Generator) -> np.ndarray:
    """float32 array (accounts, days) of hidden health; accounts without a tier use SMB's."""
    n = len(tier)
    tier = np.where(tier < 0, SMB, tier)
    center = np.array([_logit(TIER_LEVEL[int(t)]) for t in (ENTERPRISE, MID_MARKET, SMB)])[tier]
    level = center + rng.normal(0, LEVEL_SPREAD, n)
    drift = rng.normal(0, DRIFT_SD_PER_YEAR / 365, n)
    noise_sd = STATIONARY_SD * np.sqrt(2 * REVERSION_PER_DAY)

    # Shocks: a permanent part moves the level, a transient part only the current state.
    neg = rng.random((n, days)) < NEGATIVE_SHOCK_PER_DAY
    pos = rng.random((n, days)) < POSITIVE_SHOCK_PER_DAY
    neg_size = rng.uniform(0.6, 1.6, (n, days))
    permanent = np.cumsum(np.where(pos, 0.7, 0.0) - np.where(neg, 0.5 * neg_size, 0.0), axis=1)
    transient = np.where(neg, -neg_size, 0.0) + np.where(pos, 0.4, 0.0)
    eps = rng.normal(0, noise_sd, (n, days))

    out = np.empty((n, days), np.float32)
    z = level + rng.normal(0, STATIONARY_SD, n)
    for d in range(days):
        target = level + drift * d + permanent[:, d]
        z = z + REVERSION_PER_DAY * (target - z) + eps[:, d] + transient[:, d]
        z = np.clip(z, -4.0, 4.0)
        out[:, d] = 1.0 / (1.0 + np.exp(-z))
    return out
