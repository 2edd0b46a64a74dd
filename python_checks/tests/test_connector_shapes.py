"""The source seam: the same customers landed in connector shape build the same marts.

One seed is generated in connector shape (every reshaper registered in
python_checks/generate/shapes) and built with the `connectors` setting the generator states; the
marts must agree with the contract-shaped build of the same seed (the session's sample build):
the same accounts scored, the same bands, scores equal within SCORE_TOLERANCE points (the scores
are computed from the same staged rows, so only floating-point summation order may differ).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from python_checks.build_fixtures import TEST_ACCOUNTS, TEST_SEED, Build
from python_checks.dbt_runner import run_dbt
from python_checks.generate.config import GenerateConfig
from python_checks.generate.shapes import (
    CONNECTOR_OF_SOURCE,
    generate_in_shape,
    read_connectors_setting,
    registered_reshapers,
)

pytestmark = pytest.mark.build

# Points (0-100) two builds of the same staged rows may differ by.
SCORE_TOLERANCE = 0.01


@pytest.fixture(scope="module")
def connector_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, dict[str, str]]:
    root = tmp_path_factory.mktemp("connector_shape")
    config = GenerateConfig(
        accounts=TEST_ACCOUNTS,
        seed=TEST_SEED,
        out=root / "raw",
        truth=root / "truth",
        quiet=True,
    )
    generate_in_shape(config, "connectors")
    connectors = read_connectors_setting(config.out)
    build = Build(config.out, config.truth, root / "build.duckdb", root / "work")
    result = build.dbt(["build"], dbt_vars={"connectors": connectors})
    assert result.ok, result.output[-4000:]
    return build, connectors


def _compare(contract: Build, connector: Build, sql: str) -> list[tuple]:
    con = duckdb.connect()
    try:
        con.execute(f"attach '{contract.db_path}' as contract_shape (read_only)")
        con.execute(f"attach '{connector.db_path}' as connector_shape (read_only)")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_registered_reshaper_is_selected(
    connector_build: tuple[Build, dict[str, str]],
) -> None:
    """Every source has its reshaper, so the connector build reads all five connectors."""
    _, connectors = connector_build
    assert set(registered_reshapers()) == set(CONNECTOR_OF_SOURCE)
    assert connectors == dict(CONNECTOR_OF_SOURCE)


def test_support_lands_in_zendesk_shape(connector_build: tuple[Build, dict[str, str]]) -> None:
    """What the Zendesk adapter must undo is really there: no solve time, e-mail or rating on
    the ticket, domains as rows, DECIMAL ids."""
    build, _ = connector_build
    support = build.raw_dir / "support"
    ticket = pq.read_schema(next((support / "ticket").glob("*.parquet")))
    assert {"requester_id", "via_channel", "_fivetran_synced"} <= set(ticket.names)
    assert not {"solved_at", "requester_email", "satisfaction_rating", "_loaded_at"} & set(
        ticket.names
    )
    assert str(ticket.field("requester_id").type).startswith("decimal")
    for table in ("user", "domain_name", "ticket_field_history", "satisfaction_rating"):
        assert list((support / table).glob("*.parquet")), table
    account = pq.read_schema(next((build.raw_dir / "crm" / "account").glob("*.parquet")))
    assert "customer_tier_c" in account.names and "customer_tier__c" not in account.names
    assert list((build.raw_dir / "crm" / "health_input_c").glob("*.parquet"))


def _mart_agreement(
    sample_build: Build, connector: Build, mart: str, key: str, last_measure: str
) -> tuple:
    """(rows in one shape only, rows in another band, largest score difference, last_measure)
    of ``mart`` joined across the two builds on ``key``."""
    return _compare(
        sample_build,
        connector,
        f"""
        select
            count(*) filter (where c.account_id is null or f.account_id is null),
            count(*) filter (where c.health_band is distinct from f.health_band),
            max(abs(c.health_score - f.health_score)),
            {last_measure}
        from contract_shape.marts.{mart} as c
        full join connector_shape.marts.{mart} as f using ({key})
        """,
    )[0]


def test_same_accounts_bands_and_scores(
    sample_build: Build, connector_build: tuple[Build, dict[str, str]]
) -> None:
    connector, _ = connector_build
    only_one, band_differs, max_diff, both = _mart_agreement(
        sample_build,
        connector,
        "dim_account_health",
        "account_id",
        "count(*) filter (where c.account_id is not null and f.account_id is not null)",
    )
    assert both > 0
    assert only_one == 0, f"{only_one} accounts scored in one shape only"
    assert band_differs == 0, f"{band_differs} accounts in another band"
    assert max_diff <= SCORE_TOLERANCE, f"scores differ by up to {max_diff}"


def test_same_staged_rows_per_source(
    sample_build: Build, connector_build: tuple[Build, dict[str, str]]
) -> None:
    """Each staging model of the five sources stages as many rows from the connectors as from
    the contract (an adapter that loses, repeats or splits rows shows here before in a score)."""
    connector, _ = connector_build
    rows = _compare(
        sample_build,
        connector,
        """
        select table_name
        from information_schema.tables
        where table_catalog = 'contract_shape' and table_schema = 'staging'
            and table_name similar to 'stg_[a-z]+__[a-z_]+'
        order by table_name
        """,
    )
    tables = [row[0] for row in rows]
    for source in CONNECTOR_OF_SOURCE:
        assert any(table.startswith(f"stg_{source}__") for table in tables), source
    counts = _compare(
        sample_build,
        connector,
        " union all ".join(
            f"select '{table}', (select count(*) from contract_shape.staging.{table}),"
            f" (select count(*) from connector_shape.staging.{table})"
            for table in tables
        ),
    )
    differ = [(table, left, right) for table, left, right in counts if left != right]
    assert differ == [], f"staged rows differ (contract, connector): {differ}"
    assert all(left > 0 for _, left, _ in counts)


def test_same_daily_history(
    sample_build: Build, connector_build: tuple[Build, dict[str, str]]
) -> None:
    connector, _ = connector_build
    only_one, band_differs, max_diff, coverage_diff = _mart_agreement(
        sample_build,
        connector,
        "fct_account_health_daily",
        "account_id, date_day",
        "max(abs(c.coverage - f.coverage))",
    )
    assert only_one == 0
    assert band_differs == 0
    assert max_diff <= SCORE_TOLERANCE
    assert coverage_diff <= 1e-9


def test_zendesk_solve_times_match_the_contract(
    sample_build: Build, connector_build: tuple[Build, dict[str, str]]
) -> None:
    """solved_at derived from ticket_field_history, the requester e-mail from user and the
    rating from satisfaction_rating give the contract's values ticket by ticket."""
    connector, _ = connector_build
    count_contract, count_connector, differ = _compare(
        sample_build,
        connector,
        """
        select
            (select count(*) from contract_shape.staging.stg_support__ticket),
            (select count(*) from connector_shape.staging.stg_support__ticket),
            (select count(*)
             from contract_shape.staging.stg_support__ticket as c
             inner join connector_shape.staging.stg_support__ticket as f using (ticket_id)
             where c.solved_at is distinct from f.solved_at
                or c.requester_email_hash is distinct from f.requester_email_hash
                or c.satisfaction_rating is distinct from f.satisfaction_rating
                or c.organization_id is distinct from f.organization_id)
        """,
    )[0]
    assert count_contract == count_connector > 0
    assert differ == 0


