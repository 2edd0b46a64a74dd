-- One Zendesk organization row as the contract's support.organization (connectors.support =
-- fivetran_zendesk): the domains are the organization's `domain_name` rows (newest sync of each
-- position), comma-separated in list order.
{{ config(enabled=var('connectors').get('support', 'contract') == 'fivetran_zendesk') }}

with source as (
    select * from {{ source('fivetran_zendesk', 'organization') }}
),

domain_name as (
    select * from {{ source('fivetran_zendesk', 'domain_name') }}
),

ranked_domains_newest as (
    select
        cast(landed.organization_id as bigint) as organization_id,
        cast(landed.index as bigint) as domain_index,
        cast(landed.domain_name as {{ type_text() }}) as domain_name,
        row_number() over (
            partition by landed.organization_id, landed.index order by landed._fivetran_synced desc
        ) as copy_rank
    from domain_name as landed
),

domains_newest as (
    select
        organization_id,
        domain_index,
        domain_name
    from ranked_domains_newest
    where copy_rank = 1
),

domains as (
    select
        organization_id,
        {{ ordered_string_agg('domain_name', "','", 'domain_index') }} as domain_names
    from domains_newest
    group by organization_id
),

renamed as (
    select
        cast(source.id as bigint) as id,
        cast(source.name as {{ type_text() }}) as name,
        cast(source.external_id as {{ type_text() }}) as external_id,
        domains.domain_names,
        cast(source.created_at as timestamptz) as created_at,
        cast(source._fivetran_synced as timestamp) as _loaded_at,
        source._raw_file
    from source
    left join domains on cast(source.id as bigint) = domains.organization_id
)

select * from renamed
