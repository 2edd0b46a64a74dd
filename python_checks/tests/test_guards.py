"""Data-gap guards (tests/guards/): never a green build with silently wrong scores.

Each case copies the generated sample's raw data, makes one gap the way a connector would land it
(python_checks.raw_defects) and builds only what the guard needs (`+<guard>`) into its own
database. The guard must fire at its level (error: the build fails; warn: it passes) and the run
must end with the guard's message, which names the gap, the share, the limit and the var. The
untouched sample (the session build) passes every guard.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from python_checks import raw_defects as defects
from python_checks.build_fixtures import Build
from python_checks.dbt_runner import DbtResult

pytestmark = pytest.mark.build

GUARDS_DIR = Path(__file__).resolve().parents[2] / "tests" / "guards"
GUARDS = sorted(path.stem for path in GUARDS_DIR.glob("guard_*.sql"))
DBT_ENV = {"DBT_WRITE_JSON": "false"}
# Var connectors (the source seam): every source in the contract shape.
CONTRACT_CONNECTORS = {
    source: "contract" for source in ("crm", "support", "billing", "product", "survey")
}


def guard_build(guard: str) -> list[str]:
    """`dbt build` of one guard and everything it reads (and the tests on those models)."""
    return ["build", "--select", f"+{guard}", "--indirect-selection", "cautious"]


def guard_messages(result: DbtResult, level: str, guard: str) -> list[str]:
    """The messages macro report_guard_failures printed for ``guard`` at ``level``."""
    prefix = f"Data-gap guard {level} [{guard}] "
    return [line.split(prefix, 1)[1] for line in result.output.splitlines() if prefix in line]


def percent(share: float) -> str:
    """A share as the guards print it."""
    return f"{100 * share:.1f}%"


@pytest.fixture
def gap_build(sample_build: Build, tmp_path: Path) -> Build:
    """A copy of the sample's raw data and an empty database of its own, for one gap."""
    raw = tmp_path / "raw"
    shutil.copytree(sample_build.raw_dir, raw)
    return Build(raw, sample_build.truth_dir, tmp_path / "gap.duckdb", tmp_path / "work")


def build_guard(build: Build, guard: str, **kwargs: object) -> DbtResult:
    return build.dbt(guard_build(guard), extra_env=DBT_ENV, **kwargs)


# --- the untouched sample -------------------------------------------------------------------


def test_untouched_sample_passes_every_guard(sample_build: Build) -> None:
    assert len(GUARDS) == 8, GUARDS
    stored = sample_build.query(
        "select table_name from duckdb_tables() where schema_name = 'dbt_test__audit'"
        " and table_name like 'guard\\_%' escape '\\'"
    )
    # Every guard ran (its failures table exists) and returned no row.
    assert sorted(name for (name,) in stored) == GUARDS
    for guard in GUARDS:
        assert sample_build.query(f"select count(*) from dbt_test__audit.{guard}") == [(0,)], guard
    dimensions = sample_build.query(
        "select dimension from monitoring.fct_build_dimension_coverage where coverage is not null"
    )
    assert {name for (name,) in dimensions} >= {"product", "service", "financial", "human_input"}


# --- tickets with no way to know they were solved -------------------------------------------


def test_solved_tickets_without_solved_time_fail(gap_build: Build) -> None:
    guard = "guard_tickets_solved_time_known"
    defects.rewrite_every_batch(
        gap_build.raw_dir,
        "support",
        "ticket",
        "select * replace (cast(null as timestamptz) as solved_at) from batch",
    )
    result = build_guard(gap_build, guard)
    assert not result.ok, result.output[-3000:]
    solved = gap_build.query("select count(*) from staging.stg_support__ticket where is_solved")[0]
    assert solved[0] > 100
    messages = guard_messages(result, "ERROR", guard)
    assert messages == [
        f"support.ticket: 100.0% of solved or closed tickets ({solved[0]} of {solved[0]}) have no"
        " solved_at, above the limit of 5.0% (var guard_max_solved_without_time_share). Every such"
        " ticket stays open forever: open and urgent open tickets pile up, days_to_resolve and"
        " ticket ratings go missing, and the service score collapses. Land solved_at on"
        " support.ticket (Zendesk: from ticket_field_history, the time the status became solved)."
    ]
    # The limit is the var's: allowing every solved ticket to lack its time silences the share
    # check, and the "never solved" check still fires since no ticket has a solved_at.
    relaxed = gap_build.dbt(
        ["test", "--select", guard],
        dbt_vars={"guard_max_solved_without_time_share": 1.0},
        extra_env=DBT_ENV,
    )
    assert not relaxed.ok
    assert guard_messages(relaxed, "ERROR", guard)[0].startswith("support.ticket: none of "), (
        relaxed.output[-3000:]
    )


