"""Command line: python -m python_checks.bench [--accounts 20000] [--scales 2000,20000] ..."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from python_checks.bench.config import (
    DEFAULT_ACCOUNTS,
    DEFAULT_DATA_DIR,
    DEFAULT_MIN_FREE_GB,
    DEFAULT_OUT,
    DEFAULT_SEED,
    BenchConfig,
)
from python_checks.bench.report import growth_table, load_doc, scale_table, slowest_table
from python_checks.bench.runner import run_bench


def _scales(text: str) -> tuple[int, ...]:
    try:
        scales = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected N[,N...], got {text!r}") from exc
    if not scales or min(scales) < 1:
        raise argparse.ArgumentTypeError("scales must be positive account counts")
    return scales


def parse_args(argv: list[str] | None = None) -> BenchConfig:
    parser = argparse.ArgumentParser(
        prog="python -m python_checks.bench",
        description="Time the dbt build (raw load, full build, build with tests, daily"
        " incremental runs, a weight change) and two hand-written DuckDB floors (today's score,"
        " the whole history), with peak memory and temp spill, at one or more data sizes."
        " Results: <out>/bench_<accounts>.json.",
    )
    parser.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS)
    parser.add_argument(
        "--scales", type=_scales, help="comma-separated account counts; overrides --accounts"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="generated raw sets, one folder per parameter set (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: %(default)s")
    parser.add_argument("--skip-tests", action="store_true", help="skip the build with tests")
    parser.add_argument(
        "--steps",
        type=lambda text: tuple(p.strip() for p in text.split(",") if p.strip()),
        help="comma-separated steps to run (default: all): raw_load, full_run, full_build,"
        " floor, history_floor, incremental (needs a full build), weight_change (needs"
        " incremental)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each step; the table shows the median"
    )
    parser.add_argument(
        "--daily-runs",
        type=int,
        help="consecutive daily runs, each landing one more day (default: --repeat);"
        " the table shows their median",
    )
    parser.add_argument(
        "--keep-databases", action="store_true", help="keep the built DuckDB files afterwards"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="run nothing: print the tables of the JSON results already in --out",
    )
    parser.add_argument(
        "--min-free-gb",
        type=float,
        default=DEFAULT_MIN_FREE_GB,
        help="stop before a step when less disk is free (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        return BenchConfig(
            scales=args.scales or (args.accounts,),
            seed=args.seed,
            data_dir=args.data_dir.resolve(),
            out=args.out.resolve(),
            skip_tests=args.skip_tests,
            steps=args.steps,
            repeat=args.repeat,
            daily_runs=args.daily_runs,
            keep_databases=args.keep_databases,
            min_free_gb=args.min_free_gb,
            report_only=args.report_only,
        )
    except ValueError as exc:
        parser.error(str(exc))
        raise  # unreachable: parser.error exits


def print_report(config: BenchConfig) -> None:
    docs = []
    for accounts in config.scales:
        path = config.result_path(accounts)
        if not path.exists():
            print(f"no result for {accounts:,} accounts: {path}", file=sys.stderr)
            continue
        doc = load_doc(path)
        docs.append(doc)
        print()
        print("\n".join(scale_table(doc)))
        slowest = slowest_table(doc)
        if slowest:
            print()
            print("\n".join(slowest))
        print(f"JSON: {path}")
    growth = growth_table(docs)
    if growth:
        print()
        print("\n".join(growth))


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    if config.report_only:
        print_report(config)
        return 0
    results = run_bench(config)
    print_report(replace(config, scales=tuple(r.accounts for r in results)))
    if any(r.aborted for r in results):
        return 3
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
