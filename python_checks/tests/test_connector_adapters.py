"""The billing, product and survey connector adapters give back the contract tables they came from.

One generated sample (contract shape) is reshaped into Stripe-as-Fivetran, Segment and
survey-tool shape (python_checks.generate.shapes); dbt then builds only the adapters
(models/staging/<source>/connectors/) with `connectors` selecting them, and every adapter must
hold exactly the rows of its contract table: same columns in the same order, same types, same
values, re-synced copies and dirt included. The differences that cannot be avoided, and are
documented in docs/connectors.md:
- e-mails that Segment carries as a trait come back as the user's one identified spelling, so
  tracks and groups e-mails are compared the way staging reads them (lower-cased, trimmed);
- refunds are Stripe objects of their own (`re_` ids, in the refund folder's batch files);
- `_loaded_at` is a naive UTC timestamp (the contract sources yml type) and `_raw_file` is the
  connector table's batch file.

Crm and support stay in the contract shape here (the adapters are built alone, with the pre-run
checks of both shapes: check_connectors for the connector folders, check_raw_contract for the
contract ones). That every connector builds the same marts, also from warehouse tables, is
test_connector_shapes.py's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from python_checks.build_fixtures import generate_sample
from python_checks.dbt_runner import DbtResult, run_dbt
from python_checks.generate.shapes import fivetran_stripe, segment, survey_tool

pytestmark = pytest.mark.build

ACCOUNTS = 60
SEED = 11
CONNECTORS = {"billing": "fivetran_stripe", "product": "segment", "survey": "survey_tool"}
# contract table -> adapter model
ADAPTERS = {
    "billing/customer": "fivetran_stripe__customer",
    "billing/subscription": "fivetran_stripe__subscription",
    "billing/invoice": "fivetran_stripe__invoice",
    "billing/charge": "fivetran_stripe__charge",
    "product/tracks": "segment__tracks",
    "product/groups": "segment__groups",
    "survey/response": "survey_tool__response",
}
SEGMENT_EMAILS = {"product/tracks": "user_id", "product/groups": "user_id"}
# The adapters and their own tests; not the staging tests that also read them (row accounting).
SELECT_ADAPTERS = [
    "--indirect-selection",
    "cautious",
    "--select",
    "path:models/staging/billing/connectors",
    "path:models/staging/product/connectors",
    "path:models/staging/survey/connectors",
]


@dataclass(frozen=True)
class Landed:
    contract_dir: Path
    connector_dir: Path


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory) -> Landed:
    root = tmp_path_factory.mktemp("connectors")
    contract_dir, _ = generate_sample(root, accounts=ACCOUNTS, seed=SEED)
    connector_dir = root / "connector_raw"
    for module in (fivetran_stripe, segment, survey_tool):
        module.reshape(contract_dir, connector_dir)
    for contract_source in ("crm", "support"):
        shutil.copytree(contract_dir / contract_source, connector_dir / contract_source)
    shutil.copyfile(contract_dir / "_contract.json", connector_dir / "_contract.json")
    return Landed(contract_dir, connector_dir)


def _build(
    landed: Landed, raw_dir: Path, db_path: Path, extra_vars: dict[str, object] | None = None
) -> DbtResult:
    return run_dbt(
        ["build", *SELECT_ADAPTERS],
        raw_dir=raw_dir,
        db_path=db_path,
        work_dir=db_path.parent / "work",
        dbt_vars={"connectors": CONNECTORS, **(extra_vars or {})},
        extra_env={"DBT_WRITE_JSON": "false"},
    )


def _comparable(table: str, columns: list[str], raw_file: str, crm_id_only: bool = False) -> str:
    """The columns of one side as the comparison reads them (see the module docstring);
    ``crm_id_only``: a customer's metadata as staging reads it, its crm_account_id."""
    exprs = []
    for column in columns:
        if crm_id_only and table == "billing/customer" and column == "metadata":
            exprs.append(
                "case when json_valid(metadata) "
                "then json_extract_string(metadata, '$.crm_account_id') else metadata end"
            )
        elif table in SEGMENT_EMAILS and column == SEGMENT_EMAILS[table]:
            exprs.append(f"lower(trim({column}))")
        elif table == "billing/charge" and column == "id":
            exprs.append("regexp_replace(id, '^re_', 'ch_')")
        elif column == "_loaded_at":
            exprs.append("cast(_loaded_at as timestamp)")
        else:
            exprs.append(column)
    return ", ".join([*exprs, raw_file])


BATCH_FILE = "regexp_extract(_raw_file, '[^/]+$')"


