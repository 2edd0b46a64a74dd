"""Read and check an alternative weights file: the format of seeds/health_weights.csv."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from python_checks.calibrate.data import WEIGHTS_COLUMNS

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SUM_TOLERANCE = 1e-4


@dataclass(frozen=True)
class WeightRow:
    effective_from: date
    lifecycle_stage: str
    customer_tier: str
    signal_name: str
    weight: float


class WeightsFileError(ValueError):
    """The file cannot stand in for seeds/health_weights.csv."""


def scenario_name(raw: str) -> str:
    """A scenario name usable in a seed name: lower case, digits and underscores."""
    name = re.sub(r"[^a-z0-9_]+", "_", raw.strip().lower()).strip("_")
    if not NAME_PATTERN.match(name):
        raise WeightsFileError(f"cannot make a scenario name out of {raw!r}: use [a-z0-9_]")
    return name


def read_weights(path: Path) -> list[WeightRow]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != WEIGHTS_COLUMNS:
            raise WeightsFileError(
                f"{path}: header {header} is not the header of seeds/health_weights.csv "
                f"({','.join(WEIGHTS_COLUMNS)})"
            )
        rows = []
        for number, fields in enumerate(reader, start=2):
            if not fields:
                continue
            if len(fields) != len(WEIGHTS_COLUMNS):
                raise WeightsFileError(f"{path}:{number}: {len(fields)} fields, expected 7")
            try:
                rows.append(
                    WeightRow(
                        date.fromisoformat(fields[0]),
                        fields[1],
                        fields[2],
                        fields[3],
                        float(fields[4]),
                    )
                )
            except ValueError as error:
                raise WeightsFileError(f"{path}:{number}: {error}") from error
    if not rows:
        raise WeightsFileError(f"{path}: no weights")
    return rows


def check_weights(
    rows: list[WeightRow], known_signals: set[str], production: list[WeightRow]
) -> list[str]:
    """Problems that would break or silently empty a scenario build (empty: usable)."""
    problems = []
    totals: dict[tuple[date, str, str], float] = defaultdict(float)
    seen: set[tuple[date, str, str, str]] = set()
    for row in rows:
        key = (row.effective_from, row.lifecycle_stage, row.customer_tier, row.signal_name)
        if key in seen:
            problems.append(f"{' '.join(map(str, key))}: listed twice")
        seen.add(key)
        totals[(row.effective_from, row.lifecycle_stage, row.customer_tier)] += row.weight
        if row.weight < 0:
            problems.append(f"{row.signal_name}: negative weight {row.weight}")
    problems += [
        f"set {day} {stage} {tier} sums to {total:.4f}, not 1"
        for (day, stage, tier), total in totals.items()
        if abs(total - 1) > SUM_TOLERANCE
    ]
    unknown = sorted({row.signal_name for row in rows} - known_signals)
    if unknown:
        problems.append(f"signals not in signal_thresholds: {', '.join(unknown)}")
    # Every stage needs a set from the start of production's history, or days go unscored.
    first = _first_set_per_stage(rows)
    for stage, start in sorted(_first_set_per_stage(production).items()):
        if stage not in first:
            problems.append(f"no set for stage {stage}: a scenario replaces health_weights.csv")
        elif first[stage] > start:
            problems.append(
                f"stage {stage}: the first set starts {first[stage]}, after production's "
                f"{start}; days before it would not be scored (a scenario replaces the whole "
                "health_weights.csv, history included)"
            )
    return problems


def _first_set_per_stage(rows: list[WeightRow]) -> dict[str, date]:
    first: dict[str, date] = {}
    for row in rows:
        if row.customer_tier == "default":
            current = first.get(row.lifecycle_stage)
            first[row.lifecycle_stage] = (
                min(current, row.effective_from) if current else row.effective_from
            )
    return first
