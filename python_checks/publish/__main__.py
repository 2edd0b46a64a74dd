"""Publish the last passing build for BI tools, or show what is published (`--show`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from python_checks.cli import BUILD_DATABASE, option
from python_checks.publish.errors import PublishError
from python_checks.publish.layout import ServeLayout
from python_checks.publish.publisher import publish
from python_checks.publish.show import published_lines, show_lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m python_checks.publish", description=__doc__)
    option(parser, "--build-db", Path, BUILD_DATABASE, "the database a successful dbt build wrote")
    option(
        parser,
        "--serve-dir",
        Path,
        Path("build/serve"),
        "where readers find health.duckdb, parquet/current/ and manifest.json",
    )
    parser.add_argument(
        "--show", action="store_true", help="print what is published and how to connect, then exit"
    )
    args = parser.parse_args(argv)
    try:
        if args.show:
            lines = show_lines(ServeLayout(args.serve_dir))
        else:
            lines = published_lines(publish(args.build_db, args.serve_dir))
    except PublishError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