def test_no_ticket_ever_solved_fails(gap_build: Build) -> None:
    guard = "guard_tickets_solved_time_known"
    defects.rewrite_every_batch(
        gap_build.raw_dir,
        "support",
        "ticket",
        "select * replace (cast(null as timestamptz) as solved_at, 'open' as status) from batch",
    )
    result = build_guard(gap_build, guard)
    assert not result.ok, result.output[-3000:]
    tickets = gap_build.query("select count(*) from staging.stg_support__ticket")[0][0]
    (message,) = guard_messages(result, "ERROR", guard)
    assert message.startswith(
        f"support.ticket: none of {tickets} tickets has a solved_at (at least 20 tickets,"
        " var guard_min_tickets_for_solve_check)"
    ), message
    assert "the service score collapses" in message
    # Declared absent (var connectors, support: none): not a gap, no guard.
    declared_absent = gap_build.dbt(
        ["test", "--select", guard],
        dbt_vars={"connectors": {**CONTRACT_CONNECTORS, "support": "none"}},
        extra_env=DBT_ENV,
    )
    assert declared_absent.ok, declared_absent.output[-3000:]


# --- records that cannot be linked to an account --------------------------------------------


def unlink_product_users(raw: Path) -> None:
    """Segment as some apps send it: group_id is the app's own id, not the CRM account id, and a
    third of the users sign in with addresses on a domain no account owns."""
    unlink = "case when hash(lower(trim(user_id))) % 3 = 0 then replace(user_id, '@', '@app-') end"
    defects.rewrite_every_batch(
        raw,
        "product",
        "groups",
        f"select * replace ('app_' || group_id as group_id, coalesce({unlink}, user_id) as user_id)"
        " from batch",
    )
    defects.rewrite_every_batch(
        raw,
        "product",
        "tracks",
        f"select * replace (coalesce({unlink}, user_id) as user_id) from batch",
    )


def unlinked_share(build: Build, system: str) -> tuple[int, int]:
    """(unlinked, all) records of ``system`` in the built identity table."""
    return build.query(
        "select count(*) filter (where not is_linked), count(*)"
        f" from intermediate.int_account_identity where system = '{system}'"
    )[0]


@pytest.mark.parametrize(
    ("system", "guard", "label", "limit_var", "limit"),
    [
        pytest.param(
            "product_user",
            "guard_product_users_linked",
            "product users (product.tracks and groups)",
            "guard_max_unlinked_product_user_share",
            0.10,
            id="product_users",
        ),
        pytest.param(
            "billing_customer",
            "guard_billing_customers_linked",
            "billing customers (billing.customer)",
            "guard_max_unlinked_billing_customer_share",
            0.05,
            id="billing_customers",
        ),
    ],
)
def test_unlinked_records_that_bend_scores_fail(
    gap_build: Build, system: str, guard: str, label: str, limit_var: str, limit: float
) -> None:
    if system == "product_user":
        unlink_product_users(gap_build.raw_dir)
    else:
        # The CRM id under another metadata key, and billing e-mails on no account's domain.
        defects.rewrite_every_batch(
            gap_build.raw_dir,
            "billing",
            "customer",
            "select * replace (replace(metadata, 'crm_account_id', 'salesforce_id') as metadata,"
            " replace(email, '@', '@billing-') as email) from batch",
        )
    result = build_guard(gap_build, guard)
    assert not result.ok, result.output[-3000:]
    unlinked, total = unlinked_share(gap_build, system)
    assert unlinked / total > limit
    (message,) = guard_messages(result, "ERROR", guard)
    assert message.startswith(
        f"{label}: {percent(unlinked / total)} ({unlinked} of {total}) cannot be linked to a CRM"
        " account ("
    ), message
    assert f"above the limit of {percent(limit)} (var {limit_var})." in message