def test_unknown_connector_stops_the_build(tmp_path: Path) -> None:
    result = run_dbt(
        ["parse"],
        raw_dir=tmp_path / "raw",
        db_path=tmp_path / "parse.duckdb",
        work_dir=tmp_path / "work",
        dbt_vars={"connectors": {"support": "freshdesk"}},
    )
    assert not result.ok
    assert "var connectors.support = 'freshdesk' is not allowed" in result.output
    assert "contract, fivetran_zendesk, none" in result.output


def _load_as_warehouse_tables(raw_dir: Path, db_path: Path, schemas: dict[str, str]) -> None:
    """Each `<source>/<table>/` Parquet folder as table `<schema>.<table>` (what a connector
    writing into the same DuckDB file leaves)."""
    con = duckdb.connect(str(db_path))
    try:
        for source, schema in schemas.items():
            con.execute(f"create schema if not exists {schema}")
            for folder in sorted((raw_dir / source).iterdir()):
                con.execute(
                    f'create table {schema}."{folder.name}" as select * from '
                    f"read_parquet('{folder}/*.parquet', union_by_name = true)"
                )
    finally:
        con.close()


def test_warehouse_tables_and_a_source_not_configured(
    sample_build: Build, connector_build: tuple[Build, dict[str, str]], tmp_path: Path
) -> None:
    """Salesforce, Zendesk, Stripe and Segment read from warehouse schemas (var raw_schemas) give
    the same staged rows as their Parquet folders; survey set to none leaves its signals missing with reason
    source_not_configured, says so once, and still scores every account."""
    connector, connectors = connector_build
    db_path = tmp_path / "warehouse.duckdb"
    schemas = {"crm": "salesforce", "support": "zendesk", "billing": "stripe", "product": "segment"}
    _load_as_warehouse_tables(connector.raw_dir, db_path, schemas)
    result = run_dbt(
        ["build"],
        raw_dir=connector.raw_dir,
        db_path=db_path,
        work_dir=tmp_path / "work",
        dbt_vars={
            "connectors": {**connectors, "survey": "none"},
            "raw_schemas": {
                source: {"database": None, "schema": schema} for source, schema in schemas.items()
            },
        },
    )
    assert result.ok, result.output[-4000:]
    line = "survey: not configured (connectors.survey = none): its signals are missing"
    assert result.output.count(line) == 1
    warehouse = Build(connector.raw_dir, connector.truth_dir, db_path, tmp_path / "work")
    for table in (
        "stg_crm__account",
        "stg_crm__health_input",
        "stg_support__ticket",
        "stg_billing__customer",
        "stg_billing__subscription",
        "stg_billing__invoice",
        "stg_billing__charge",
        "stg_product__tracks",
        "stg_product__groups",
    ):
        sql = f"select count(*) from staging.{table}"
        assert warehouse.query(sql) == connector.query(sql), table
    # Warehouse rows carry a batch key from their load time, not a file name.
    keys = warehouse.query(
        "select count(*), count(*) filter (where _raw_file like 'billing/charge/%.stripe@%'"
        " or _raw_file like 'billing/refund/%.stripe@%') from staging.fivetran_stripe__charge"
    )[0]
    assert keys[0] == keys[1] > 0
    reasons = dict(
        warehouse.query(
            """
            select signal_name, string_agg(distinct coalesce(missing_reason, 'present'), ',')
            from intermediate.int_account_signals_daily
            where signal_name in ('nps', 'csat_score', 'pulse_score', 'onboarding_survey_score')
            group by signal_name
            """
        )
    )
    assert reasons == dict.fromkeys(
        ("nps", "csat_score", "pulse_score", "onboarding_survey_score"), "source_not_configured"
    )
    accounts, coverage = warehouse.query(
        "select count(*), avg(coverage) from marts.dim_account_health"
    )[0]
    contract_accounts, contract_coverage = sample_build.query(
        "select count(*), avg(coverage) from marts.dim_account_health"
    )[0]
    assert accounts == contract_accounts > 0
    assert coverage < contract_coverage


