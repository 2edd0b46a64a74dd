-- Stripe customers (Fivetran) as the raw contract's billing.customer. The CRM account id sits
-- under a metadata key the deployment chose (var fivetran_stripe__crm_id_metadata_key); the
-- contract reads it as `crm_account_id`, so the adapter copies it there.
{{ config(enabled=var('connectors').get('billing', 'contract') == 'fivetran_stripe') }}
{%- set crm_key = connector_option('fivetran_stripe', 'crm_id_metadata_key') %}

with source as (
    select * from {{ source('fivetran_stripe', 'customer') }}
),

final as (
    select
        cast(id as {{ type_text() }}) as id,
        cast(email as {{ type_text() }}) as email,
        {{ to_utc('created') }} as created,
        {{ fivetran_stripe_metadata('metadata', crm_key) }} as metadata,
        cast(delinquent as boolean) as delinquent,
        cast(is_deleted as boolean) as is_deleted,
        {{ to_utc('_fivetran_synced') }} as _loaded_at,
        _raw_file
    from source
)

select * from final
