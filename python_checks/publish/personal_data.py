"""Find personal data in served tables and files: e-mail-like values and people's names.

The names are the ones the raw data holds (contact first and last names, CRM user names) and
the e-mails are caught by the pattern the dbt test `no_email_like_values` uses. CRM users are
the vendor's own staff (CSMs): their names may stand in the columns of STAFF_NAME_COLUMNS only
(a CSM's book names its owner); anywhere else they count as personal data too. Tests scan the
served database, the Parquet and CSV exports and the build's staging and intermediate layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from python_checks.publish.sql import quote_identifier, quote_literal

# Same pattern as tests/generic/no_email_like_values.sql.
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
# Raw tables and columns that hold people's e-mails (raw contract v1); names are read from
# crm/contact first_name and last_name and crm/user name.
RAW_EMAIL_COLUMNS = {"crm/contact": ("email",), "crm/user": ("email",)}
TEXT_TYPES = ("VARCHAR", "JSON")
# Columns that name a CRM user (internal staff, not a customer's person): stg_crm__user.user_name
# and the owner of an account or book. Customer names and every e-mail are findings there too.
STAFF_NAME_COLUMNS = frozenset({"user_name", "owner_name"})


@dataclass(frozen=True)
class PersonalData:
    """What counts as personal: single names (a whole value), full names (anywhere in a value)
    and e-mails (anywhere), all lower case."""

    names: frozenset[str]
    full_names: frozenset[str]
    emails: frozenset[str]
    staff_full_names: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Finding:
    """Personal data found in one column of a table or file."""

    where: str
    column: str
    kind: str
    count: int
    example: str

    def __str__(self) -> str:
        return f"{self.where} column {self.column}: {self.count} {self.kind} ({self.example!r})"


def _raw_values(con: duckdb.DuckDBPyConnection, raw_dir: Path, table: str, column: str) -> set[str]:
    files = quote_literal(str(raw_dir / table / "*.parquet"))
    rows = con.execute(
        f"select distinct lower(trim({quote_identifier(column)})) from read_parquet({files})"
        f" where nullif(trim({quote_identifier(column)}), '') is not null"
    ).fetchall()
    return {row[0] for row in rows}


def raw_personal_data(raw_dir: Path) -> PersonalData:
    """People's names and e-mails as the raw Parquet under ``raw_dir`` holds them."""
    con = duckdb.connect()
    try:
        first = _raw_values(con, raw_dir, "crm/contact", "first_name")
        last = _raw_values(con, raw_dir, "crm/contact", "last_name")
        full_rows = con.execute(
            "select distinct lower(trim(first_name)) || ' ' || lower(trim(last_name))"
            f" from read_parquet({quote_literal(str(raw_dir / 'crm/contact/*.parquet'))})"
            " where first_name is not null and last_name is not null"
        ).fetchall()
        users = _raw_values(con, raw_dir, "crm/user", "name")
        emails: set[str] = set()
        for table, columns in RAW_EMAIL_COLUMNS.items():
            for column in columns:
                emails |= _raw_values(con, raw_dir, table, column)
    finally:
        con.close()
    full_names = {" ".join(row[0].split()) for row in full_rows}
    staff = {" ".join(name.split()) for name in users}
    return PersonalData(
        frozenset(first | last),
        frozenset(full_names | staff),
        frozenset(emails),
        # A value of a staff column that is a CRM user's name is that user's, even where a
        # customer's contact happens to share the name.
        frozenset(staff),
    )


# Full names are matched as runs of 2 or 3 words inside a value (any punctuation between).
FULL_NAME_WORDS = (2, 3)


def _load(con: duckdb.DuckDBPyConnection, table: str, values: frozenset[str]) -> None:
    con.execute(f"create or replace temp table {table} (value varchar primary key)")
    con.executemany(f"insert into {table} values (?)", [[value] for value in sorted(values)])


