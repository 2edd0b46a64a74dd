"""The weight change step's edit: a temporary copy of the dbt project whose
seeds/health_weights.csv has one dimension's weights of one stage scaled, the way a user would
edit the seed (the working tree is never touched)."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from python_checks.bench.snapshot import DBT_PATHS

WEIGHTS_SEED = Path("seeds") / "health_weights.csv"
THRESHOLDS_SEED = Path("seeds") / "signal_thresholds.csv"
# The bench's edit: every product usage weight of the maturity stage, in every existing set,
# a quarter heavier.
EDIT_STAGE = "maturity"
EDIT_DIMENSION = "product"
EDIT_FACTOR = 1.25


@dataclass(frozen=True)
class WeightEdit:
    stage: str
    dimension: str
    factor: float
    rows_changed: int

    def describe(self) -> str:
        return (
            f"{self.dimension} weights of the {self.stage} stage x{self.factor:g}"
            f" ({self.rows_changed} rows of {WEIGHTS_SEED})"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "dimension": self.dimension,
            "factor": self.factor,
            "rows_changed": self.rows_changed,
        }


def dimension_signals(thresholds_csv: Path, dimension: str) -> set[str]:
    """The signals of one dimension, from seeds/signal_thresholds.csv."""
    with thresholds_csv.open(newline="") as handle:
        return {
            row["signal_name"] for row in csv.DictReader(handle) if row["dimension"] == dimension
        }


def scale_weights(
    weights_csv: Path, signals: set[str], stage: str, factor: float, label: str = ""
) -> int:
    """Multiply the weight of ``signals`` in every set of ``stage`` by ``factor`` in place;
    returns how many rows changed. Other rows, the columns and their order stay as they were."""
    label = label or str(weights_csv)
    with weights_csv.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    missing = {"lifecycle_stage", "signal_name", "weight"} - set(fields)
    if missing:
        raise ValueError(f"{label} has no column {', '.join(sorted(missing))}")
    changed = 0
    for row in rows:
        if row["lifecycle_stage"] == stage and row["signal_name"] in signals:
            row["weight"] = f"{float(row['weight']) * factor:.6g}"
            changed += 1
    if not changed:
        raise ValueError(f"{label}: no weight of stage {stage!r} for {sorted(signals)} to change")
    with weights_csv.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return changed


def edited_project(
    source: Path,
    target: Path,
    stage: str = EDIT_STAGE,
    dimension: str = EDIT_DIMENSION,
    factor: float = EDIT_FACTOR,
) -> WeightEdit:
    """Copy the dbt files of ``source`` (dbt_project.yml, profiles.yml, models/, macros/,
    seeds/, tests/, analyses/) to ``target`` and scale the weights there."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in DBT_PATHS:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.exists():
            shutil.copy2(path, target / name)
    signals = dimension_signals(target / THRESHOLDS_SEED, dimension)
    if not signals:
        raise ValueError(f"{target / THRESHOLDS_SEED} has no signal of dimension {dimension!r}")
    changed = scale_weights(
        target / WEIGHTS_SEED, signals, stage, factor, str(source / WEIGHTS_SEED)
    )
    return WeightEdit(stage, dimension, factor, changed)
