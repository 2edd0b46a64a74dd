"""The history floor: history_floor.sql run with the duckdb package in one connection, outside
dbt. It scores every account-day of the whole history and writes them to a Parquet file.

Run as its own process (`python -m python_checks.bench.history_floor --raw DIR --scores FILE`)
so the benchmark can time it and read its peak memory like a dbt step. Like the day floor
(floor.py, whose helpers it uses) it takes the threads and memory limit of profiles.yml, spills
into a temp folder beside the scores, and fills its placeholders from dbt_project.yml's vars and
the seeds (the stage rule's day counts from seeds/lifecycle_stage_rules.csv).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from python_checks.bench.config import DuckdbSettings
from python_checks.bench.floor import (
    connect,
    fill_placeholders,
    floor_cli,
    floor_statements,
    script_params,
    sql_list,
    sql_string,
)
from python_checks.dbt_runner import PROJECT_DIR

HISTORY_FLOOR_SQL = Path(__file__).with_name("history_floor.sql")
STAGE_RULES = Path("seeds") / "lifecycle_stage_rules.csv"
# What a statement makes, for its timing: `create temp table NAME`, `create temp macro NAME`, `copy`.
STATEMENT_NAME = re.compile(r"^\s*(create\s+temp\s+(?:table|macro)\s+\w+|copy)", re.I | re.M)
# The stages of the simplified rule and the seed column each one's day count comes from.
STAGE_DAYS = {
    "renewal_days": ("renewal", "days_before_renewal"),
    "onboarding_days": ("onboarding", "max_days_since_start"),
    "adoption_days": ("adoption", "max_days_since_start"),
}


@dataclass(frozen=True)
class HistorySummary:
    """What the history floor produced: the bench checks it scored the whole history."""

    rows: int
    accounts: int
    first_day: str | None
    as_of: str | None
    mean_score: float | None
    seconds: float
    # Seconds of each statement in order ("create temp table user_days": 12.3, ...).
    statement_seconds: dict[str, float]

    def as_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "accounts": self.accounts,
            "first_day": self.first_day,
            "as_of": self.as_of,
            "mean_score": self.mean_score,
            "seconds": self.seconds,
            "statement_seconds": self.statement_seconds,
        }


def stage_params(project_dir: Path = PROJECT_DIR) -> dict[str, object]:
    """The stage names and the day counts of the simplified stage rule, from the stage seed."""
    path = project_dir / STAGE_RULES
    with path.open(newline="") as handle:
        rules = {row["stage"]: row for row in csv.DictReader(handle)}
    params: dict[str, object] = {"stages": sql_list(sorted(rules))}
    for name, (stage, column) in STAGE_DAYS.items():
        value = (rules.get(stage) or {}).get(column) or ""
        if not value.strip().isdigit():
            raise ValueError(
                f"{path}: stage {stage!r} needs a whole number of days in column {column!r}"
                f" for the history floor's stage rule, found {value!r}"
            )
        params[name] = int(value)
    return params


def history_floor_script(raw_dir: Path, out: Path, project_dir: Path = PROJECT_DIR) -> str:
    """history_floor.sql with its placeholders filled."""
    params = {
        **script_params(raw_dir, project_dir),
        **stage_params(project_dir),
        "out": sql_string(str(out.resolve())),
    }
    return fill_placeholders(HISTORY_FLOOR_SQL.read_text(), params, HISTORY_FLOOR_SQL)


def run_history_floor(
    raw_dir: Path,
    scores_path: Path,
    project_dir: Path = PROJECT_DIR,
    settings: DuckdbSettings | None = None,
) -> HistorySummary:
    """Score every account-day from the raw Parquet; the scores go to ``scores_path``."""
    settings = settings or DuckdbSettings.from_env()
    statements = floor_statements(
        history_floor_script(raw_dir, scores_path, project_dir), HISTORY_FLOOR_SQL
    )
    scores_path.unlink(missing_ok=True)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    con = connect(settings, scores_path.parent / "history_floor.tmp")
    try:
        for number, statement in enumerate(statements, start=1):
            begun = time.perf_counter()
            con.execute(statement)
            match = STATEMENT_NAME.search(statement)
            name = " ".join(match.group(1).lower().split()) if match else f"statement {number}"
            timings[name] = round(time.perf_counter() - begun, 2)
        seconds = time.perf_counter() - started
        row = con.execute(
            "select count(*), count(distinct account_id), cast(min(date_day) as varchar),"
            " cast(max(date_day) as varchar), avg(health_score) from read_parquet(?)",
            [str(scores_path)],
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return HistorySummary(
        rows=int(row[0]),
        accounts=int(row[1]),
        first_day=row[2],
        as_of=row[3],
        mean_score=float(row[4]) if row[4] is not None else None,
        seconds=seconds,
        statement_seconds=timings,
    )


def main(argv: list[str] | None = None) -> int:
    return floor_cli(
        argv,
        "python -m python_checks.bench.history_floor",
        __doc__,
        "Parquet file for the account-day scores",
        run_history_floor,
        rows_label="account-days scored",
    )


if __name__ == "__main__":
    sys.exit(main())
