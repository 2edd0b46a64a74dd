"""Validate the marts of a build with the Great Expectations suites; exit 1 when a suite fails.

Writes Data Docs to --docs-dir and, with --previous, reports (never fails on) score drift
against a previous build's database.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from python_checks.cli import database_option, missing_database, option
from python_checks.gx_suites.drift import DriftThresholds, drift_between
from python_checks.gx_suites.run import run_suites
from python_checks.gx_suites.suites import AlertVolumeBounds, SuiteConfig

DEFAULT_BOUNDS = AlertVolumeBounds()
DEFAULT_DRIFT = DriftThresholds()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m python_checks.gx_suites", description=__doc__)
    database_option(parser)
    parser.add_argument(
        "--previous", type=Path, help="a previous build's database to report score drift against"
    )
    parser.add_argument("--docs-dir", type=Path, default=Path("build/gx_docs"))
    option(
        parser,
        "--alerts-min",
        float,
        DEFAULT_BOUNDS.min_per_account_30d,
        "lowest acceptable alerts per account per 30 days",
    )
    option(
        parser,
        "--alerts-max",
        float,
        DEFAULT_BOUNDS.max_per_account_30d,
        "highest acceptable alerts per account per 30 days",
    )
    option(
        parser,
        "--alerts-window-days",
        int,
        DEFAULT_BOUNDS.window_days,
        "days up to the as-of date the alert volume is measured over",
    )
    parser.add_argument("--drift-mean-points", type=float, default=DEFAULT_DRIFT.mean_points)
    parser.add_argument("--drift-band-points", type=float, default=DEFAULT_DRIFT.band_share_points)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if missing_database(args.database) or missing_database(args.previous, "previous build"):
        return 2
    bounds = AlertVolumeBounds(args.alerts_min, args.alerts_max, args.alerts_window_days)
    summary = run_suites(
        args.database, config=SuiteConfig.from_seeds(alert_volume=bounds), docs_dir=args.docs_dir
    )
    print("\n".join(summary.lines()))
    if args.previous is not None:
        thresholds = DriftThresholds(args.drift_mean_points, args.drift_band_points)
        print()
        print("\n".join(drift_between(args.database, args.previous, thresholds).lines()))
    return 0 if summary.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
