"""Find DuckDB-only SQL outside an engine-specific macro: `python -m python_checks.portable_sql`.

The project runs on DuckDB and Postgres (issue 17). Every engine-specific construct lives in a
dispatched macro (macros/cross_db/, or beside the macro it serves) with a `duckdb__` version and a
portable `default__` (or `postgres__`) one. This scans the SQL of models/, macros/ and tests/ for
the DuckDB-only constructs below and names file:line for each one found outside a macro whose name
starts with an engine prefix (`duckdb__`, `postgres__`, ...).

A line of a `default__` macro that only looks DuckDB-only (greatest() given no null argument) says
so with a Jinja comment on the line: `{#- portable: why -#}`.

What is scanned: SQL text with Jinja tags (`{{ }}`, `{% %}`, `{# #}`) and `--` comments taken out,
so a construct written in a Jinja string (a macro argument) is not seen; the macros it calls are.

ALLOWED_TO_PORT lists files another change is rewriting: their constructs are reported
(`--show-allowed`) but do not fail the check until they are ported.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SCANNED_DIRS = ("models", "macros", "tests")
ENGINE_PREFIXES = ("duckdb", "postgres", "snowflake", "bigquery", "spark", "databricks", "redshift")

# TO PORT: files another change is rewriting (issue 15: their logic moves into the activity
# models, written with the macros of macros/cross_db). Remove an entry once the file passes; the
# check then keeps it portable. What each construct maps to: arg_max -> value_at_max, median ->
# median_of, last_value(... ignore nulls) -> last_non_null, greatest/least ->
# greatest_ignore_nulls/least_ignore_nulls, regexp_matches -> regexp_like, double -> type_double().
ALLOWED_TO_PORT: tuple[str, ...] = ()

# (name, pattern, what to use instead). Patterns run case-insensitively on one line of SQL.
CONSTRUCTS: tuple[tuple[str, str, str], ...] = (
    ("qualify", r"\bqualify\b", "a subquery with row_number() and a where filter"),
    ("* exclude/replace", r"\*\s*(exclude|replace)\s*\(", "name the columns"),
    ("arg_max/arg_min", r"\barg_(max|min)(_null)?\s*\(", "a ranked subquery"),
    ("max_by/min_by", r"\b(max|min)_by\s*\(", "a ranked subquery"),
    ("list function", r"\b(list_\w+|list|flatten|len|array_length)\s*\(", "cross_db/lists.sql"),
    ("string_split", r"\b(string_split|str_split|string_split_regex)\s*\(", "split_to_rows"),
    ("list literal", r"(^|[\s(,=])\[", "cross_db/lists.sql"),
    ("list type", r"\b\w+\s*\[\]", "cross_db/lists.sql"),
    ("union by name", r"\bunion(\s+all)?\s+by\s+name\b", "name the columns on both sides"),
    ("hugeint", r"\bu?hugeint\b", "bigint or numeric"),
    ("double", r"\bdouble\b(?!\s+precision)", "type_double()"),
    ("ignore nulls", r"\bignore\s+nulls\b", "last_non_null"),
    ("median/quantile", r"\b(median|quantile(_cont|_disc)?)\s*\(", "a dispatched percentile macro"),
    ("regexp", r"\b(regexp_matches|regexp_extract(_all)?|regexp_full_match)\s*\(", "regexp_like"),
    ("json", r"\b(json_\w+|to_json)\s*\(", "json_text_value"),
    ("file read", r"\b(glob|read_text|read_parquet|read_csv(_auto)?|read_json)\s*\(", "a source"),
    ("strftime/strptime", r"\b(strftime|strptime)\s*\(", "timestamp_key or dbt macros"),
    (
        "interval shorthand",
        r"\binterval\s+\(?\s*[\w.]+\s*\)?\s+(day|hour|minute|month|year)s?\b",
        "dbt.dateadd",
    ),
    (
        "date functions",
        r"\b(date_diff|datediff|date_add|date_sub|today|last_day)\s*\(",
        "dbt.datediff/dbt.dateadd",
    ),
    ("date_trunc", r"\bdate_trunc\s*\(", "cast(dbt.date_trunc(...) as date)"),
    ("greatest/least", r"\b(greatest|least)\s*\(", "greatest_ignore_nulls/least_ignore_nulls"),
    (":: cast", r"::", "cast(... as ...)"),
    ("try_cast", r"\btry_cast\s*\(", "try_cast_double or another dispatched safe cast"),
    ("printf/format", r"\b(printf|format)\s*\(", "format_fixed"),
    ("sha256", r"\bsha256\s*\(", "salted_hash"),
    (
        "DuckDB aggregates",
        r"\b(count_if|any_value|fsum|favg|bit_or|bit_and|mode)\s*\(",
        "portable SQL",
    ),
    (
        "DuckDB functions",
        r"\b(ifnull|iif|contains|prefix|suffix|epoch|epoch_ms|hash)\s*\(",
        "portable SQL",
    ),
    ("lambda", r"\blambda\b", "portable SQL"),
    ("struct", r"\b(struct_pack|struct_extract)\s*\(|\{\s*'\w+'\s*:", "portable SQL"),
    ("range", r"\brange\s*\(", "generate_series(first, last) as name (column)"),
    ("group/order by all", r"\b(group|order)\s+by\s+all\b", "name the columns"),
    ("DuckDB joins", r"\b(asof|positional|anti|semi)\s+join\b", "portable SQL"),
)
_COMPILED = tuple(
    (name, re.compile(pattern, re.IGNORECASE), fix) for name, pattern, fix in CONSTRUCTS
)
_ROUND_WITH_DIGITS = re.compile(r"\bround\s*\(", re.IGNORECASE)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MACRO_START = re.compile(r"\{%-?\s*macro\s+(\w+)")
_MACRO_END = re.compile(r"\{%-?\s*endmacro")
# A reviewed line of a default__ macro: `{#- portable: why -#}` on the line itself.
_PORTABLE_MARK = re.compile(r"\{#-?\s*portable:")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    construct: str
    fix: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.construct} (use {self.fix}): {self.text.strip()}"


def _blank(match: re.Match[str]) -> str:
    """Jinja replaced by a placeholder word of the same line count (line numbers stay)."""
    return "__jinja__" + "\n" * match.group(0).count("\n")


def _engine_macro_lines(text: str) -> set[int]:
    """Line numbers (1-based) inside macros named `<engine>__...`."""
    lines: set[int] = set()
    inside_from: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        start = _MACRO_START.search(line)
        if start and start.group(1).split("__")[0] in ENGINE_PREFIXES and "__" in start.group(1):
            inside_from = number
        if inside_from is not None:
            lines.add(number)
            if _MACRO_END.search(line):
                inside_from = None
    return lines


def _round_has_digits(line: str) -> bool:
    """round(x, n): Postgres has no round(double precision, integer) (use round_half_away)."""
    for match in _ROUND_WITH_DIGITS.finditer(line):
        depth = 0
        for char in line[match.end() - 1 :]:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    break
            elif char == "," and depth == 1:
                return True
    return False


def scan_text(path: str, text: str) -> list[Finding]:
    skipped = _engine_macro_lines(text)
    originals = text.splitlines()
    sql = _JINJA.sub(_blank, text)
    findings = []
    for number, line in enumerate(sql.splitlines(), start=1):
        if number in skipped or _PORTABLE_MARK.search(originals[number - 1]):
            continue
        code = re.sub(r"'(?:[^']|'')*'", "''", line.split("--", 1)[0])
        for name, pattern, fix in _COMPILED:
            if pattern.search(code):
                findings.append(Finding(path, number, name, fix, originals[number - 1]))
        if _round_has_digits(code):
            findings.append(
                Finding(path, number, "round(x, n)", "round_half_away", originals[number - 1])
            )
    return findings


def scan_project(project_dir: Path = PROJECT_DIR) -> list[Finding]:
    findings = []
    for folder in SCANNED_DIRS:
        for file in sorted((project_dir / folder).rglob("*.sql")):
            relative = file.relative_to(project_dir).as_posix()
            findings.extend(scan_text(relative, file.read_text()))
    return findings


def is_allowed(finding: Finding) -> bool:
    return finding.path.startswith(ALLOWED_TO_PORT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m python_checks.portable_sql", description=__doc__
    )
    parser.add_argument(
        "--show-allowed", action="store_true", help="also list the to-port files' findings"
    )
    args = parser.parse_args(argv)
    findings = scan_project()
    failing = [f for f in findings if not is_allowed(f)]
    for finding in failing:
        print(finding)
    if args.show_allowed:
        print("\nTO PORT (allowed for now):")
        for finding in findings:
            if is_allowed(finding):
                print(f"  {finding}")
    print(f"{len(failing)} DuckDB-only construct(s) outside an engine macro", file=sys.stderr)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
