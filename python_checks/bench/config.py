"""Parameters of one benchmark run and the settings it shares with the dbt profile."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from python_checks.dbt_runner import PROJECT_DIR

DEFAULT_ACCOUNTS = 20_000
DEFAULT_SEED = 42
DEFAULT_DATA_DIR = PROJECT_DIR / "build" / "bench" / "data"
DEFAULT_OUT = PROJECT_DIR / "build" / "bench"
# Below this much free disk the benchmark stops before the next step (a 20k build is a few GB,
# and DuckDB may spill as much again into its .tmp folder).
DEFAULT_MIN_FREE_GB = 15.0
# A full build at a large scale on a loaded machine can take long; dbt_runner's default is 15 min.
DBT_TIMEOUT_SECONDS = 6 * 3600


@dataclass(frozen=True)
class BenchConfig:
    """One benchmark invocation: the scales to measure and where data and results go."""

    scales: tuple[int, ...] = (DEFAULT_ACCOUNTS,)
    seed: int = DEFAULT_SEED
    data_dir: Path = DEFAULT_DATA_DIR
    out: Path = DEFAULT_OUT
    skip_tests: bool = False
    repeat: int = 1
    # Consecutive daily runs, one new day each (None: as many as --repeat). A scheduled job's
    # cost is a series of days, so this is set apart from the costly full-build repeats.
    daily_runs: int | None = None
    keep_databases: bool = False
    min_free_gb: float = DEFAULT_MIN_FREE_GB
    report_only: bool = False
    # The steps to run (names of steps.STEP_ORDER); None: all of them. At 100,000 accounts a
    # full build alone shows whether the design fits the machine (memory, spill).
    steps: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.scales or any(n < 1 for n in self.scales):
            raise ValueError("every scale must be at least 1 account")
        if self.repeat < 1:
            raise ValueError("--repeat must be at least 1")
        if self.daily_runs is not None and self.daily_runs < 1:
            raise ValueError("--daily-runs must be at least 1")
        if self.steps is not None:
            from python_checks.bench.steps import STEP_ORDER, step_dependency_error

            unknown = sorted(set(self.steps) - set(STEP_ORDER))
            if unknown:
                raise ValueError(
                    f"--steps: unknown step(s) {', '.join(unknown)}; the steps are"
                    f" {', '.join(STEP_ORDER)}"
                )
            problem = step_dependency_error(self.steps)
            if problem:
                raise ValueError(f"--steps: {problem}")

    def runs(self, step: str) -> bool:
        """Whether this invocation runs ``step``."""
        return self.steps is None or step in self.steps

    @property
    def daily_run_count(self) -> int:
        """How many consecutive daily runs the incremental step makes."""
        return self.repeat if self.daily_runs is None else self.daily_runs

    def work_dir(self, accounts: int) -> Path:
        """Databases, dbt target/log folders and the incremental raw copy of one scale."""
        return self.out / "work" / f"a{accounts}_s{self.seed}"

    @property
    def project_snapshot(self) -> Path:
        """The copy of the dbt project every step of this invocation runs (see snapshot.py)."""
        return self.out / "work" / "project"

    def result_path(self, accounts: int) -> Path:
        return self.out / f"bench_{accounts}.json"


@dataclass(frozen=True)
class DuckdbSettings:
    """The settings profiles.yml gives the dbt connection, read from the same variables."""

    threads: int
    memory_limit: str
    timezone: str = "UTC"
    preserve_insertion_order: bool = False

    @classmethod
    def from_env(cls) -> DuckdbSettings:
        return cls(
            threads=int(os.environ.get("DBT_THREADS", "1")),
            memory_limit=os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "3GB"),
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "threads": self.threads,
            "memory_limit": self.memory_limit,
            "TimeZone": self.timezone,
            "preserve_insertion_order": self.preserve_insertion_order,
        }
