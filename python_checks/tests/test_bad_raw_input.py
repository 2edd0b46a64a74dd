"""Bad raw input, one defect at a time (shared/raw-contract.md).

Every case writes the contract fixture (python_checks.raw_fixture), applies one defect
(python_checks.raw_defects) and builds the staging layer on it in its own folder. A structural
defect must stop the build at the on-run-start contract check with a message that names the
table, column or file; a row-level defect must build, with every bad row staged, mapped or
quarantined with a reason, and raw rows = staged + duplicates + soft-deleted + quarantined.

The builds are independent, so the module starts all selected cases at once on a few workers
(see StagingBuilds); each test then waits for its own build.
"""

from __future__ import annotations

import json
import os
import queue
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from python_checks import raw_defects as defects
from python_checks.dbt_runner import DbtResult, run_dbt
from python_checks.raw_fixture import TABLES, write_minimal_raw_set

pytestmark = pytest.mark.build

STAGING_BUILD = ["build", "--select", "path:models/staging", "--indirect-selection", "cautious"]
# The tests read the database, not target/*.json; not writing those saves a second or two a build.
DBT_ENV = {"DBT_WRITE_JSON": "false"}


def _together(*steps: Callable[[Path], object]) -> Callable[[Path], None]:
    """One kind of defect, in several rows or tables, as one case."""

    def apply(raw: Path) -> None:
        for step in steps:
            step(raw)

    return apply


