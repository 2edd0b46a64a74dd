"""Write the HTML health report from the published marts (see python_checks/report/__init__.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from python_checks.cli import database_option, option
from python_checks.report.calibration import read_proposal
from python_checks.report.data import Options, load
from python_checks.report.errors import ReportError
from python_checks.report.page import DEFAULT_MIN_AUC_SOURCE, write_report
from python_checks.report.settings import MIN_AUC_VAR, min_auc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m python_checks.report",
        description="Write a self-contained HTML health report from the published marts.",
    )
    database_option(
        parser, Path("build/serve/health.duckdb"), "the published database, opened read-only"
    )
    option(parser, "--out", Path, Path("build/report/health_report.html"), "the HTML file to write")
    option(
        parser,
        "--calibration-dir",
        Path,
        Path("build/calibration"),
        "where `make calibrate` writes its proposal",
    )
    parser.add_argument(
        "--min-auc",
        type=float,
        help=f"the back-test AUC to reach (default: var {MIN_AUC_VAR} in dbt_project.yml)",
    )
    parser.add_argument(
        "--at-risk", type=int, default=Options.at_risk_accounts, help="accounts in the risk list"
    )
    option(parser, "--alert-days", int, Options.alert_days, "days of alerts in the queue")
    option(parser, "--alert-rows", int, Options.alert_rows, "most alerts listed in the queue")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if min(args.at_risk, args.alert_days, args.alert_rows) < 1:
            raise ReportError("--at-risk, --alert-days and --alert-rows must be at least 1")
        if args.min_auc is not None and not 0 <= args.min_auc <= 1:
            raise ReportError(f"--min-auc {args.min_auc} must be between 0 and 1")
        threshold = args.min_auc if args.min_auc is not None else min_auc()
        options = Options(
            at_risk_accounts=args.at_risk, alert_days=args.alert_days, alert_rows=args.alert_rows
        )
        data = load(args.database, options)
        proposal = read_proposal(args.calibration_dir)
        source = "--min-auc" if args.min_auc is not None else DEFAULT_MIN_AUC_SOURCE
        rendered = write_report(data, args.out, threshold, proposal, source)
    except ReportError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    size = rendered.path.stat().st_size / 1e6
    print(
        f"Health report as of {rendered.as_of.isoformat()} ({len(rendered.chart_ids)} charts, "
        f"{size:.1f} MB, self-contained): {rendered.path.resolve()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
