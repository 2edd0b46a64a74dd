"""The simulated window in days and microseconds, and its load batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np

US_PER_SECOND = 1_000_000
US_PER_HOUR = 3_600 * US_PER_SECOND
US_PER_DAY = 24 * US_PER_HOUR
EPOCH = date(1970, 1, 1)

# Hour-of-day profile (UTC) of user activity: a working day across Europe and the Americas.
_HOUR_WEIGHTS = np.array(
    [1, 1, 1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 11, 12, 13, 13, 12, 11, 9, 7, 5, 3, 2, 1], float
)
HOUR_CDF = np.cumsum(_HOUR_WEIGHTS) / _HOUR_WEIGHTS.sum()


@dataclass(frozen=True)
class Timeline:
    """Day 0 is the start date; day `days - 1` is the end date (both included)."""

    start: date
    end: date
    batches: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_us(self) -> int:
        return (
            int(datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC).timestamp())
            * US_PER_SECOND
        )

    @property
    def end_us(self) -> int:
        """First microsecond after the window."""
        return self.start_us + self.days * US_PER_DAY

    @property
    def start_epoch_day(self) -> int:
        return (self.start - EPOCH).days

    def day_us(self, day: np.ndarray | int) -> np.ndarray:
        return self.start_us + np.asarray(day, np.int64) * US_PER_DAY

    def epoch_days(self, day: np.ndarray) -> np.ndarray:
        """Window day index -> days since 1970-01-01 (what date32 stores)."""
        return (self.start_epoch_day + np.asarray(day, np.int64)).astype(np.int32)

    def weekday(self, day: np.ndarray) -> np.ndarray:
        """0 = Monday."""
        return (self.start.weekday() + np.asarray(day, np.int64)) % 7

    def date_of(self, day: int) -> date:
        return date.fromordinal(self.start.toordinal() + int(day))

    def day_of(self, when: date) -> int:
        return when.toordinal() - self.start.toordinal()

    # -- batches -------------------------------------------------------------------------------
    @property
    def batch_bounds(self) -> np.ndarray:
        """Day index where each batch's time slice starts, plus the end (length batches + 1)."""
        return np.floor(np.arange(self.batches + 1) * self.days / self.batches).astype(np.int64)

    @property
    def batch_end_us(self) -> np.ndarray:
        return self.day_us(self.batch_bounds[1:])

    def batch_of_us(self, us: np.ndarray) -> np.ndarray:
        """The batch whose time slice holds each instant; earlier ones go to the first batch,
        later ones to the last."""
        edges = self.day_us(self.batch_bounds[1:-1])
        return np.searchsorted(edges, np.asarray(us, np.int64), side="right").astype(np.int16)

    def loaded_at(self, batch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """When the connector landed rows of each batch: 1 to 6 hours after the slice ends."""
        base = self.batch_end_us[np.asarray(batch, np.intp)]
        jitter = rng.integers(US_PER_HOUR, 6 * US_PER_HOUR, len(base), dtype=np.int64)
        return base + jitter

    # -- instants within days ------------------------------------------------------------------
    def working_time(self, day: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Instants on the given days, following the activity profile over the hours."""
        day = np.asarray(day, np.int64)
        hour = np.searchsorted(HOUR_CDF, rng.random(len(day)), side="right").clip(0, 23)
        within = rng.integers(0, US_PER_HOUR, len(day), dtype=np.int64)
        return self.day_us(day) + hour.astype(np.int64) * US_PER_HOUR + within

    def any_time(self, day: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        day = np.asarray(day, np.int64)
        return self.day_us(day) + rng.integers(0, US_PER_DAY, len(day), dtype=np.int64)