def _assert_adapters_equal_contract(
    con: duckdb.DuckDBPyConnection,
    contract_dir: Path,
    contract_raw_file: Callable[[str], str],
    adapter_raw_file: Callable[[str], str],
    ignore: dict[str, str] | None = None,
    crm_id_only: bool = False,
) -> None:
    """Every adapter holds exactly its contract table's rows, with the columns and types of the
    contract. ``*_raw_file(table)`` is what each side compares in place of _raw_file; ``ignore``
    names one column per table left out of the comparison; ``crm_id_only`` compares customer
    metadata by its crm_account_id."""
    con.execute("set TimeZone = 'UTC'")
    for table, model in ADAPTERS.items():
        contract = (
            f"read_parquet('{contract_dir}/{table}/*.parquet', union_by_name = true, "
            "filename = '_raw_file')"
        )
        contract_types = con.execute(f"describe select * from {contract}").fetchall()
        adapter_types = con.execute(f"describe staging.{model}").fetchall()
        expected = [
            (name, "TIMESTAMP" if name == "_loaded_at" else dtype)
            for name, dtype, *_ in contract_types
        ]
        assert [(name, dtype) for name, dtype, *_ in adapter_types] == expected, table
        skipped = {"_raw_file", (ignore or {}).get(table)}
        columns = [name for name, *_ in contract_types if name not in skipped]
        left_columns = _comparable(table, columns, contract_raw_file(table), crm_id_only)
        right_columns = _comparable(table, columns, adapter_raw_file(table), crm_id_only)
        left = f"select {left_columns} from {contract}"
        right = f"select {right_columns} from staging.{model}"
        total = con.execute(f"select count(*) from {contract}").fetchone()
        assert total is not None and total[0] > 0, table
        for a, b, side in ((left, right, "contract"), (right, left, "adapter")):
            only = con.execute(f"select * from ({a} except all {b}) limit 5").fetchall()
            assert only == [], f"{table}: rows only in the {side} side: {only}"


def test_adapters_on_parquet_equal_the_contract_tables(landed: Landed, tmp_path: Path) -> None:
    db_path = tmp_path / "parquet.duckdb"
    result = _build(landed, landed.connector_dir, db_path)
    assert result.ok, result.output[-4000:]
    with duckdb.connect(str(db_path), read_only=True) as con:
        # A row's batch: the connector table's file of the same batch as the contract's.
        _assert_adapters_equal_contract(
            con, landed.contract_dir, lambda table: BATCH_FILE, lambda table: BATCH_FILE
        )
        refunds = con.execute(
            "select count(*) from staging.fivetran_stripe__charge where id like 're_%'"
        ).fetchone()
    assert refunds is not None and refunds[0] > 0, "the sample should hold refunds"


def _rewrite(con: duckdb.DuckDBPyConnection, src: Path, dst: Path, select: str) -> None:
    """Each batch file of the folder ``src`` rewritten through ``select`` (reads ``batch``)."""
    dst.mkdir(parents=True)
    for path in sorted(src.glob("*.parquet")):
        con.execute(
            f"copy (with batch as (select * from read_parquet('{path}')) {select}) "
            f"to '{dst / path.name}' (format parquet)"
        )


