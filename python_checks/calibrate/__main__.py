"""Propose health weights calibrated on the back-test (see python_checks/calibrate/__init__.py)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb

from python_checks.calibrate import data
from python_checks.calibrate.calibration import Settings, calibrate_set, split_snapshots
from python_checks.calibrate.report import (
    Context,
    report_lines,
    summary_lines,
    write_proposal,
)
from python_checks.cli import database_option, missing_database
from python_checks.dbt_runner import PROJECT_DIR

PROPOSAL_FILE = "health_weights_proposed.csv"
REPORT_FILE = "calibration_report.md"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m python_checks.calibrate",
        description="Fit health weights per lifecycle stage on the back-test and propose a new "
        "set (never written into seeds/).",
    )
    database_option(parser)
    parser.add_argument("--out", type=Path, default=Path("build/calibration"))
    parser.add_argument(
        "--effective-from",
        type=date.fromisoformat,
        help="first day of the proposed sets (default: the day after the as-of date)",
    )
    parser.add_argument(
        "--holdout-snapshots",
        type=int,
        default=3,
        help="newest snapshots kept out of the fit for the out-of-time check (default 3)",
    )
    parser.add_argument(
        "--min-churn-events",
        type=int,
        default=30,
        help="distinct churns a stage needs in training to be fitted (default 30)",
    )
    parser.add_argument(
        "--l2",
        type=float,
        default=100.0,
        help="pull towards the current weights, against the summed log-loss: a prior on each "
        "weight's change with sd 1/sqrt(2*l2) (default 100, sd about 0.07)",
    )
    parser.add_argument(
        "--min-auc-gain",
        type=float,
        default=0.01,
        help="out-of-time AUC the proposal must gain over the current weights (default 0.01)",
    )
    parser.add_argument(
        "--no-embargo",
        action="store_true",
        help="also train on the snapshots whose horizon reaches into the out-of-time period",
    )
    return parser


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if missing_database(args.database):
        return 2
    if _inside(args.out, PROJECT_DIR / "seeds"):
        print(
            "--out must not be inside seeds/: adopting weights is a reviewed change.",
            file=sys.stderr,
        )
        return 2
    con = duckdb.connect(str(args.database), read_only=True)
    try:
        as_of = data.as_of_date(con)
        horizon = data.churn_horizon_days(con)
        sets = data.current_weight_sets(con)
        bands = data.bands(con)
        latest = data.latest_effective_from(con)
        effective_from = args.effective_from or as_of + timedelta(days=1)
        if effective_from <= latest:
            print(
                f"--effective-from {effective_from} must be after the latest effective_from "
                f"in health_weights ({latest}).",
                file=sys.stderr,
            )
            return 2
        set_data = data.load_set_data(con, sets)
        snapshots = sorted({day for d in set_data.values() for day in d.snapshot_on.tolist()})
    finally:
        con.close()
    settings = Settings(
        effective_from=effective_from,
        holdout_snapshots=args.holdout_snapshots,
        min_churn_events=args.min_churn_events,
        l2=args.l2,
        min_auc_gain=args.min_auc_gain,
        embargo=not args.no_embargo,
    )
    try:
        split = split_snapshots(snapshots, settings.holdout_snapshots, horizon, settings.embargo)
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    results = [calibrate_set(d, split, bands, settings) for d in set_data.values()]
    args.out.mkdir(parents=True, exist_ok=True)
    proposal, report = args.out / PROPOSAL_FILE, args.out / REPORT_FILE
    rows = write_proposal(proposal, results, settings, split)
    context = Context(args.database, as_of, horizon, split, settings)
    report.write_text("\n".join(report_lines(results, context)), encoding="utf-8")
    print("\n".join(summary_lines(results, proposal, report, rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
