-- Segment group calls as the raw contract's product.groups: the user as an e-mail (through
-- identifies) and the group as a CRM account id (directly, or through the mapping table named by
-- var segment__group_mapping).
{{ config(enabled=(var('connectors', {}) or {}).get('product', 'contract') == 'segment') }}
{%- set mapping = connector_option('segment', 'group_mapping') %}
{%- if mapping is not none %}
    {%- for key in ['table', 'group_id_column', 'account_id_column'] if not mapping.get(key) %}
            {{ exceptions.raise_compiler_error(
                "var segment__group_mapping needs " ~ key ~ " ({table, group_id_column, account_id_column}): got "
                ~ mapping) }}
    {%- endfor %}
{%- endif %}

with groups as (
    select * from {{ source('segment', 'groups') }}
),

user_emails as (
    {{ segment_user_emails() }}
),

{%- if mapping is not none %}

-- One CRM account id per group id (a group id mapped twice takes the greatest account id, so the
-- result does not depend on row order).
group_accounts as (
    select
        cast({{ adapter.quote(mapping.group_id_column) }} as varchar) as group_id,
        cast({{ adapter.quote(mapping.account_id_column) }} as varchar) as account_id
    from {{ source('segment', 'group_mapping') }}
    qualify row_number() over (
        partition by {{ adapter.quote(mapping.group_id_column) }}
        order by {{ adapter.quote(mapping.account_id_column) }} desc
    ) = 1
),
{%- endif %}

final as (
    select
        cast(groups.id as varchar) as id,
        {{ segment_user_email('groups.user_id', 'user_emails') }} as user_id,
        {%- if mapping is not none %}
            -- A group id missing from the mapping stays as it is: it then points nowhere, which the
            -- orphan tests count, instead of vanishing.
            coalesce(group_accounts.account_id, cast(groups.group_id as varchar)) as group_id,
        {%- else %}
            cast(groups.group_id as varchar) as group_id,
        {%- endif %}
        cast(groups.timestamp as timestamptz) as timestamp,
        {{ to_utc('groups.uuid_ts') }} as _loaded_at,
        {{ connector_batch_key('product', 'segment', 'groups', 'uuid_ts', 'groups') }} as _raw_file
    from groups
    left join user_emails
        on cast(groups.user_id as varchar) = user_emails.user_id
    {%- if mapping is not none %}
        left join group_accounts
            on cast(groups.group_id as varchar) = group_accounts.group_id
    {%- endif %}
)

select * from final
