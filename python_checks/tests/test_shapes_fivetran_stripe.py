"""The Stripe-as-Fivetran reshaper (python_checks.generate.shapes.fivetran_stripe), on a small
generated sample: the same billing world in Stripe's tables, batch by batch, dirt included."""

from __future__ import annotations

from pathlib import Path

import pytest

from python_checks.generate.shapes import ReshapeError, fivetran_stripe
from python_checks.shape_fixture import parquet_table, reshaped_sample, rows


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return reshaped_sample(tmp_path_factory.mktemp("stripe"), fivetran_stripe.reshape)


def _read(folder: Path, table: str) -> str:
    return parquet_table(folder, "billing", table)


def test_every_stripe_table_has_a_file_per_contract_batch(shaped: tuple[Path, Path]) -> None:
    contract, out = shaped
    batches = sorted(p.name for p in (contract / "billing" / "customer").glob("*.parquet"))
    for table in ("customer", "subscription", "subscription_item", "price", "invoice", "charge"):
        files = sorted(p.name for p in (out / "billing" / table).glob("*.parquet"))
        assert files == batches, table
    assert sorted(p.name for p in (out / "billing" / "refund").glob("*.parquet")) == batches


def test_customers_keep_every_copy_and_load_time_becomes_fivetran_synced(
    shaped: tuple[Path, Path],
) -> None:
    contract, out = shaped
    columns = "id, email, created, metadata, delinquent, is_deleted"
    mismatched = rows(
        f"""select {columns}, cast(_loaded_at as timestamp), regexp_extract(f, '[^/]+$')
            from {_read(contract, "customer")}
            except all
            select {columns}, _fivetran_synced, regexp_extract(f, '[^/]+$')
            from {_read(out, "customer")}"""
    )
    assert mismatched == []
    # The except-all above sees every copy; re-synced ids stay repeated.
    copies = "select count(*) - count(distinct id) from {}"
    repeated = rows(copies.format(_read(out, "customer")))
    assert repeated == rows(copies.format(_read(contract, "customer")))


def test_subscription_plan_comes_through_item_and_price(shaped: tuple[Path, Path]) -> None:
    contract, out = shaped
    stripe_columns = {
        name for name, *_ in rows(f"describe select * from {_read(out, 'subscription')}")
    }
    assert not {"plan_amount", "plan_interval", "quantity", "currency"} & stripe_columns
    # Every subscription copy has one item synced with it, in the same batch, whose price gives
    # the contract's plan; the price was landed in that batch or before.
    rebuilt = rows(
        f"""with prices as (
                select *, regexp_extract(f, '[^/]+$') as price_batch from {_read(out, "price")}
            )
            select s.id, p.unit_amount, p.recurring_interval, i.quantity, p.currency,
                s._fivetran_synced, regexp_extract(s.f, '[^/]+$')
            from {_read(out, "subscription")} as s
            join {_read(out, "subscription_item")} as i
                on i.subscription_id = s.id and i._fivetran_synced = s._fivetran_synced
                and regexp_extract(i.f, '[^/]+$') = regexp_extract(s.f, '[^/]+$')
            join prices as p
                on p.id = i.price_id and p.price_batch <= regexp_extract(s.f, '[^/]+$')"""
    )
    expected = rows(
        f"""select id, plan_amount, plan_interval, quantity, currency,
                cast(_loaded_at as timestamp), regexp_extract(f, '[^/]+$')
            from {_read(contract, "subscription")}"""
    )
    assert sorted(rebuilt) == sorted(expected)
    assert rows(f"select count(*) - count(distinct id) from {_read(out, 'price')}") == [(0,)]


def test_amounts_land_as_decimal_and_paid_time_as_status_transition(
    shaped: tuple[Path, Path],
) -> None:
    contract, out = shaped
    types = dict(
        (name, dtype) for name, dtype, *_ in rows(f"describe select * from {_read(out, 'invoice')}")
    )
    assert types["amount_due"] == "DECIMAL(38,0)" and types["amount_paid"] == "DECIMAL(38,0)"
    assert "paid_at" not in types and "status_transitions_paid_at" in types
    assert (
        rows(
            f"""select id, amount_due, paid_at from {_read(contract, "invoice")}
            except all
            select id, cast(amount_due as bigint), status_transitions_paid_at
            from {_read(out, "invoice")}"""
        )
        == []
    )


def test_refunds_are_stripe_refunds_of_a_succeeded_charge(shaped: tuple[Path, Path]) -> None:
    contract, out = shaped
    negative = rows(f"select count(*) from {_read(contract, 'charge')} where amount < 0")[0][0]
    assert negative > 0, "the sample should hold refunds"
    assert rows(f"select count(*) from {_read(out, 'charge')} where amount < 0") == [(0,)]
    refunds = rows(
        f"""select r.id, r.amount, c.status, c.amount >= r.amount, c.created <= r.created
            from {_read(out, "refund")} as r
            left join (select distinct id, status, amount, created from {_read(out, "charge")}) as c
                on c.id = r.charge_id"""
    )
    assert len(refunds) == negative
    assert all(r[0].startswith("re_") and r[1] > 0 for r in refunds)
    assert all(r[2:] == ("succeeded", True, True) for r in refunds), refunds


def test_a_missing_contract_table_is_named(tmp_path: Path) -> None:
    with pytest.raises(ReshapeError, match=r"contract table billing\.customer"):
        fivetran_stripe.reshape(tmp_path / "nothing", tmp_path / "out")
