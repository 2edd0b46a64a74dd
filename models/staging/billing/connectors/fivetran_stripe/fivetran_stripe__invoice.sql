-- Stripe invoices (Fivetran) as the raw contract's billing.invoice: the paid time is
-- `status_transitions_paid_at`, and amounts may arrive as DECIMAL(p,0).
{{ config(enabled=var('connectors').get('billing', 'contract') == 'fivetran_stripe') }}

with source as (
    select * from {{ source('fivetran_stripe', 'invoice') }}
),

final as (
    select
        cast(id as {{ type_text() }}) as id,
        cast(customer_id as {{ type_text() }}) as customer_id,
        cast(subscription_id as {{ type_text() }}) as subscription_id,
        {{ to_utc('created') }} as created,
        {{ to_utc('due_date') }} as due_date,
        -- Stripe deletes only draft invoices: a deleted one stays a draft (never billed) instead
        -- of vanishing from row accounting.
        case
            when coalesce(cast(is_deleted as boolean), false) then 'draft'
            else cast(status as {{ type_text() }})
        end as status,
        {{ connector_integer('amount_due') }} as amount_due,
        {{ connector_integer('amount_paid') }} as amount_paid,
        cast(currency as {{ type_text() }}) as currency,
        {{ to_utc('status_transitions_paid_at') }} as paid_at,
        {{ to_utc('_fivetran_synced') }} as _loaded_at,
        _raw_file
    from source
)

select * from final
