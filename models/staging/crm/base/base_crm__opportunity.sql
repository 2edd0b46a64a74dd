-- Every raw CRM opportunity row, typed and renamed, with its fate.
{{ config(unique_key='opportunity_id') }}
{%- set quarantine_rules = [
    {'reason': 'negative_amount', 'when': 'amount < 0'},
] %}

with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('crm', 'opportunity') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as {{ type_text() }}) as opportunity_id,
        cast(account_id as {{ type_text() }}) as account_id,

        -- strings
        {{ map_picklist('type', 'opportunity_types') }} as opportunity_type,
        cast(stage_name as {{ type_text() }}) as stage_name,

        -- numerics
        cast(amount as {{ type_double() }}) as amount,

        -- booleans
        coalesce(cast(is_closed as boolean), false) as is_closed,
        coalesce(cast(is_won as boolean), false) as is_won,
        coalesce(cast(is_deleted as boolean), false) as _is_deleted,

        -- dates and timestamps
        cast(close_date as date) as close_on,
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

classified as (
    {{ classify_raw_rows('renamed', key='opportunity_id', soft_deleted='_is_deleted',
        quarantine_rules=quarantine_rules) }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