# One defect per case: case id -> what it does to a fresh copy of the fixture.
CASES: dict[str, Callable[[Path], object]] = {
    "clean": lambda raw: None,
    # structural
    "missing_table_folder": lambda raw: defects.remove_table(raw, "billing", "invoice"),
    "empty_table_folder": lambda raw: defects.empty_table_folder(raw, "billing", "invoice"),
    "missing_column": lambda raw: defects.drop_column(raw, "billing", "invoice", "amount_due"),
    "renamed_column": lambda raw: defects.rename_column(
        raw, "billing", "invoice", "amount_due", "amount_owed"
    ),
    "renamed_among_extra_columns": _together(
        lambda raw: defects.rename_column(raw, "billing", "invoice", "amount_due", "amount_owed"),
        lambda raw: defects.add_column(raw, "billing", "invoice", "discount_code", "'WINTER'"),
        lambda raw: defects.add_column(raw, "billing", "invoice", "amount_note", "'n/a'"),
        # Salesforce custom fields as some connectors land them (_c, not __c); the fixture's
        # account table also carries an unrelated extra column, some_new_column.
        lambda raw: defects.rename_column(
            raw, "crm", "account", "customer_tier__c", "customer_tier_c"
        ),
    ),
    "wrong_type": lambda raw: defects.replace_column(
        raw, "billing", "invoice", "amount_due", "'abc'"
    ),
    "corrupt_file": lambda raw: defects.write_corrupt_file(raw, "billing", "invoice"),
    "empty_file": lambda raw: defects.write_empty_file(raw, "billing", "invoice"),
    "newer_contract_version": lambda raw: defects.set_contract_version(raw, 2),
    "malformed_contract_file": lambda raw: defects.write_contract_text(raw, "{version: 1"),
    "no_contract_file": lambda raw: defects.set_contract_version(raw, None),
    # row-level
    "zero_rows": lambda raw: defects.truncate_table(raw, "billing", "invoice"),
    "resynced_batch": lambda raw: defects.resync_batch(raw, "billing", "invoice"),
    "unknown_enum": lambda raw: defects.append_row(
        raw, "support", "ticket", {"id": "102", "status": "'escalated'", "channel": "'sms'"}
    ),
    "negative_amount": _together(
        lambda raw: defects.append_row(
            raw, "billing", "invoice", {"id": "'in_NEG'", "amount_due": "-100"}
        ),
        lambda raw: defects.append_row(
            raw, "billing", "charge", {"id": "'ch_REFUND'", "amount": "-2500"}
        ),
    ),
    "score_out_of_range": _together(
        lambda raw: defects.append_row(
            raw, "survey", "response", {"id": "'r_nps_11'", "survey": "'nps'", "score": "11"}
        ),
        lambda raw: defects.append_row(
            raw, "survey", "response", {"id": "'r_csat_0'", "survey": "'csat'", "score": "0"}
        ),
        lambda raw: defects.append_row(
            raw, "crm", "health_input__c", {"id": "'a0_NINE'", "rating__c": "9"}
        ),
    ),
    "clock_skew": _together(
        lambda raw: defects.append_row(
            raw,
            "product",
            "tracks",
            {"id": "'m_future'", "timestamp": "received_at + interval 10 year"},
        ),
        lambda raw: defects.append_row(
            raw,
            "product",
            "tracks",
            {"id": "'m_1975'", "timestamp": "timestamptz '1975-06-01 12:00:00+00'"},
        ),
    ),
    "orphan_foreign_keys": _together(
        lambda raw: defects.append_row(
            raw, "crm", "contact", {"id": "'003_ORPHAN'", "account_id": "'001_NOWHERE'"}
        ),
        lambda raw: defects.append_row(
            raw, "support", "ticket", {"id": "102", "organization_id": "4242"}
        ),
    ),
    "extra_column": lambda raw: defects.add_column(
        raw, "billing", "invoice", "discount_code", "'WINTER'"
    ),
    "null_primary_key": _together(
        lambda raw: defects.append_row(raw, "billing", "invoice", {"id": "null"}),
        lambda raw: defects.append_row(raw, "support", "ticket", {"id": "null"}),
    ),
    # Free text quoting an e-mail, in staged rows and in quarantined ones.
    "email_in_free_text": _together(
        lambda raw: defects.append_row(
            raw, "support", "ticket", {"id": "103", "subject": "'Please reply to ann@acme.example'"}
        ),
        lambda raw: defects.append_row(
            raw,
            "support",
            "ticket",
            {"id": "104", "created_at": "null", "subject": "'Call bob@acme.example'"},
        ),
        lambda raw: defects.append_row(
            raw, "crm", "task", {"id": "'00T_MAIL'", "subject": "'Follow up with ann@acme.example'"}
        ),
        lambda raw: defects.append_row(
            raw,
            "crm",
            "health_input__c",
            {"id": "'a0_MAIL'", "rating__c": "9", "note__c": "'Ask ann@acme.example'"},
        ),
        lambda raw: defects.append_row(
            raw,
            "survey",
            "response",
            {"id": "'r_MAIL'", "score": "11", "comment": "'Write to ann@acme.example'"},
        ),
    ),
    "soft_deleted": _together(
        lambda raw: defects.append_row(
            raw, "crm", "contact", {"id": "'003_DELETED'", "is_deleted": "true"}
        ),
        lambda raw: defects.append_row(
            raw, "support", "ticket", {"id": "102", "status": "'deleted'"}
        ),
    ),
}


@dataclass(frozen=True)
class StagingBuild:
    """One case's raw folder, database and dbt output."""

    raw_dir: Path
    db_path: Path
    result: DbtResult

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def count(self, sql_from: str) -> int:
        """Rows of ``sql_from``: a relation, optionally followed by a where clause."""
        return self.query(f"select count(*) from {sql_from}")[0][0]

    def raw_rows(self, source: str, table: str) -> int:
        glob = self.raw_dir / source / table / "*.parquet"
        con = duckdb.connect()
        try:
            sql = f"select count(*) from read_parquet('{glob}', union_by_name = true)"
            return con.execute(sql).fetchall()[0][0]
        finally:
            con.close()

    def fates(self, source: str, table: str) -> Counter[str]:
        rows = self.query(
            f"select _row_status, count(*) from {base_model(source, table)} group by 1"
        )
        return Counter(dict(rows))

    def quarantined(self, source: str) -> set[tuple[str, str | None, str]]:
        """(source_table, record_key, quarantine_reason) of every quarantined row."""
        sql = f"select source_table, record_key, quarantine_reason from staging.quarantine_{source}"
        return set(self.query(sql))


