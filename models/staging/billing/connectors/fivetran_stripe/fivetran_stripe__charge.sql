-- Stripe charges (Fivetran) as the raw contract's billing.charge. Stripe keeps refunds apart (a
-- `refund` row on the charge it refunds); the contract has them as charges with a negative
-- amount, on the refunded charge's customer and invoice.
{{ config(enabled=var('connectors').get('billing', 'contract') == 'fivetran_stripe') }}

with charges as (
    select * from {{ source('fivetran_stripe', 'charge') }}
),

refunds as (
    select * from {{ source('fivetran_stripe', 'refund') }}
),

-- The newest copy of each charge gives a refund its customer and invoice.
ranked_latest_charges as (
    select
        cast(id as {{ type_text() }}) as charge_id,
        cast(customer_id as {{ type_text() }}) as customer_id,
        cast(invoice_id as {{ type_text() }}) as invoice_id,
        row_number() over (partition by id order by _fivetran_synced desc) as copy_rank
    from charges
),

latest_charges as (
    select
        charge_id,
        customer_id,
        invoice_id
    from ranked_latest_charges
    where copy_rank = 1
),

charge_rows as (
    select
        cast(id as {{ type_text() }}) as id,
        cast(customer_id as {{ type_text() }}) as customer_id,
        cast(invoice_id as {{ type_text() }}) as invoice_id,
        {{ connector_integer('amount') }} as amount,
        cast(status as {{ type_text() }}) as status,
        cast(failure_code as {{ type_text() }}) as failure_code,
        {{ to_utc('created') }} as created,
        {{ to_utc('_fivetran_synced') }} as _loaded_at,
        _raw_file
    from charges
),

-- A refund whose charge is not there keeps a null customer and invoice (it then links nowhere).
refund_rows as (
    select
        cast(refunds.id as {{ type_text() }}) as id,
        latest_charges.customer_id,
        latest_charges.invoice_id,
        -{{ connector_integer('refunds.amount') }} as amount,
        cast(refunds.status as {{ type_text() }}) as status,
        cast(refunds.failure_reason as {{ type_text() }}) as failure_code,
        {{ to_utc('refunds.created') }} as created,
        {{ to_utc('refunds._fivetran_synced') }} as _loaded_at,
        refunds._raw_file
    from refunds
    left join latest_charges
        on cast(refunds.charge_id as {{ type_text() }}) = latest_charges.charge_id
),

final as (
    select * from charge_rows
    union all
    select * from refund_rows
)

select * from final
