"""What the command-line entries share: options that show their default, the build database
argument and its check."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

BUILD_DATABASE = Path("build/dev.duckdb")


def option(
    parser: argparse.ArgumentParser,
    flag: str,
    kind: Callable[[str], object],
    default: object,
    help_text: str,
) -> None:
    """Add ``flag`` (parsed by ``kind``) whose --help ends with its default."""
    parser.add_argument(
        flag, type=kind, default=default, help=f"{help_text} (default: %(default)s)"
    )


def database_option(
    parser: argparse.ArgumentParser,
    default: Path = BUILD_DATABASE,
    help_text: str = "the database `make build` wrote",
) -> None:
    """The --database option of a tool that reads a build."""
    option(parser, "--database", Path, default, help_text)


def missing_database(path: Path | None, label: str = "build") -> bool:
    """True (after saying so on stderr) when ``path`` is given and does not exist."""
    if path is None or path.exists():
        return False
    print(f"No {label} database at {path}: run `make build` first.", file=sys.stderr)
    return True