def _checks(column_values: str, full_names: str = "personal_full_names") -> dict[str, str]:
    """Kind of finding -> query giving (distinct values found, one example) for that column."""
    words = "regexp_extract_all(value, '[a-z]+')"
    runs = " || ' ' || ".join
    grams = " union all ".join(
        f"select value, unnest(list_transform(range(1, len(words) - {n - 2}),"
        f" lambda i: {runs(f'words[i + {k}]' for k in range(n))})) as found from word_lists"
        for n in FULL_NAME_WORDS
    )
    return {
        "e-mail-like values": (
            f"select count(*), any_value(value) from {column_values}"
            f" where regexp_matches(value, {quote_literal(EMAIL_PATTERN)})"
        ),
        "values holding an e-mail from the raw data": (
            f"with found as (select value, unnest(regexp_extract_all(value,"
            f" {quote_literal(EMAIL_PATTERN)})) as found from {column_values})"
            " select count(distinct value), any_value(value) from found"
            " where found in (select value from personal_emails)"
        ),
        "values that are a person's first or last name": (
            f"select count(*), any_value(value) from {column_values}"
            " where trim(value) in (select value from personal_names)"
        ),
        "values holding a person's full name": (
            f"with word_lists as (select value, {words} as words from {column_values}),"
            f" found as ({grams})"
            " select count(distinct value), any_value(value) from found"
            f" where found in (select value from {full_names})"
        ),
    }


def scan_relation(
    con: duckdb.DuckDBPyConnection, relation: str, where: str, personal: PersonalData
) -> list[Finding]:
    """Findings in every text-typed column (lists and structs of text too) of ``relation``.

    Counts are of distinct values (lower case) that hold the finding.
    """
    con.execute("set enable_progress_bar = false")
    _load(con, "personal_names", personal.names)
    _load(con, "personal_full_names", personal.full_names)
    _load(con, "personal_emails", personal.emails)
    _load(con, "customer_full_names", personal.full_names - personal.staff_full_names)
    described = con.execute(f"describe select * from {relation}").fetchall()
    columns = [row[0] for row in described if any(kind in str(row[1]) for kind in TEXT_TYPES)]
    findings: list[Finding] = []
    for column in columns:
        con.execute(
            "create or replace temp table column_values as select distinct"
            f" lower(cast({quote_identifier(column)} as varchar)) as value from {relation}"
            f" where {quote_identifier(column)} is not null"
        )
        full_names = (
            "customer_full_names" if column in STAFF_NAME_COLUMNS else "personal_full_names"
        )
        for kind, query in _checks("column_values", full_names).items():
            row = con.execute(query).fetchone()
            if row and row[0]:
                findings.append(Finding(where, column, kind, int(row[0]), str(row[1])[:120]))
    return findings


def scan_database(
    database: Path, personal: PersonalData, schemas: tuple[str, ...] | None = None
) -> list[Finding]:
    """Scan every table and view of ``database`` (or of the given schemas only)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {quote_literal(str(database))} as scanned (read_only)")
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'scanned'"
            " union all select schema_name, view_name from duckdb_views()"
            " where database_name = 'scanned' and not internal order by 1, 2"
        ).fetchall()
        findings: list[Finding] = []
        for schema, table in relations:
            if schemas is not None and schema not in schemas:
                continue
            relation = f"scanned.{quote_identifier(schema)}.{quote_identifier(table)}"
            findings += scan_relation(con, relation, f"{database.name}: {schema}.{table}", personal)
        return findings
    finally:
        con.close()


def scan_files(files: list[Path], personal: PersonalData) -> list[Finding]:
    """Scan Parquet and CSV files (CSV read as text)."""
    con = duckdb.connect()
    try:
        findings: list[Finding] = []
        for path in files:
            if path.suffix == ".parquet":
                relation = f"read_parquet({quote_literal(str(path))})"
            else:
                relation = f"read_csv({quote_literal(str(path))}, all_varchar = true)"
            findings += scan_relation(con, relation, str(path), personal)
        return findings
    finally:
        con.close()