def test_unlinked_tickets_warn(gap_build: Build) -> None:
    guard = "guard_tickets_linked"
    # Half the tickets lose their organization and come from addresses on no account's domain.
    defects.rewrite_every_batch(
        gap_build.raw_dir,
        "support",
        "ticket",
        "select * replace ("
        " case when id % 2 = 0 then null else organization_id end as organization_id,"
        " case when id % 2 = 0 then replace(requester_email, '@', '@desk-')"
        " else requester_email end as requester_email) from batch",
    )
    result = build_guard(gap_build, guard)
    assert result.ok, result.output[-3000:]
    unlinked, total = unlinked_share(gap_build, "support_ticket")
    assert unlinked / total > 0.20
    (message,) = guard_messages(result, "WARN", guard)
    assert message.startswith(
        f"support tickets (support.ticket): {percent(unlinked / total)} ({unlinked} of {total})"
    ), message
    assert "above the limit of 20.0% (var guard_max_unlinked_ticket_share)" in message
    assert "service signals rest on fewer tickets" in message
    assert guard_messages(result, "ERROR", guard) == []


# --- no product events in the scoring window ------------------------------------------------


def test_as_of_past_the_data_fails(gap_build: Build) -> None:
    guard = "guard_product_events_in_scoring_window"
    result = build_guard(gap_build, guard, dbt_vars={"as_of": "2030-01-01"})
    assert not result.ok, result.output[-3000:]
    last_event, events = gap_build.query(
        "select cast(max(event_at) as date), count(*) from staging.stg_product__tracks"
    )[0]
    (message,) = guard_messages(result, "ERROR", guard)
    assert message.startswith(
        "product.tracks: no clean product event in the scoring window, the 30 days"
        " (var activity_window_days) up to the as-of date 2030-01-01 (var as_of);"
        f" the latest of {events} events is on {last_event}."
    ), message
    assert message.endswith(
        f"Set var as_of on or before {last_event}, or land the missing product events."
    )


def test_no_product_data_fails_and_as_of_falls_back(gap_build: Build) -> None:
    guard = "guard_product_events_in_scoring_window"
    for table in ("tracks", "groups"):
        defects.rewrite_every_batch(
            gap_build.raw_dir, "product", table, "select * from batch limit 0"
        )
    result = build_guard(gap_build, guard)
    assert not result.ok, result.output[-3000:]
    # int_as_of_date does not depend on product rows: the other sources date the build.
    as_of, source, start, latest_ticket = gap_build.query(
        "select as_of_on, as_of_source, data_start_on,"
        " (select cast(max(created_at) as date) from staging.stg_support__ticket)"
        " from intermediate.int_as_of_date"
    )[0]
    assert source == "latest_other_activity"
    assert as_of is not None and start is not None and start < as_of
    assert as_of >= latest_ticket
    (message,) = guard_messages(result, "ERROR", guard)
    assert message.startswith("product.tracks: no clean product event at all"), message
    assert f"yet the build scores up to {as_of} (latest_other_activity)" in message
    # A deployment that declares the product source absent scores without usage on purpose.
    declared_absent = gap_build.dbt(
        ["test", "--select", guard],
        dbt_vars={"connectors": {**CONTRACT_CONNECTORS, "product": "none"}},
        extra_env=DBT_ENV,
    )
    assert declared_absent.ok, declared_absent.output[-3000:]
    assert guard_messages(declared_absent, "ERROR", guard) == []


# --- customers exist but no account is scored -----------------------------------------------


