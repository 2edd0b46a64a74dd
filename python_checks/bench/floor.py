"""The floor: floor.sql run with the duckdb package in one connection, outside dbt.

Run as its own process (`python -m python_checks.bench.floor --raw DIR --scores FILE`) so the
benchmark can time it and read its peak memory like a dbt step. It uses the threads and memory
limit of profiles.yml and the vars of dbt_project.yml, and writes the scores to Parquet so the
benchmark can set them beside the dbt build's.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from python_checks.bench.config import DuckdbSettings
from python_checks.dbt_runner import PROJECT_DIR
from python_checks.project_vars import project_vars

FLOOR_SQL = Path(__file__).with_name("floor.sql")
# The floor weights every account with one stage's weights (the stage most customers are in).
WEIGHTS_STAGE = "maturity"
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
STATEMENT_END = re.compile(r";[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FloorSummary:
    accounts: int
    distinct_accounts: int
    as_of: str | None
    mean_score: float | None
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {
            "accounts": self.accounts,
            "distinct_accounts": self.distinct_accounts,
            "as_of": self.as_of,
            "mean_score": self.mean_score,
            "seconds": self.seconds,
        }


def sql_string(value: str) -> str:
    """A value for a single-quoted SQL string literal."""
    return value.replace("'", "''")


def sql_list(values: list[str]) -> str:
    """A DuckDB list literal of strings."""
    return "[" + ", ".join(f"'{sql_string(v)}'" for v in values) + "]"


def fill_placeholders(template: str, params: dict[str, object], source: Path = FLOOR_SQL) -> str:
    """Replace every ``{{ name }}``; an unknown name is an error, not an empty string."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise KeyError(f"{source.name} uses {{{{ {name} }}}} but its runner does not fill it")
        return str(params[name])

    return PLACEHOLDER.sub(value, template)


def script_params(raw_dir: Path, project_dir: Path = PROJECT_DIR) -> dict[str, object]:
    """The placeholders the floor scripts share: the raw folder, the seed files and the
    project's vars."""
    v = project_vars(project_dir / "dbt_project.yml")
    seeds_dir = project_dir / "seeds"
    return {
        "raw": sql_string(str(raw_dir.resolve())),
        "thresholds_csv": sql_string(str(seeds_dir / "signal_thresholds.csv")),
        "weights_csv": sql_string(str(seeds_dir / "health_weights.csv")),
        "areas_csv": sql_string(str(seeds_dir / "product_event_areas.csv")),
        "bands_csv": sql_string(str(seeds_dir / "health_bands.csv")),
        "weights_stage": WEIGHTS_STAGE,
        "customer_tiers": sql_list([str(t) for t in v["customer_tiers"]]),
        "task_types": sql_list([str(t).lower() for t in v["task_types"]]),
        "feature_areas": sql_list([str(a) for a in v["feature_areas"]]),
        "public_domains": sql_list([str(d) for d in v["public_email_domains"]]),
        "test_name_pattern": sql_string(str(v["test_account_name_pattern"])),
        "future_tolerance_hours": int(v["event_future_tolerance_hours"]),
        "min_valid_date": sql_string(str(v["event_min_valid_date"])),
        "activity_window": int(v["activity_window_days"]),
        "trend_window": int(v["trend_window_days"]),
        "nps_window": int(v["nps_window_days"]),
        "survey_window": int(v["survey_window_days"]),
        "rating_half_life": int(v["rating_half_life_days"]),
        "min_peer_group_size": int(v["min_peer_group_size"]),
    }


def floor_query(raw_dir: Path, project_dir: Path = PROJECT_DIR) -> str:
    """floor.sql with its placeholders filled from the project's vars and seed files."""
    return fill_placeholders(FLOOR_SQL.read_text(), script_params(raw_dir, project_dir))


def floor_statements(script: str, source: Path = FLOOR_SQL) -> list[str]:
    """The script's statements in order (each ends with a semicolon at the end of a line); for
    floor.sql the last one is the query of the scores."""
    statements = [part.strip() for part in STATEMENT_END.split(script)]
    statements = [part for part in statements if _has_sql(part)]
    if not statements:
        raise ValueError(f"{source} has no statement")
    return statements


def _has_sql(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())


def connect(settings: DuckdbSettings, temp_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the dbt profile's settings (and a spill folder)."""
    con = duckdb.connect(":memory:")
    for name, value in settings.as_dict().items():
        con.execute(
            f"set {name} = '{value}'" if isinstance(value, str) else f"set {name} = {value}"
        )
    if temp_dir is not None:
        temp_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"set temp_directory = '{sql_string(str(temp_dir))}'")
    return con


def run_floor(
    raw_dir: Path,
    scores_path: Path,
    project_dir: Path = PROJECT_DIR,
    settings: DuckdbSettings | None = None,
) -> FloorSummary:
    """Score every active account from the raw Parquet; the scores go to ``scores_path``."""
    settings = settings or DuckdbSettings.from_env()
    *setup, query = floor_statements(floor_query(raw_dir, project_dir))
    started = time.perf_counter()
    con = connect(settings, scores_path.parent / "floor.tmp")
    try:
        for statement in setup:
            con.execute(statement)
        con.execute(f"create temp table floor_scores as {query}")
        seconds = time.perf_counter() - started
        con.execute(f"copy floor_scores to '{sql_string(str(scores_path))}' (format parquet)")
        row = con.execute(
            "select count(*), count(distinct account_id), cast(max(as_of_on) as varchar),"
            " avg(health_score) from floor_scores"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return FloorSummary(
        accounts=int(row[0]),
        distinct_accounts=int(row[1]),
        as_of=row[2],
        mean_score=float(row[3]) if row[3] is not None else None,
        seconds=seconds,
    )


def floor_cli(
    argv: list[str] | None,
    prog: str,
    description: str | None,
    scores_help: str,
    run: Callable[[Path, Path, Path], Any],
    rows_label: str | None = None,
) -> int:
    """The command line of a floor script: --raw, --scores, --summary, --project; prints the
    summary as JSON (after "<rows_label>: <rows>" when given)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--raw", type=Path, required=True, help="the raw landing folder")
    parser.add_argument("--scores", type=Path, required=True, help=scores_help)
    parser.add_argument("--summary", type=Path, help="write a JSON summary here")
    parser.add_argument(
        "--project",
        type=Path,
        default=PROJECT_DIR,
        help="dbt project whose seeds and vars to use (default: this one)",
    )
    args = parser.parse_args(argv)
    args.scores.parent.mkdir(parents=True, exist_ok=True)
    summary = run(args.raw, args.scores, args.project)
    text = json.dumps(summary.as_dict(), indent=2)
    if args.summary:
        args.summary.write_text(text + "\n")
    if rows_label:
        print(f"{rows_label}: {summary.rows}")
    print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    return floor_cli(
        argv,
        "python -m python_checks.bench.floor",
        __doc__,
        "Parquet file for the scores",
        run_floor,
    )


if __name__ == "__main__":
    sys.exit(main())
