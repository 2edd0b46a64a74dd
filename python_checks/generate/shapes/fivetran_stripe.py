"""Billing in the shape Fivetran's Stripe connector lands it (tables of dbt_stripe_source).

- ``_loaded_at`` becomes ``_fivetran_synced`` (naive UTC timestamp).
- subscription: no plan columns; ``subscription_item`` (one item per subscription copy, synced
  with it) carries the seats and a ``price_id``; ``price`` holds amount, interval and currency.
  A price is written in the batch where a subscription first uses it.
- invoice: ``paid_at`` is ``status_transitions_paid_at``; ``is_deleted`` is there (never true).
- charge: refunds (negative contract charges) move to ``refund`` with a positive amount and the
  id of the charge they refund (the newest succeeded charge of the same invoice created before
  the refund; null when there is none).
- Integer amounts land as DECIMAL(38,0), as some warehouses unload Stripe's integers.
The dirt of the contract sample rides along unchanged: re-synced copies stay in their batches,
deleted customers keep ``is_deleted``, orphan customer ids, out-of-set statuses, zero invoices.
"""

from __future__ import annotations

from pathlib import Path

from duckdb import DuckDBPyConnection

from .common import batch_files, connect, parquet, write_batch, write_per_batch

SOURCE = "billing"
SYNCED = "cast(_loaded_at as timestamp) as _fivetran_synced"
DECIMAL_CENTS = "decimal(38, 0)"
PRICE_ID = "'price_' || plan_interval || '_' || currency || '_' || cast(plan_amount as varchar)"


def reshape(contract_dir: Path, out_dir: Path) -> None:
    """Write ``out_dir/billing/<Stripe table>/`` from the contract's ``billing`` tables."""
    con = connect()
    write_per_batch(
        con,
        contract_dir,
        out_dir,
        SOURCE,
        "customer",
        "customer",
        f"""select id, email, created, metadata, delinquent, is_deleted, false as livemode,
            {SYNCED} from batch""",
    )
    _subscriptions(con, contract_dir, out_dir)
    write_per_batch(
        con,
        contract_dir,
        out_dir,
        SOURCE,
        "invoice",
        "invoice",
        f"""select id, customer_id, subscription_id, created, due_date, status,
            cast(amount_due as {DECIMAL_CENTS}) as amount_due,
            cast(amount_paid as {DECIMAL_CENTS}) as amount_paid,
            currency, paid_at as status_transitions_paid_at, false as is_deleted,
            false as livemode, {SYNCED} from batch""",
    )
    _charges_and_refunds(con, contract_dir, out_dir)


def _subscriptions(con: DuckDBPyConnection, contract_dir: Path, out_dir: Path) -> None:
    written_prices: set[str] = set()
    for path in batch_files(contract_dir, SOURCE, "subscription"):
        batch = f"(select * from {parquet(path)})"
        write_batch(
            con,
            f"""select id, customer_id, status, created, start_date, current_period_end,
                cancel_at_period_end, canceled_at, ended_at, false as livemode, {SYNCED}
                from {batch}""",
            out_dir,
            SOURCE,
            "subscription",
            path.name,
        )
        write_batch(
            con,
            f"""select 'si_' || substr(id, 5) as id, id as subscription_id,
                {PRICE_ID} as price_id, quantity, created, {SYNCED}
                from {batch}""",
            out_dir,
            SOURCE,
            "subscription_item",
            path.name,
        )
        known = ", ".join("'" + p.replace("'", "''") + "'" for p in sorted(written_prices))
        new_prices = f"""
            select {PRICE_ID} as id, cast(plan_amount as {DECIMAL_CENTS}) as unit_amount,
                currency, plan_interval as recurring_interval, 1 as recurring_interval_count,
                true as active, false as is_deleted, false as livemode,
                min(created) as created, min(cast(_loaded_at as timestamp)) as _fivetran_synced
            from {batch}
            where plan_amount is not null {f"and {PRICE_ID} not in ({known})" if known else ""}
            group by all"""
        write_batch(con, new_prices, out_dir, SOURCE, "price", path.name)
        rows = con.execute(f"select {PRICE_ID} from {batch} where plan_amount is not null")
        written_prices.update(row[0] for row in rows.fetchall())


def _charges_and_refunds(con: DuckDBPyConnection, contract_dir: Path, out_dir: Path) -> None:
    files = batch_files(contract_dir, SOURCE, "charge")
    # The charges a refund can point at: the newest copy of each succeeded, positive charge.
    con.execute(
        f"""create or replace temp table refundable as
            select id, invoice_id, customer_id, created from {parquet(files)}
            where status = 'succeeded' and amount > 0
            qualify row_number() over (partition by id order by _loaded_at desc) = 1"""
    )
    for path in files:
        batch = f"(select * from {parquet(path)})"
        write_batch(
            con,
            f"""select id, customer_id, invoice_id, cast(amount as {DECIMAL_CENTS}) as amount,
                status, failure_code, created, false as livemode, {SYNCED}
                from {batch} where amount >= 0 or amount is null""",
            out_dir,
            SOURCE,
            "charge",
            path.name,
        )
        write_batch(
            con,
            f"""select 're_' || substr(refunds.id, 4) as id,
                (select refundable.id from refundable
                 where refundable.invoice_id = refunds.invoice_id
                   and refundable.created <= refunds.created
                 order by (refundable.customer_id = refunds.customer_id) desc,
                   refundable.created desc, refundable.id
                 limit 1) as charge_id,
                cast(-refunds.amount as {DECIMAL_CENTS}) as amount, refunds.status,
                refunds.failure_code as failure_reason, refunds.created,
                cast(refunds._loaded_at as timestamp) as _fivetran_synced
            from {batch} as refunds where refunds.amount < 0""",
            out_dir,
            SOURCE,
            "refund",
            path.name,
        )