class StagingBuilds:
    """Runs the staging build of many cases concurrently, each case in its own folder.

    dbt parses the whole project again whenever RAW_DATA_DIR or the database path change, which
    costs more than building the tiny fixture. So every worker owns a slot: a target/ folder and
    a fixed path `<slot>/case`, a link it points at the case's folder before each build. dbt sees
    the same paths every time and parses only once per slot.
    """

    def __init__(self, root: Path, workers: int) -> None:
        self._root = root
        self._slots: queue.Queue[Path] = queue.Queue()
        for number in range(workers):
            slot = root / f"slot_{number}"
            slot.mkdir(parents=True)
            self._slots.put(slot)
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._builds: dict[str, Future[StagingBuild]] = {}

    def start(self, case: str) -> None:
        if case not in self._builds:
            self._builds[case] = self._pool.submit(self._build, case)

    def get(self, case: str) -> StagingBuild:
        self.start(case)
        return self._builds[case].result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _build(self, case: str) -> StagingBuild:
        case_dir = self._root / "cases" / case
        raw_dir = write_minimal_raw_set(case_dir / "raw")
        CASES[case](raw_dir)
        slot = self._slots.get()
        try:
            link = slot / "case"
            link.unlink(missing_ok=True)
            link.symlink_to(case_dir, target_is_directory=True)
            result = run_dbt(
                STAGING_BUILD,
                raw_dir=link / "raw",
                db_path=link / "build.duckdb",
                work_dir=slot / "work",
                extra_env=DBT_ENV,
            )
        finally:
            self._slots.put(slot)
        return StagingBuild(raw_dir, case_dir / "build.duckdb", result)


@pytest.fixture(scope="module")
def staging_builds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StagingBuilds]:
    selected = [
        item.callspec.params["build"]
        for item in request.session.items
        if item.module is request.module
        and "build" in getattr(getattr(item, "callspec", None), "params", {})
    ]
    builds = StagingBuilds(tmp_path_factory.mktemp("bad_raw_input"), workers=os.cpu_count() or 1)
    for case in selected:
        builds.start(case)
    yield builds
    builds.close()


@pytest.fixture
def build(request: pytest.FixtureRequest, staging_builds: StagingBuilds) -> StagingBuild:
    """The finished staging build of the case named by the test's `build` parameter."""
    return staging_builds.get(request.param)


def base_model(source: str, table: str) -> str:
    return f"staging.base_{source}__{table.removesuffix('__c')}"


def assert_rows_accounted(build: StagingBuild) -> None:
    """Every raw row of every table has exactly one fate, and the models agree with the fates."""
    assert build.result.ok, build.result.output
    for source, table in TABLES:
        label = f"{source}.{table.removesuffix('__c')}"
        fates = build.fates(source, table)
        assert set(fates) <= {"staged", "duplicate", "soft_deleted", "quarantined"}, label
        assert build.raw_rows(source, table) == sum(fates.values()), label
        staged = build.count(f"staging.stg_{source}__{table.removesuffix('__c')}")
        assert staged == fates["staged"], label
        quarantined = build.count(
            f"staging.quarantine_{source} where source_table = '{label}'"
            " and quarantine_reason is not null"
        )
        assert quarantined == fates["quarantined"], label


