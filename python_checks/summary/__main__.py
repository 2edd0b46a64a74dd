"""Print a short, plain-text summary of a build database."""

from __future__ import annotations

import argparse

import duckdb

from python_checks.cli import database_option, missing_database
from python_checks.summary.sections import SECTIONS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    database_option(parser)
    args = parser.parse_args(argv)
    if missing_database(args.database):
        return 2
    con = duckdb.connect(str(args.database), read_only=True)
    try:
        for section in SECTIONS:
            lines = section(con)
            if lines:
                print("\n".join(lines))
                print()
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