ZENDESK_FIXTURE = """
create schema zendesk;
create table zendesk.ticket as
select
    id::bigint as id, organization_id::decimal(20, 0) as organization_id,
    requester_id::decimal(20, 0) as requester_id, created_at::timestamptz as created_at,
    updated_at::timestamptz as updated_at, status, 'normal' as priority, 'email' as via_channel,
    'subject' as subject, false as _fivetran_deleted, synced::timestamp as _fivetran_synced
from (values
    (1, 10, 100, '2025-01-01 09:00+00', '2025-01-02 12:00+00', 'solved', '2025-01-02 13:00'),
    (1, 10, 100, '2025-01-01 09:00+00', '2025-01-09 09:00+00', 'closed', '2025-01-09 10:00'),
    (2, 10, 100, '2025-01-03 09:00+00', '2025-01-05 09:00+00', 'open', '2025-01-05 10:00'),
    (3, null, null, '2025-01-04 09:00+00', '2025-01-04 09:00+00', 'new', '2025-01-04 10:00')
) as t (id, organization_id, requester_id, created_at, updated_at, status, synced);
create table zendesk."user" as
select id::decimal(20, 0) as id, email, synced::timestamp as _fivetran_synced
from (values (100, 'Old@Example.com', '2025-01-01 10:00'), (100, 'new@example.com', '2025-01-06 10:00'))
    as t (id, email, synced);
create table zendesk.ticket_field_history as
select ticket_id::bigint as ticket_id, field_name, value, updated::timestamptz as updated,
    null::bigint as user_id, synced::timestamp as _fivetran_synced
from (values
    (1, 'status', 'new', '2025-01-01 09:00+00', '2025-01-02 13:00'),
    (1, 'status', 'solved', '2025-01-02 12:00+00', '2025-01-02 13:00'),
    (1, 'status', 'open', '2025-01-03 08:00+00', '2025-01-09 10:00'),
    (1, 'status', 'solved', '2025-01-05 08:00+00', '2025-01-09 10:00'),
    (1, 'status', 'closed', '2025-01-09 09:00+00', '2025-01-09 10:00'),
    (1, 'priority', 'high', '2025-01-06 08:00+00', '2025-01-09 10:00'),
    (2, 'status', 'new', '2025-01-03 09:00+00', '2025-01-05 10:00'),
    (2, 'status', 'solved', '2025-01-04 09:00+00', '2025-01-05 10:00'),
    (2, 'status', 'open', '2025-01-05 09:00+00', '2025-01-05 10:00'),
    (3, 'status', 'new', '2025-01-04 09:00+00', '2025-01-04 10:00')
) as t (ticket_id, field_name, value, updated, synced);
create table zendesk.satisfaction_rating as
select id::bigint as id, ticket_id::bigint as ticket_id, score, synced::timestamp as _fivetran_synced
from (values (7, 1, 'offered', '2025-01-02 13:00'), (7, 1, 'good', '2025-01-09 10:00'))
    as t (id, ticket_id, score, synced);
"""