def test_empty_mart_fails(gap_build: Build) -> None:
    guard = "guard_customers_are_scored"
    # The first scored day after the as-of date: every account has customers' data, none a day.
    result = build_guard(gap_build, guard, dbt_vars={"history_start": "2030-01-01"})
    assert not result.ok, result.output[-3000:]
    assert gap_build.query("select count(*) from marts.dim_account_health") == [(0,)]
    accounts, as_of = gap_build.query(
        "select (select count(*) from intermediate.int_accounts), as_of_on"
        " from intermediate.int_as_of_date"
    )[0]
    assert accounts > 100
    (message,) = guard_messages(result, "ERROR", guard)
    assert message.startswith(
        f"marts.dim_account_health is empty, yet there are customers ({accounts} accounts with a"
        " subscription, "
    ), message
    assert (
        f"for the as-of date {as_of} (latest_product_event) from the first scored day 2030-01-01"
        in (message)
    )


# --- a dimension whose coverage collapses against the previous build ------------------------


def test_dimension_coverage_collapse_fails_until_recovered_or_accepted(
    sample_build: Build, tmp_path: Path
) -> None:
    guard = "guard_dimension_coverage_error"
    build = sample_build.copy(tmp_path / "collapse")
    raw = tmp_path / "raw"
    shutil.copytree(sample_build.raw_dir, raw)
    build = Build(raw, build.truth_dir, build.db_path, build.work_dir)
    before = dict(
        build.query(
            "select dimension, coverage from monitoring.fct_build_dimension_coverage"
            " where dimension = 'human_input'"
        )
    )["human_input"]
    # The CSM-input object and the survey tool stop landing: their tables arrive empty.
    defects.rewrite_every_batch(raw, "crm", "health_input__c", "select * from batch limit 0")
    defects.rewrite_every_batch(raw, "survey", "response", "select * from batch limit 0")
    # Batch files changed in place: rebuild everything; the coverage history is kept.
    result = build.dbt(["build", "--full-refresh", *guard_build(guard)[1:]], extra_env=DBT_ENV)
    assert not result.ok, result.output[-3000:]
    messages = guard_messages(result, "ERROR", guard)
    (message,) = [line for line in messages if line.startswith("dimension human_input:")]
    assert re.match(
        rf"dimension human_input: coverage on the as-of date \S+ fell from {percent(before)}"
        r" \(build of [0-9-]+ [0-9:]+\) to 0\.0% over \d+ accounts, a drop of "
        rf"{100 * before:.1f} points, above the limit of 50\.0 points \(var guard_max_coverage_drop_error\);"
        " signals missing for every account: ",
        message,
    ), message
    # Every human-input signal comes from the two emptied tables (seed signal_thresholds).
    named = set(
        message.split("signals missing for every account: ", 1)[1].split(". ", 1)[0].split(", ")
    )
    human_input = {
        name
        for (name,) in build.query(
            "select distinct signal_name from config.signal_thresholds where dimension = 'human_input'"
        )
    }
    assert named == human_input, (named, human_input)
    assert (
        "If the change is intended, run once with --vars '{guard_coverage_accept: true}'" in message
    )

    # Not fixed: the next run still fails (a collapsed build is never the baseline).
    rerun_select = ["--select", f"fct_build_dimension_coverage {guard}"]
    again = build.dbt(["build", *rerun_select], extra_env=DBT_ENV)
    assert not again.ok and guard_messages(again, "ERROR", guard), again.output[-3000:]
    # Accepted once: passes, and the new coverage is the baseline from then on.
    accepted = build.dbt(
        ["build", *rerun_select], dbt_vars={"guard_coverage_accept": True}, extra_env=DBT_ENV
    )
    assert accepted.ok, accepted.output[-3000:]
    after = build.dbt(["build", *rerun_select], extra_env=DBT_ENV)
    assert after.ok, after.output[-3000:]
    builds = build.query(
        "select count(distinct build_id) from monitoring.fct_build_dimension_coverage"
    )
    assert builds == [(5,)]
