"""The connector-shape reshapers: same rows, batches and dirt as the contract shape, in the
connector's tables and column names (no dbt; the build parity is test_connector_shapes)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from python_checks.generate import shapes
from python_checks.generate.__main__ import main
from python_checks.generate.config import GenerateConfig
from python_checks.generate.generator import generate
from python_checks.generate.shapes import (
    CONNECTORS_FILE,
    ReshapeError,
    generate_in_shape,
    reshape_all,
)


@pytest.fixture(scope="module")
def reshaped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("shapes")
    contract = root / "contract"
    generate(GenerateConfig(accounts=60, seed=3, out=contract, truth=root / "truth", quiet=True))
    out = root / "connectors"
    out.mkdir()
    reshape_all(contract, out)
    return contract, out


def _one(sql: str) -> tuple:
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        row = con.execute(sql).fetchone()
        assert row is not None
        return row
    finally:
        con.close()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.parquet"))


def test_salesforce_keeps_every_row_per_batch_under_fivetran_names(
    reshaped: tuple[Path, Path],
) -> None:
    contract, out = reshaped
    pairs = {"account": "account", "task": "task", "health_input__c": "health_input_c"}
    for contract_table, connector_table in pairs.items():
        source_dir, target_dir = contract / "crm" / contract_table, out / "crm" / connector_table
        assert _files(source_dir) == _files(target_dir)
        for name in _files(source_dir):
            count_contract, deleted_contract = _one(
                f"select count(*), count(*) filter (where is_deleted)"
                f" from read_parquet('{source_dir / name}')"
            )
            count_connector, deleted_connector = _one(
                f"select count(*), count(*) filter (where is_deleted)"
                f" from read_parquet('{target_dir / name}')"
            )
            assert (count_contract, deleted_contract) == (count_connector, deleted_connector)
    columns = _one(
        f"select list(column_name) from (describe select * from "
        f"read_parquet('{out}/crm/account/*.parquet'))"
    )[0]
    assert {"customer_tier_c", "is_test_c", "_fivetran_synced", "_fivetran_deleted"} <= set(columns)
    assert not {"customer_tier__c", "_loaded_at"} & set(columns)


def test_zendesk_tables_carry_what_the_ticket_had(reshaped: tuple[Path, Path]) -> None:
    contract, out = reshaped
    ticket = f"read_parquet('{contract}/support/ticket/*.parquet')"
    support = out / "support"
    assert _files(contract / "support" / "ticket") == _files(support / "ticket")
    assert _one(f"select count(*) from {ticket}") == _one(
        f"select count(*) from read_parquet('{support}/ticket/*.parquet')"
    )
    # One solved change per distinct (ticket, solve time); one rating row per rated ticket row.
    assert _one(
        f"select count(distinct (id, solved_at)) from {ticket} where solved_at is not null"
    ) == _one(
        f"select count(distinct (ticket_id, updated)) from "
        f"read_parquet('{support}/ticket_field_history/*.parquet') where value = 'solved'"
    )
    assert _one(f"select count(*) from {ticket} where satisfaction_rating is not null") == _one(
        f"select count(*) from read_parquet('{support}/satisfaction_rating/*.parquet')"
    )
    # One user per distinct e-mail as written, each landed once.
    assert _one(f"select count(distinct requester_email) from {ticket}") == _one(
        f"select count(*) from read_parquet('{support}/user/*.parquet')"
    )
    assert _one(
        f"select count(*) from (select unnest(string_split(domain_names, ',')) as d"
        f" from read_parquet('{contract}/support/organization/*.parquet')) where trim(d) <> ''"
    ) == _one(f"select count(*) from read_parquet('{support}/domain_name/*.parquet')")


def test_a_source_without_a_reshaper_is_copied_in_contract_shape(
    reshaped: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract, _ = reshaped
    monkeypatch.setattr(shapes, "registered_reshapers", lambda: {})
    out = tmp_path / "out"
    out.mkdir()
    selected = reshape_all(contract, out)
    assert set(selected.values()) == {"contract"}
    assert _files(out / "support" / "ticket") == _files(contract / "support" / "ticket")
    assert json.loads((out / CONNECTORS_FILE).read_text()) == selected


def test_cli_shape_flag_writes_the_connectors_setting(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    args = ["--accounts", "20", "--seed", "5", "--out", str(out), "--truth", str(tmp_path / "t")]
    code = main([*args, "--quiet", "--shape", "connectors"])
    assert code == 0
    setting = json.loads((out / CONNECTORS_FILE).read_text())
    assert setting == {
        "crm": "fivetran_salesforce",
        "support": "fivetran_zendesk",
        "billing": "fivetran_stripe",
        "product": "segment",
        "survey": "survey_tool",
    }
    assert (out / "_contract.json").exists()
    for folder in (
        "support/ticket_field_history",
        "billing/subscription_item",
        "product/identifies",
        "survey/responses",
    ):
        assert list((out / folder).glob("*.parquet")), folder


def test_unknown_shape_is_refused(tmp_path: Path) -> None:
    config = GenerateConfig(accounts=5, out=tmp_path / "raw", truth=tmp_path / "truth")
    with pytest.raises(ReshapeError, match="unknown shape"):
        generate_in_shape(config, "airbyte")
