"""What a publish serves, on the suite's 160-account sample build: no personal data in any served
table or file, a file DuckDB 1.x clients read, the CRM export of today's scores; and a build
database whose staging and intermediate layers hold no e-mails or names."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from python_checks.build_fixtures import Build
from python_checks.publish import Published, publish
from python_checks.publish.crm_export import CRM_COLUMNS
from python_checks.publish.personal_data import (
    Finding,
    PersonalData,
    raw_personal_data,
    scan_database,
    scan_files,
)
from python_checks.publish.served import SERVED_CONFIG

pytestmark = pytest.mark.build

# The newest DuckDB 1.x on PyPI when this was written (1.5.6; 2.0.1 is the project's own).
DUCKDB_1X = "1.5.6"
DIM = "dim_account_health"

# Run by the DuckDB 1.x client: every row of every table, each cast to text so every column is
# decoded (a count alone would read no column); prints {schema.table: [rows, characters]}.
READ_EVERY_TABLE = r"""
import json, sys
import duckdb

con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
read = {}
for schema, table in tables:
    rows, chars = con.execute(
        f'select count(*), sum(length(cast(t as varchar))) from "{schema}"."{table}" as t'
    ).fetchone()
    read[f"{schema}.{table}"] = [rows, chars]
print(json.dumps({"version": duckdb.__version__, "tables": read}))
"""


@pytest.fixture(scope="module")
def served(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    root = tmp_path_factory.mktemp("served")
    try:
        yield publish(sample_build.db_path, root / "serve")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def personal(sample_build: Build) -> PersonalData:
    found = raw_personal_data(sample_build.raw_dir)
    # The scan is only worth something if the raw data gave it names and e-mails to look for.
    assert len(found.names) >= 50 and len(found.full_names) >= 100, found
    assert len(found.emails) >= 100
    return found


def served_exports(published: Published) -> list[Path]:
    return sorted(path for path in published.layout.current.rglob("*") if path.is_file())


def report(findings: list[Finding]) -> str:
    return "\n".join(str(finding) for finding in findings)


def test_no_served_table_or_file_holds_emails_or_names(
    served: Published, personal: PersonalData
) -> None:
    files = served_exports(served)
    assert {path.name for path in files} >= {
        *(f"{table}.parquet" for table in served.row_counts),
        "account_health_scores.csv",
        "account_health_scores.parquet",
    }
    findings = scan_database(served.layout.database, personal) + scan_files(files, personal)
    assert findings == [], report(findings)


def test_the_scan_finds_a_served_staging_table_or_names_column(
    served: Published, personal: PersonalData, sample_build: Build, tmp_path: Path
) -> None:
    """The guard above can fail: a served copy with a table of names and e-mails straight from
    the raw data (what serving the old staging.base_crm__contact or stg_crm__user meant) and a
    Parquet file of names are both reported, column by column."""
    leaky = tmp_path / "leaky.duckdb"
    shutil.copyfile(served.layout.database, leaky)
    leaky.chmod(0o644)
    raw = sample_build.raw_dir
    con = duckdb.connect(str(leaky))
    try:
        con.execute(
            "create schema staging; create table staging.base_crm__contact as"
            " select id as contact_id, email, first_name, last_name"
            f" from read_parquet('{raw}/crm/contact/*.parquet')"
        )
        con.execute(
            "create table marts.dim_csm as select id as user_id, name as csm_name"
            f" from read_parquet('{raw}/crm/user/*.parquet')"
        )
    finally:
        con.close()
    names_file = tmp_path / "contacts.parquet"
    duckdb.sql(
        f"copy (select first_name || ' ' || last_name as contact from"
        f" read_parquet('{raw}/crm/contact/*.parquet')) to '{names_file}' (format parquet)"
    )
    found = {
        (finding.where.split(": ")[-1], finding.column, finding.kind)
        for finding in scan_database(leaky, personal) + scan_files([names_file], personal)
    }
    assert found == {
        ("staging.base_crm__contact", "email", "e-mail-like values"),
        ("staging.base_crm__contact", "email", "values holding an e-mail from the raw data"),
        ("staging.base_crm__contact", "email", "values holding a person's full name"),
        (
            "staging.base_crm__contact",
            "first_name",
            "values that are a person's first or last name",
        ),
        ("staging.base_crm__contact", "last_name", "values that are a person's first or last name"),
        ("marts.dim_csm", "csm_name", "values holding a person's full name"),
        (str(names_file), "contact", "values holding a person's full name"),
    }


def test_staging_and_intermediate_hold_no_emails_or_names(
    sample_build: Build, personal: PersonalData
) -> None:
    """Base models hash e-mails and drop names as they read the raw data, so no staging model,
    quarantine row JSON or intermediate model holds one."""
    findings = scan_database(sample_build.db_path, personal, ("staging", "intermediate"))
    assert findings == [], report(findings)
    hashed = sample_build.query(
        "select count(*), count(email_hash), count(email_domain) from staging.stg_crm__contact"
    )[0]
    assert hashed[0] > 100 and hashed[0] == hashed[1] == hashed[2], hashed


def served_tables(database: Path) -> dict[str, int]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        return {
            f"{schema}.{table}": con.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
            for schema, table in tables
        }
    finally:
        con.close()


def test_a_duckdb_1x_client_reads_every_served_table(served: Published, tmp_path: Path) -> None:
    target = tmp_path / f"duckdb-{DUCKDB_1X}"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--target",
            str(target),
            f"duckdb=={DUCKDB_1X}",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.fail(
            f"could not install duckdb=={DUCKDB_1X} from PyPI into {target} (this test needs"
            f" PyPI to check that a DuckDB 1.x client reads the served file):\n"
            f"{install.stderr[-2000:]}"
        )
    read = subprocess.run(
        [sys.executable, "-c", READ_EVERY_TABLE, str(served.layout.database)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert read.returncode == 0, read.stderr[-3000:]
    result = json.loads(read.stdout)
    assert result["version"] == DUCKDB_1X
    expected = served_tables(served.layout.database)
    assert set(expected) == {
        *(f"marts.{table}" for table in served.row_counts),
        *(f"config.{table}" for table in SERVED_CONFIG),
        "publish.build_info",
    }
    assert {name: rows for name, (rows, _) in result["tables"].items()} == expected
    assert all(chars for rows, chars in result["tables"].values() if rows), result


def test_crm_export_holds_todays_score_per_crm_account(
    served: Published, sample_build: Build
) -> None:
    csv, parquet = served.crm_export("csv"), served.crm_export("parquet")
    con = duckdb.connect()
    try:
        con.execute(f"attach '{served.layout.database}' as served (read_only)")
        from_parquet = con.execute(f"select * from read_parquet('{parquet}')")
        assert [column[0] for column in from_parquet.description] == list(CRM_COLUMNS)
        exported = from_parquet.fetchall()
        from_csv = con.execute(f"select * from read_csv('{csv}', header = true)")
        assert [column[0] for column in from_csv.description] == list(CRM_COLUMNS)
        assert from_csv.fetchall() == exported
        today = con.execute(
            "select account_id, health_score, health_band, drivers_down, drivers_up,"
            f" recommended_action, scored_on from served.marts.{DIM} where not is_churned"
            " order by account_id"
        ).fetchall()
        crm_accounts = {
            row[0]
            for row in con.execute(
                f"select id from read_parquet('{sample_build.raw_dir}/crm/account/*.parquet')"
            ).fetchall()
        }
    finally:
        con.close()
    assert exported == today
    assert len(exported) == served.crm_export_rows > 50
    ids = [row[0] for row in exported]
    assert len(set(ids)) == len(ids) and set(ids) <= crm_accounts
    assert {str(row[-1]) for row in exported} == {served.as_of}
    assert all(row[1] is not None and row[2] and row[5] for row in exported)
