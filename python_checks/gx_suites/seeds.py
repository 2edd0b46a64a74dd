"""The configuration seeds the suites check against: alert rules (bands: python_checks.bands)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from python_checks.bands import SEEDS_DIR


@dataclass(frozen=True)
class AlertRule:
    alert_type: str
    severity: str
    cooldown_days: int


def load_alert_rules(seeds_dir: Path = SEEDS_DIR) -> tuple[AlertRule, ...]:
    """The rules of seed alert_rules."""
    with (seeds_dir / "alert_rules.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        AlertRule(row["alert_type"], row["severity"], int(row["cooldown_days"])) for row in rows
    )
