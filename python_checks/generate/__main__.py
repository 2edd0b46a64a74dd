"""Command line: python -m python_checks.generate --accounts 2000 --seed 42 ..."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .config import DEFAULT_DIRT_RATES, DIRT_CLASSES, ConfigError, GenerateConfig
from .shapes import SHAPES, ReshapeError, generate_in_shape
from .writer import UnsafeOutputError


def _dirt_setting(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep or name not in DIRT_CLASSES:
        raise argparse.ArgumentTypeError(
            f"expected CLASS=RATE with CLASS one of {', '.join(DIRT_CLASSES)}"
        )
    try:
        return name, float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"rate of {name} is not a number: {value}") from exc


def parse_args(argv: list[str] | None = None) -> tuple[str, GenerateConfig]:
    parser = argparse.ArgumentParser(
        prog="python -m python_checks.generate",
        description="Write sample raw data (shared/raw-contract.md) and its hidden truth.",
    )
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 11, 1))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--out", type=Path, default=Path("data/raw"))
    parser.add_argument("--truth", type=Path, default=Path("data/truth"))
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--events-per-account-day", type=float, default=1.4)
    parser.add_argument(
        "--dirt-scale",
        type=float,
        default=1.0,
        help="multiplies every dirt rate; 0 writes clean data",
    )
    defaults = ", ".join(f"{k}={v}" for k, v in DEFAULT_DIRT_RATES.items())
    parser.add_argument(
        "--dirt",
        type=_dirt_setting,
        action="extend",
        nargs="+",
        default=[],
        metavar="CLASS=RATE",
        help=f"override dirt class rates (repeatable); defaults: {defaults}",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.add_argument(
        "--shape",
        choices=SHAPES,
        default="contract",
        help="contract: the raw contract's tables (default); connectors: the same world as the "
        "connectors land it (Fivetran Salesforce/Zendesk/Stripe, Segment, a survey tool), with "
        "_connectors.json naming the dbt var `connectors` that reads it",
    )
    args = parser.parse_args(argv)
    try:
        return args.shape, GenerateConfig(
            accounts=args.accounts,
            seed=args.seed,
            start=args.start,
            end=args.end,
            out=args.out,
            truth=args.truth,
            batches=args.batches,
            events_per_account_day=args.events_per_account_day,
            dirt_scale=args.dirt_scale,
            dirt=dict(args.dirt),
            quiet=args.quiet,
        )
    except ConfigError as exc:
        parser.error(str(exc))
        raise  # unreachable: parser.error exits


def main(argv: list[str] | None = None) -> int:
    shape, config = parse_args(argv)
    try:
        result = generate_in_shape(config, shape)
    except (UnsafeOutputError, ReshapeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    width = max(len(t) for t in result.rows_written)
    print(f"raw data in {result.out}, truth in {result.truth}")
    for table, rows in result.rows_written.items():
        print(f"  {table:<{width}}  {rows:>12,}")
    print(f"  {'total':<{width}}  {sum(result.rows_written.values()):>12,}")
    print(f"done in {result.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