def _landed_with_other_options(connector_dir: Path, out: Path) -> dict[str, object]:
    """The reshaped sample as other deployments land it, and the vars that say so: the CRM id
    under another metadata key, legacy plans, subscription history (with inactive versions
    the adapter must skip), the e-mail trait in another column, the app's own group ids with a
    mapping table, and a survey tool with its own table, column and survey names."""
    shutil.copytree(connector_dir, out)
    con = duckdb.connect()
    billing, product, survey = out / "billing", out / "product", out / "survey"
    for folder in ("customer", "price", "subscription", "subscription_item"):
        shutil.move(billing / folder, out / f"old_{folder}")
    _rewrite(
        con,
        out / "old_customer",
        billing / "customer",
        "select * replace (replace(metadata, '\"crm_account_id\"', '\"sf_account\"') as metadata)"
        " from batch",
    )
    _rewrite(
        con,
        out / "old_price",
        billing / "plan",
        "select id, unit_amount as amount, currency, recurring_interval as interval, is_deleted,"
        " _fivetran_synced from batch",
    )
    _rewrite(
        con,
        out / "old_subscription_item",
        billing / "subscription_item",
        "select * exclude (price_id), price_id as plan_id from batch",
    )
    _rewrite(
        con,
        out / "old_subscription",
        billing / "subscription_history",
        "select *, true as _fivetran_active from batch union all "
        "select * replace ('incomplete' as status), false from batch",
    )
    for folder in ("identifies", "groups"):
        shutil.move(product / folder, out / f"old_{folder}")
    _rewrite(
        con,
        out / "old_identifies",
        product / "identifies",
        "select * exclude (email), email as context_traits_email from batch",
    )
    _rewrite(
        con,
        out / "old_groups",
        product / "groups",
        "select * replace ('grp_' || left(md5(group_id), 10) as group_id) from batch",
    )
    _rewrite(
        con,
        out / "old_groups",
        product / "account_groups",
        "select distinct 'grp_' || left(md5(group_id), 10) as segment_group,"
        " group_id as sf_account from batch",
    )
    shutil.move(survey / "responses", out / "old_responses")
    _rewrite(
        con,
        out / "old_responses",
        survey / "form_answers",
        "select response_id as \"Response ID\", replace(form_title, 'NPS', 'Net Promoter')"
        ' as "Form", respondent_email as "Email", hidden_account_id as "Account",'
        ' score as "Rating", submitted_at as "Submitted At", _fivetran_synced as synced_at'
        " from batch",
    )
    con.close()
    return {
        "fivetran_stripe__crm_id_metadata_key": "sf_account",
        "fivetran_stripe__price_table": "plan",
        "fivetran_stripe__subscription_table": "subscription_history",
        "segment__email_trait": "context_traits_email",
        "segment__group_mapping": {
            "table": "account_groups",
            "group_id_column": "segment_group",
            "account_id_column": "sf_account",
        },
        "survey_tool__table": "form_answers",
        "survey_tool__loaded_at_column": "synced_at",
        "survey_tool__columns": {
            "id": "Response ID",
            "survey": "Form",
            "respondent_email": "Email",
            "account_id": "Account",
            "score": "Rating",
            "comment": None,
            "submitted_at": "Submitted At",
        },
        "survey_tool__survey_types": {
            "Net Promoter": "nps",
            "CSAT": "csat",
            "Onboarding": "onboarding",
            "Pulse": "pulse",
        },
    }


def test_adapter_options_fit_other_deployments(landed: Landed, tmp_path: Path) -> None:
    """Other names and tables, set by vars, give the same contract rows. Two differences: the
    survey tool here has no comment column (comments come back null), and a customer's metadata
    keeps its own key beside the crm_account_id the adapter adds (compared as staging reads it)."""
    raw = tmp_path / "other_raw"
    options = _landed_with_other_options(landed.connector_dir, raw)
    db_path = tmp_path / "options.duckdb"
    result = _build(landed, raw, db_path, options)
    assert result.ok, result.output[-4000:]
    with duckdb.connect(str(db_path), read_only=True) as con:
        comments = con.execute(
            "select count(*) from staging.survey_tool__response where comment is not null"
        ).fetchone()
        assert comments == (0,)
        _assert_adapters_equal_contract(
            con,
            landed.contract_dir,
            lambda table: BATCH_FILE,
            lambda table: BATCH_FILE,
            ignore={"survey/response": "comment"},
            crm_id_only=True,
        )


def test_an_unknown_option_stops_the_build_naming_the_var(landed: Landed, tmp_path: Path) -> None:
    result = _build(
        landed,
        landed.connector_dir,
        tmp_path / "bad.duckdb",
        {"fivetran_stripe__price_table": "prices"},
    )
    assert not result.ok
    assert "var fivetran_stripe__price_table is 'prices': allowed values are price, plan" in (
        result.output
    )


def test_link_guards_name_the_connector_options(landed: Landed, tmp_path: Path) -> None:
    """With Stripe and Segment selected, the guards on unlinked billing customers and product
    users tell what to set in those connectors' terms: the metadata key var and the Segment
    e-mail trait and group mapping vars, with their current values."""
    result = run_dbt(
        [
            "compile",
            "--select",
            "guard_billing_customers_linked",
            "guard_product_users_linked",
        ],
        raw_dir=landed.connector_dir,
        db_path=tmp_path / "compile.duckdb",
        work_dir=tmp_path / "work",
        dbt_vars={"connectors": CONNECTORS, "segment__email_trait": "context_traits_email"},
    )
    assert result.ok, result.output[-4000:]
    compiled = {
        path.stem: path.read_text()
        for path in (tmp_path / "work" / "target" / "compiled").rglob("guard_*_linked.sql")
    }
    assert (
        "var fivetran_stripe__crm_id_metadata_key (now ''crm_account_id'')"
        in (compiled["guard_billing_customers_linked"])
    )
    product = compiled["guard_product_users_linked"]
    assert "var segment__group_mapping" in product
    assert "var segment__email_trait, now ''context_traits_email''" in product