RESYNC_TICKET_2 = """
insert into zendesk.ticket by name
select 2 as id, 10 as organization_id, 100 as requester_id,
    '2025-01-03 09:00+00'::timestamptz as created_at, '2025-01-06 09:00+00'::timestamptz as updated_at,
    'solved' as status, 'high' as priority, 'web' as via_channel, 'subject' as subject,
    false as _fivetran_deleted, '2025-01-06 10:00'::timestamp as _fivetran_synced;
insert into zendesk.ticket_field_history by name
select 2 as ticket_id, 'status' as field_name, 'solved' as value,
    '2025-01-06 09:00+00'::timestamptz as updated, '2025-01-06 10:00'::timestamp as _fivetran_synced;
"""


def _land(db_path: Path, sql: str) -> None:
    """Write connector tables into the warehouse file as a sync would."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(sql)
    finally:
        con.close()


def _run_zendesk_tickets(
    connector: Build, connectors: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    """The Zendesk ticket adapter and its base model, reading the warehouse schema `zendesk`."""
    result = run_dbt(
        ["run", "--select", "fivetran_zendesk__ticket", "base_support__ticket"],
        raw_dir=connector.raw_dir,
        db_path=db_path,
        work_dir=tmp_path / "work",
        dbt_vars={
            "connectors": connectors,
            "raw_schemas": {"support": {"database": None, "schema": "zendesk"}},
        },
    )
    assert result.ok, result.output[-4000:]


def test_zendesk_solved_at_is_the_solve_after_the_last_reopen(
    connector_build: tuple[Build, dict[str, str]], tmp_path: Path
) -> None:
    """Ticket 1 was solved, reopened, solved again and closed: its newest state is solved at the
    second solve, its state synced before the reopen at the first. Ticket 2 was solved and
    reopened: unsolved. Ticket 3 never left `new`. The e-mail is the newest `user` row's, the
    rating the newest `satisfaction_rating` row's; DECIMAL ids are read as integers."""
    connector, connectors = connector_build
    db_path = tmp_path / "landing.duckdb"
    _land(db_path, ZENDESK_FIXTURE)
    _run_zendesk_tickets(connector, connectors, db_path, tmp_path)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        rows = con.execute(
            """
            select id, organization_id, strftime(updated_at, '%m-%d %H:%M'),
                strftime(solved_at, '%m-%d %H:%M'), requester_email, satisfaction_rating, _raw_file
            from staging.fivetran_zendesk__ticket order by id, updated_at
            """
        ).fetchall()
    finally:
        con.close()
    assert [row[:6] for row in rows] == [
        (1, 10, "01-02 12:00", "01-02 12:00", "new@example.com", "good"),
        (1, 10, "01-09 09:00", "01-05 08:00", "new@example.com", "good"),
        (2, 10, "01-05 09:00", None, "new@example.com", None),
        (3, None, "01-04 09:00", None, None, None),
    ]
    # Warehouse rows carry a batch key from their sync time (read again when re-synced).
    assert rows[0][6] != rows[1][6]
    assert all(row[6].startswith("support/ticket/landing.zendesk@") for row in rows)

    # A later sync solves ticket 2 again: the incremental base model reads the new row by its
    # batch key and stages the new state.
    _land(db_path, RESYNC_TICKET_2)
    _run_zendesk_tickets(connector, connectors, db_path, tmp_path)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        fates = con.execute(
            """
            select _row_status, ticket_status, strftime(solved_at, '%m-%d %H:%M')
            from staging.base_support__ticket where ticket_id = 2 order by _row_status
            """
        ).fetchall()
    finally:
        con.close()
    assert fates == [("duplicate", "open", None), ("staged", "solved", "01-06 09:00")]


