-- Segment group calls as the raw contract's product.groups: the user as an e-mail (through
-- identifies) and the group as a CRM account id (directly, or through the mapping table named by
-- var segment__group_mapping).
{{ config(enabled=var('connectors').get('product', 'contract') == 'segment') }}
{%- set mapping = connector_option('segment', 'group_mapping') %}

with groups as (
    select * from {{ source('segment', 'groups') }}
),

user_emails as (
    {{ segment_user_emails() }}
),

-- The CRM account id of each group id, from the mapping table (none without one).
group_accounts as (
    {{ segment_group_accounts(mapping) }}
),

final as (
    select
        cast(groups.id as {{ type_text() }}) as id,
        {{ segment_user_email('groups.user_id', 'user_emails') }} as user_id,
        -- A group id missing from the mapping stays as it is: it then points nowhere, which the
        -- orphan tests count, instead of vanishing.
        coalesce(group_accounts.account_id, cast(groups.group_id as {{ type_text() }})) as group_id,
        cast(groups.timestamp as timestamptz) as timestamp,
        {{ to_utc('groups.uuid_ts') }} as _loaded_at,
        groups._raw_file
    from groups
    left join user_emails
        on cast(groups.user_id as {{ type_text() }}) = user_emails.user_id
    left join group_accounts
        on cast(groups.group_id as {{ type_text() }}) = group_accounts.group_id
)

select * from final
