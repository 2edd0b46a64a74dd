"""Weights scenarios: `compare` re-scores under alternative weights, `what-if` one signal's value."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from python_checks.cli import database_option, missing_database
from python_checks.dbt_runner import PROJECT_DIR
from python_checks.scenario.compare import compare, comparison_lines, run_scenario
from python_checks.scenario.weights_file import WeightsFileError, scenario_name
from python_checks.scenario.what_if import WhatIfError, what_if, what_if_lines

PRINTED_ACCOUNTS = 50


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m python_checks.scenario", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    comparing = commands.add_parser(
        "compare",
        help="re-score under alternative weights (a copy of the build) and compare with production",
    )
    comparing.add_argument(
        "--weights", type=Path, required=True, help="CSV in the format of seeds/health_weights.csv"
    )
    comparing.add_argument("--name", help="scenario name (default: the file's name)")
    database_option(comparing)
    comparing.add_argument("--out", type=Path, default=Path("build/scenarios"))
    comparing.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("RAW_DATA_DIR", PROJECT_DIR / "data" / "raw")),
        help="the raw folder the build read (dbt checks it before every run; default "
        "$RAW_DATA_DIR, else data/raw)",
    )

    asking = commands.add_parser(
        "what-if", help="the score an account would get today with another value of one signal"
    )
    database_option(asking)
    asking.add_argument("--account", required=True)
    asking.add_argument("--signal", required=True)
    asking.add_argument("--value", type=float, required=True)
    asking.add_argument(
        "--min-peer-group-size",
        type=int,
        help="as the build's var (default: dbt_project.yml's)",
    )
    asking.add_argument(
        "--vars",
        type=json.loads,
        default={},
        help="the vars the build ran with, as JSON (as dbt --vars), e.g. '{\"connectors\": {...}}'",
    )
    return parser


def _compare(args: argparse.Namespace) -> int:
    try:
        name = scenario_name(args.name or args.weights.stem)
        run = run_scenario(args.weights, name, args.database, args.out, args.raw_dir.resolve())
    except WeightsFileError as error:
        print(str(error), file=sys.stderr)
        return 2
    for warning in run.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not run.result.ok:
        print(run.result.output[-4000:], file=sys.stderr)
        print(f"The scenario build failed (database {run.database}).", file=sys.stderr)
        return 1
    comparison = compare(args.database, run.database, name)
    report = args.out / f"{name}_comparison.md"
    report.write_text("\n".join(comparison_lines(comparison, args.weights)), encoding="utf-8")
    print("\n".join(comparison_lines(comparison, args.weights, PRINTED_ACCOUNTS)))
    print(f"Written to {report}; scenario database {run.database}")
    return 0


def _what_if(args: argparse.Namespace) -> int:
    dbt_vars = dict(args.vars)
    if args.min_peer_group_size is not None:
        dbt_vars["min_peer_group_size"] = args.min_peer_group_size
    try:
        result = what_if(args.database, args.account, args.signal, args.value, dbt_vars or None)
    except WhatIfError as error:
        print(str(error), file=sys.stderr)
        return 2
    print("\n".join(what_if_lines(result)))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if missing_database(args.database):
        return 2
    return _compare(args) if args.command == "compare" else _what_if(args)


if __name__ == "__main__":
    raise SystemExit(main())