def parametrize_build(*cases: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("build", cases, indirect=True)


# --- structural defects: the contract check stops the build and says what is wrong -----------


# Case -> what the build output must say.
STRUCTURAL_MESSAGES: dict[str, list[str]] = {
    "missing_table_folder": ["raw table billing.invoice: no Parquet file in", "/billing/invoice/"],
    "empty_table_folder": ["raw table billing.invoice: no Parquet file in", "/billing/invoice/"],
    "missing_column": ["raw table billing.invoice", "missing contract column(s) amount_due"],
    "renamed_column": [
        "raw table billing.invoice",
        "missing contract column(s) amount_due (renamed? amount_owed looks like amount_due)",
    ],
    "renamed_among_extra_columns": [
        "missing contract column(s) amount_due (renamed? amount_owed looks like amount_due)",
        "missing contract column(s) customer_tier__c"
        " (renamed? customer_tier_c looks like customer_tier__c)",
    ],
    "wrong_type": [
        "raw table billing.invoice",
        "column amount_due has type VARCHAR, the contract says bigint",
    ],
    "corrupt_file": ["billing/invoice/batch_0002.parquet"],
    "empty_file": ["billing/invoice/batch_0002.parquet"],
    "newer_contract_version": [
        "_contract.json states contract version 2",
        "reads up to version 1",
    ],
    "malformed_contract_file": ["_contract.json: not JSON with an integer 'version' field"],
}


@pytest.mark.parametrize(
    ("build", "expected"),
    [pytest.param(case, expected, id=case) for case, expected in STRUCTURAL_MESSAGES.items()],
    indirect=["build"],
)
def test_structural_defect_stops_the_build_and_names_it(
    build: StagingBuild, expected: list[str]
) -> None:
    output = build.result.output
    assert not build.result.ok, output
    for fragment in expected:
        assert fragment in output, f"{fragment!r} not in the output:\n{output}"
    # Stopped by the contract check, before any model read the raw files.
    assert "START sql" not in output, output


@parametrize_build("renamed_among_extra_columns")
def test_rename_hint_names_only_the_likely_match(build: StagingBuild) -> None:
    """The hint suggests the most similar unknown column, not every column outside the contract."""
    problems = [line for line in build.result.output.splitlines() if "missing contract" in line]
    assert len(problems) == 2, build.result.output
    # amount_note shares a token with amount_due but is text: the integer amount_owed ranks first.
    for unrelated in ("discount_code", "amount_note", "some_new_column"):
        assert not any(unrelated in line for line in problems), problems


@parametrize_build("clean", "no_contract_file")
def test_contract_version_1_or_absent_builds(build: StagingBuild) -> None:
    assert build.result.ok, build.result.output
    assert "Raw contract check passed" in build.result.output
    assert_rows_accounted(build)


# --- row-level defects: the build succeeds and every raw row is accounted for ---------------


@parametrize_build("zero_rows")
def test_table_with_zero_rows_builds_empty(build: StagingBuild) -> None:
    assert_rows_accounted(build)
    assert build.raw_rows("billing", "invoice") == 0
    assert build.count("staging.stg_billing__invoice") == 0


@parametrize_build("resynced_batch")
def test_resynced_batch_counts_duplicates_and_keeps_the_newest_copy(
    build: StagingBuild, staging_builds: StagingBuilds
) -> None:
    assert_rows_accounted(build)
    clean = staging_builds.get("clean")
    first_batch_rows = clean.raw_rows("billing", "invoice")
    fates = build.fates("billing", "invoice")
    assert fates["duplicate"] == first_batch_rows
    assert fates["staged"] == clean.fates("billing", "invoice")["staged"]
    staged_files = build.query(
        "select distinct _raw_file from staging.base_billing__invoice where _row_status = 'staged'"
    )
    assert [Path(file).name for (file,) in staged_files] == ["batch_0002.parquet"]


@parametrize_build("unknown_enum")
def test_unknown_picklist_value_is_staged_as_other(build: StagingBuild) -> None:
    assert_rows_accounted(build)
    rows = build.query(
        "select ticket_status, ticket_status_raw, channel"
        " from staging.stg_support__ticket where ticket_id = 102"
    )
    assert rows == [("other", "escalated", "other")]


@parametrize_build("negative_amount")
def test_negative_invoice_is_quarantined_and_negative_charge_is_a_refund(
    build: StagingBuild,
) -> None:
    assert_rows_accounted(build)
    assert ("billing.invoice", "in_NEG", "negative_amount") in build.quarantined("billing")
    assert build.count("staging.stg_billing__invoice where invoice_id = 'in_NEG'") == 0
    refund = build.query(
        "select amount_cents, is_refund from staging.stg_billing__charge"
        " where charge_id = 'ch_REFUND'"
    )
    assert refund == [(-2500, True)]


@parametrize_build("score_out_of_range")
def test_score_out_of_range_is_quarantined(build: StagingBuild) -> None:
    assert_rows_accounted(build)
    survey = build.quarantined("survey")
    assert ("survey.response", "r_nps_11", "score_out_of_range") in survey
    assert ("survey.response", "r_csat_0", "score_out_of_range") in survey
    assert ("crm.health_input", "a0_NINE", "rating_out_of_range") in build.quarantined("crm")


# The free-text columns of the raw contract, by the names staging gave them until they were dropped.
FREE_TEXT = {
    "support.ticket": "subject",
    "crm.task": "subject",
    "crm.health_input": "note",
    "survey.response": "comment",
}


@parametrize_build("email_in_free_text")
def test_free_text_is_not_kept_and_the_email_checks_fail_no_build(build: StagingBuild) -> None:
    """Subjects, notes and comments quoting an address are dropped where the base models read
    them, so the error-level no_email_like_values tests on every stg and quarantine model pass,
    and a quarantined row is still explained by its reason, file, key and other columns."""
    assert_rows_accounted(build)
    email_checks = [
        line for line in build.result.output.splitlines() if "no_email_like_values_" in line
    ]
    for model in (
        "stg_support__ticket",
        "stg_crm__task",
        "stg_crm__health_input",
        "stg_survey__response",
        "quarantine_support",
        "quarantine_crm",
        "quarantine_survey",
    ):
        assert any(f"PASS no_email_like_values_{model}" in line for line in email_checks), model
    problems = ("WARN", "FAIL", "ERROR")
    assert not [line for line in email_checks if any(word in line for word in problems)]
    text_columns = build.query(
        "select table_name, column_name from information_schema.columns"
        " where table_schema = 'staging' and data_type = 'VARCHAR'"
    )
    assert {"subject", "note", "comment", "note__c"}.isdisjoint(
        column for _, column in text_columns
    ), text_columns
    for table, column in text_columns:
        quoted = build.count(f"staging.{table} where \"{column}\" like '%@acme.example%'")
        assert quoted == 0, f"staging.{table}.{column} quotes an address"
    assert build.count("staging.stg_support__ticket where ticket_id = 103") == 1
    assert build.count("staging.stg_crm__task where task_id = '00T_MAIL'") == 1
    rows = build.query(
        "select source_table, record_key, quarantine_reason, raw_file, record_json from ("
        + " union all ".join(
            f"select * from staging.quarantine_{source}" for source in ("support", "crm", "survey")
        )
        + ") where record_key in ('104', 'a0_MAIL', 'r_MAIL')"
    )
    explained = {(table, key, reason) for table, key, reason, _, _ in rows}
    assert explained == {
        ("support.ticket", "104", "missing_created_at"),
        ("crm.health_input", "a0_MAIL", "rating_out_of_range"),
        ("survey.response", "r_MAIL", "score_out_of_range"),
    }
    kept = {  # a non-personal column of each row that the JSON must still hold
        "support.ticket": ("ticket_status", "open"),
        "crm.health_input": ("rating", 9),
        "survey.response": ("score", 11),
    }
    for table, _, _, raw_file, record_json in rows:
        assert raw_file.startswith(f"{table.split('.')[0]}/"), raw_file
        record = json.loads(record_json)
        assert FREE_TEXT[table] not in record and "@" not in record_json, record_json
        column, value = kept[table]
        assert record[column] == value, record_json


@parametrize_build("clock_skew")
def test_event_far_in_future_or_past_is_quarantined(build: StagingBuild) -> None:
    assert_rows_accounted(build)
    product = build.quarantined("product")
    assert ("product.tracks", "m_future", "event_in_future") in product
    assert ("product.tracks", "m_1975", "event_before_floor") in product


@parametrize_build("orphan_foreign_keys")
def test_foreign_key_to_nowhere_is_kept_and_only_warns(build: StagingBuild) -> None:
    assert_rows_accounted(build)
    contact = build.query(
        "select account_id from staging.stg_crm__contact where contact_id = '003_ORPHAN'"
    )
    assert contact == [("001_NOWHERE",)]
    ticket = build.query(
        "select organization_id from staging.stg_support__ticket where ticket_id = 102"
    )
    assert ticket == [(4242,)]
    output = build.result.output
    for test_name in (
        "relationships_within_tolerance_stg_crm__contact_account_id",
        "relationships_within_tolerance_stg_support__ticket_organization_id",
    ):
        assert any("WARN" in line and test_name in line for line in output.splitlines()), test_name


@parametrize_build("extra_column")
def test_extra_column_is_ignored_and_logged(
    build: StagingBuild, staging_builds: StagingBuilds
) -> None:
    assert_rows_accounted(build)
    assert (
        "raw table billing.invoice: ignoring column(s) not in the contract: discount_code"
        in build.result.output
    )
    columns = build.query(
        "select column_name from information_schema.columns"
        " where table_schema = 'staging' and column_name = 'discount_code'"
    )
    assert columns == []
    clean = staging_builds.get("clean")
    assert build.fates("billing", "invoice") == clean.fates("billing", "invoice")


@parametrize_build("null_primary_key")
def test_null_primary_key_is_quarantined(build: StagingBuild) -> None:
    assert_rows_accounted(build)
    assert ("billing.invoice", None, "missing_primary_key") in build.quarantined("billing")
    assert ("support.ticket", None, "missing_primary_key") in build.quarantined("support")


@parametrize_build("soft_deleted")
def test_soft_deleted_row_is_counted_not_staged(
    build: StagingBuild, staging_builds: StagingBuilds
) -> None:
    assert_rows_accounted(build)
    clean = staging_builds.get("clean")
    for source, table in (("crm", "contact"), ("support", "ticket")):
        fates = build.fates(source, table)
        assert fates["soft_deleted"] == clean.fates(source, table)["soft_deleted"] + 1
        assert fates["staged"] == clean.fates(source, table)["staged"]
    assert build.count("staging.stg_crm__contact where contact_id = '003_DELETED'") == 0
    assert build.count("staging.stg_support__ticket where ticket_id = 102") == 0


def test_a_build_from_before_free_text_was_dropped_stops_until_full_refresh(
    tmp_path: Path,
) -> None:
    """A daily run re-reads stored rows by name, so a column dropped from a base model stays in
    an existing table and on_schema_change does not see it. The columns_not_stored tests stop
    that run, naming the table, the column and the fix; a --full-refresh then drops them."""
    raw_dir = write_minimal_raw_set(tmp_path / "raw")
    db_path, work_dir = tmp_path / "build.duckdb", tmp_path / "work"

    def staging_build(*extra: str) -> DbtResult:
        return run_dbt(
            [*STAGING_BUILD, *extra],
            raw_dir=raw_dir,
            db_path=db_path,
            work_dir=work_dir,
            extra_env=DBT_ENV,
        )

    first = staging_build()
    assert first.ok, first.output
    con = duckdb.connect(str(db_path))
    try:  # what a build of the earlier base models stored
        for table, column in FREE_TEXT.items():
            base = base_model(*table.split("."))
            con.execute(f"alter table {base} add column {column} varchar default 'landed text'")
    finally:
        con.close()
    daily = staging_build()
    assert not daily.ok, daily.output
    for table, column in FREE_TEXT.items():
        name = base_model(*table.split(".")).removeprefix("staging.")
        expected = (
            f"{name} still stores column(s) {column} (free text), dropped from the model after"
            " this table was built: run `dbt build --full-refresh` once"
        )
        assert expected in daily.output, daily.output
    refreshed = staging_build("--full-refresh")
    assert refreshed.ok, refreshed.output
    stored = duckdb.connect(str(db_path), read_only=True)
    try:
        columns = stored.execute(
            "select column_name from information_schema.columns where table_schema = 'staging'"
        ).fetchall()
    finally:
        stored.close()
    assert {column for (column,) in columns}.isdisjoint(FREE_TEXT.values()), columns
