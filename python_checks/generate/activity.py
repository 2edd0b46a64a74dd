"""Daily seats, active users and the expected product activity of each account.

Shared by the product, support and survey modules, and used twice: once to calibrate the
global event volume and once to generate, which is why nothing here draws random numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lifecycle import NO_DAY, ChunkLifecycle, daily_seats
from .timeline import Timeline

WEEKDAY_FACTOR = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.3, 0.25])
ONBOARDING_DAYS = 14
ONBOARDING_BOOST = 1.4
TAIL_DAYS = 45
SURPRISE_TAIL_DAYS = 10


@dataclass(frozen=True)
class ChunkActivity:
    seats: np.ndarray  # (accounts, days) seats on active days, else 0
    users: np.ndarray  # (accounts, days) active users
    roster: np.ndarray  # (accounts,) users ever active
    intensity: np.ndarray  # (accounts, days) expected events before the global scale
    start_health: np.ndarray  # (accounts,) mean health over the first two active weeks
    life_health: np.ndarray  # (accounts,) mean health over active days


def per_user_rate(health: np.ndarray) -> np.ndarray:
    """Relative events per active user and day: grows with health."""
    return 0.2 + 1.6 * health**1.5


def _masked_mean(health: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    days = np.arange(health.shape[1])
    mask = (days >= lo[:, None]) & (days < hi[:, None])
    count = mask.sum(axis=1)
    total = np.where(mask, health, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), 0.5)


def compute_activity(
    health: np.ndarray, lifecycle: ChunkLifecycle, start_day: np.ndarray, timeline: Timeline
) -> ChunkActivity:
    n, days = health.shape
    seats = daily_seats(lifecycle, days)
    active = seats > 0
    day = np.arange(days)[None, :]
    lo = np.minimum(lifecycle.active_from, days)
    hi = np.minimum(lifecycle.active_to, days)
    start_health = _masked_mean(health, lo, np.minimum(lo + ONBOARDING_DAYS, hi))
    life_health = _masked_mean(health, lo, hi)

    # Adoption ramps up after the start, faster for healthy accounts, and follows health.
    tau = 7 + 45 * (1 - start_health) ** 2
    since_start = np.maximum(day - start_day[:, None] + 1, 0)
    ramp = 1 - np.exp(-since_start / tau[:, None])
    share = ramp * np.clip(0.25 + 0.85 * health, 0, 1)
    users = np.where(active, np.maximum(np.ceil(seats * share), 1), 0).astype(np.int64)
    roster = users.max(axis=1) if days else np.zeros(n, np.int64)

    factor = np.broadcast_to(WEEKDAY_FACTOR[timeline.weekday(np.arange(days))], (n, days)).copy()
    factor *= np.where(
        (day >= lo[:, None]) & (day < lo[:, None] + ONBOARDING_DAYS) & (start_day[:, None] >= 0),
        ONBOARDING_BOOST,
        1.0,
    )
    churned = lifecycle.churn_day < NO_DAY
    to_churn = lifecycle.churn_day[:, None] - day
    health_tail = (
        churned[:, None] & ~lifecycle.surprise[:, None] & (to_churn > 0) & (to_churn <= TAIL_DAYS)
    )
    factor *= np.where(health_tail, 0.35 + 0.65 * to_churn / TAIL_DAYS, 1.0)
    surprise_tail = (
        churned[:, None]
        & lifecycle.surprise[:, None]
        & (to_churn > 0)
        & (to_churn <= SURPRISE_TAIL_DAYS)
    )
    factor *= np.where(surprise_tail, 0.7, 1.0)
    intensity = users * per_user_rate(health) * factor
    return ChunkActivity(
        seats=seats,
        users=users,
        roster=roster,
        intensity=intensity,
        start_health=start_health,
        life_health=life_health,
    )
