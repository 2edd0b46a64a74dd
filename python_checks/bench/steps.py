"""The benchmark's steps and the result of each: what ran, its samples, and what it produced."""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_checks.bench.config import DBT_TIMEOUT_SECONDS
from python_checks.bench.measure import Guard, Measurement, run_measured
from python_checks.dbt_runner import PROJECT_DIR

# Step names in the order they run; the table prints them in this order too.
RAW_LOAD = "raw_load"
FULL_RUN = "full_run"
FULL_BUILD = "full_build"
FLOOR = "floor"
HISTORY_FLOOR = "history_floor"
INCREMENTAL = "incremental"
WEIGHT_CHANGE = "weight_change"
# The weight change runs on the database the daily runs left (a user edits the weights some day
# after the build), so it comes last.
STEP_ORDER = (RAW_LOAD, FULL_RUN, FULL_BUILD, FLOOR, HISTORY_FLOOR, INCREMENTAL, WEIGHT_CHANGE)


def step_dependency_error(chosen: tuple[str, ...]) -> str | None:
    """Why a choice of steps cannot run, else None: the daily runs need a build to start from,
    and the weight change runs on the database and raw copy the daily runs left."""
    if INCREMENTAL in chosen and not {FULL_RUN, FULL_BUILD} & set(chosen):
        return f"{INCREMENTAL} runs on a full build: add {FULL_RUN} or {FULL_BUILD}"
    if WEIGHT_CHANGE in chosen and INCREMENTAL not in chosen:
        return f"{WEIGHT_CHANGE} runs after the daily runs: add {INCREMENTAL}"
    return None


DBT_ARGS: dict[str, list[str]] = {
    # The staging layer only: reads every raw Parquet table into its base table.
    RAW_LOAD: ["run", "--select", "path:models/staging"],
    # Every seed and model, no tests (`dbt run` alone would miss the seeds the models read).
    FULL_RUN: ["build", "--resource-type", "seed", "--resource-type", "model"],
    # Seeds, models, data tests and unit tests.
    FULL_BUILD: ["build"],
    # The daily job on an existing build, models only like the full run it is set against:
    # every seed and model (the daily chain incrementally). The scheduled job adds the data
    # tests (their cost is full_build - full_run); no scheduled run runs the unit tests.
    INCREMENTAL: ["build", "--resource-type", "seed", "--resource-type", "model"],
    # What an analytics engineer runs to adopt edited seeds/health_weights.csv: the seed and
    # what depends on it (the composite layer and the marts; no fact or signal model is
    # downstream of the weights), on the existing database, from a copy of the project with the
    # edited seed. A plain `dbt build` after the edit is a daily run plus this re-score.
    WEIGHT_CHANGE: [
        "build",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
        "--select",
        "health_weights+",
    ],
}

TITLES = {
    RAW_LOAD: "raw load (staging models, fresh db)",
    FULL_RUN: "full build, models only (fresh db)",
    FULL_BUILD: "full build with tests (fresh db)",
    FLOOR: "floor: DuckDB script (floor.sql)",
    HISTORY_FLOOR: "history floor: DuckDB script (history_floor.sql)",
    INCREMENTAL: "incremental daily run (+1 day)",
    WEIGHT_CHANGE: "weight change, then dbt build --select health_weights+",
}