def test_missing_connector_table_or_column_stops_the_build(
    connector_build: tuple[Build, dict[str, str]], tmp_path: Path
) -> None:
    """A connector folder without files and a table without a column its adapter reads fail
    before any model runs, each named with its folder."""
    connector, connectors = connector_build
    raw = tmp_path / "raw"
    shutil.copytree(connector.raw_dir, raw)
    shutil.rmtree(raw / "support" / "ticket_field_history")
    (raw / "support" / "ticket_field_history").mkdir()
    for path in (raw / "crm" / "account").glob("*.parquet"):
        con = duckdb.connect()
        try:
            con.execute(
                f"copy (select * exclude (customer_tier_c) from read_parquet('{path}'))"
                f" to '{path}.tmp' (format parquet)"
            )
        finally:
            con.close()
        Path(f"{path}.tmp").replace(path)
    result = run_dbt(
        ["run", "--select", "fivetran_zendesk__ticket"],
        raw_dir=raw,
        db_path=tmp_path / "missing.duckdb",
        work_dir=tmp_path / "work",
        dbt_vars={"connectors": connectors},
    )
    assert not result.ok
    assert "fivetran_zendesk.ticket_field_history: no Parquet file in" in result.output
    assert "fivetran_salesforce.account (" in result.output
    assert "missing column customer_tier_c or customer_tier__c" in result.output
