-- Every raw charge row, typed and renamed, with its fate. A negative amount is a refund.
{{ config(unique_key='charge_id') }}
with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('billing', 'charge') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as {{ type_text() }}) as charge_id,
        cast(customer_id as {{ type_text() }}) as customer_id,
        cast(invoice_id as {{ type_text() }}) as invoice_id,

        -- strings
        {{ map_picklist('status', 'charge_statuses') }} as charge_status,
        cast(failure_code as {{ type_text() }}) as failure_code,

        -- numerics
        cast(amount as bigint) as amount_cents,
        {{ cents_to_currency('amount') }} as amount,

        -- booleans
        coalesce(cast(amount as bigint) < 0, false) as is_refund,

        -- timestamps
        {{ to_utc('created') }} as created_at,
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

classified as (
    {{ classify_raw_rows('renamed', key='charge_id') }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