@dataclass
class StepResult:
    name: str
    command: str
    samples: list[Measurement] = field(default_factory=list)
    # Per sample: did the step do its work? A `dbt build` whose models all succeeded but some
    # data test failed exits 1, and is still a complete (timed) build.
    accepted: list[bool] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    rows: int | None = None
    rows_what: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return TITLES.get(self.name, self.name)

    def add(self, measurement: Measurement, load_1m: float, accepted: bool | None = None) -> None:
        self.samples.append(measurement)
        self.loads.append(load_1m)
        self.accepted.append(measurement.ok if accepted is None else accepted)

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(self.accepted)

    @property
    def seconds(self) -> float | None:
        """Median wall-clock seconds over the samples that did their work (over all samples
        when none did: the time a failing step took is still worth seeing, marked failed)."""
        good = [m.seconds for m, ok in zip(self.samples, self.accepted, strict=True) if ok]
        every = [m.seconds for m in self.samples]
        return statistics.median(good or every) if every else None

    @property
    def peak_spill_mib(self) -> float | None:
        """Largest DuckDB temp folder over the samples (None when no folder was watched)."""
        return max(
            (m.peak_spill_mib for m in self.samples if m.peak_spill_mib is not None),
            default=None,
        )

    @property
    def peak_mib(self) -> float | None:
        """Largest peak resident memory over the samples (what a machine must provide); a run
        stopped from outside has no figure."""
        return max((m.peak_mib for m in self.samples if m.peak_mib > 0), default=None)

    def as_dict(self, reference_seconds: float | None) -> dict[str, object]:
        seconds = self.seconds
        return {
            "step": self.name,
            "title": self.title,
            "command": self.command,
            "ok": self.ok,
            "seconds": None if seconds is None else round(seconds, 3),
            "seconds_samples": [round(m.seconds, 3) for m in self.samples],
            "peak_mib": None if self.peak_mib is None else round(self.peak_mib, 1),
            "peak_mib_samples": [round(m.peak_mib, 1) for m in self.samples],
            "peak_spill_mib": None
            if self.peak_spill_mib is None
            else round(self.peak_spill_mib, 1),
            "ratio_to_full_run": (
                round(seconds / reference_seconds, 4)
                if self.ok and seconds and reference_seconds
                else None
            ),
            "rows": self.rows,
            "rows_what": self.rows_what,
            "load_avg_1m_at_start": [round(x, 2) for x in self.loads],
            "samples": [m.as_dict() for m in self.samples],
            **self.extra,
        }


def dbt_command_text(name: str) -> str:
    return "dbt " + " ".join(DBT_ARGS[name])


def run_dbt_step(
    name: str,
    *,
    raw_dir: Path,
    db_path: Path,
    step_dir: Path,
    label: str,
    project_dir: Path,
    guard: Guard | None = None,
) -> Measurement:
    """One isolated dbt run (python_checks.dbt_runner) in its own measured wrapper process;
    its spill is the size of DuckDB's temp folder beside the database (<database>.tmp)."""
    spec = {
        "kind": "dbt",
        "project_dir": str(project_dir),
        "args": DBT_ARGS[name],
        "raw_dir": str(raw_dir),
        "db_path": str(db_path),
        "work_dir": str(step_dir / "dbt"),
        "timeout": DBT_TIMEOUT_SECONDS,
    }
    return run_measured(spec, step_dir, label, guard, spill_dir=duckdb_temp_dir(db_path))


def duckdb_temp_dir(db_path: Path) -> Path:
    """Where DuckDB spills for a database file (profiles.yml sets no temp_directory)."""
    return db_path.with_name(db_path.name + ".tmp")


def floor_command(
    raw_dir: Path,
    scores: Path,
    summary: Path,
    project_dir: Path,
    module: str = "python_checks.bench.floor",
) -> list[str]:
    return [
        sys.executable,
        "-m",
        module,
        "--raw",
        str(raw_dir),
        "--scores",
        str(scores),
        "--summary",
        str(summary),
        "--project",
        str(project_dir),
    ]


def run_floor_step(
    *,
    raw_dir: Path,
    step_dir: Path,
    label: str,
    project_dir: Path,
    guard: Guard | None = None,
    module: str = "python_checks.bench.floor",
) -> Measurement:
    """One run of a floor script (``module``: floor.py or history_floor.py) in its measured
    wrapper; its scores and summary go to <step_dir>/<step>_scores.parquet and
    <step>_summary.json, its spill to <step>.tmp there."""
    name = module.rsplit(".", 1)[-1]
    scores, summary = step_dir / f"{name}_scores.parquet", step_dir / f"{name}_summary.json"
    spec = {
        "kind": "command",
        "command": floor_command(raw_dir, scores, summary, project_dir, module),
        "cwd": str(PROJECT_DIR),
        "timeout": DBT_TIMEOUT_SECONDS,
    }
    return run_measured(spec, step_dir, label, guard, spill_dir=step_dir / f"{name}.tmp")
