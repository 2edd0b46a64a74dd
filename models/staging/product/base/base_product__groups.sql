-- Every raw Segment group call (user to account), typed and renamed, with its fate.
{{ config(unique_key='group_call_id') }}
{%- set quarantine_rules = [
    {'reason': 'missing_user_or_group', 'when': 'user_email_hash is null or account_id is null'},
] %}

with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('product', 'groups') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as {{ type_text() }}) as group_call_id,
        {{ email_keys(normalize_email('user_id'), 'user_email') }},
        nullif(trim(cast(group_id as {{ type_text() }})), '') as account_id,

        -- timestamps
        {{ to_utc('timestamp') }} as grouped_at,
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

classified as (
    {{ classify_raw_rows('renamed', key='group_call_id', quarantine_rules=quarantine_rules) }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
