-- Every raw human health rating row (custom object health_input__c), typed, with its fate.
{{ config(unique_key='health_input_id') }}
{%- set quarantine_rules = [
    {'reason': 'missing_account_id', 'when': 'account_id is null'},
    {'reason': 'rating_out_of_range', 'when': 'rating is null or rating not between 1 and 5'},
] %}

with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('crm', 'health_input__c') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as {{ type_text() }}) as health_input_id,
        cast(account_id as {{ type_text() }}) as account_id,
        cast(author_id as {{ type_text() }}) as author_user_id,

        -- strings (the free-text note__c is not kept: nothing downstream reads it)
        {{ map_picklist('author_role__c', 'rating_roles') }}
            as author_role,

        -- numerics
        cast(rating__c as bigint) as rating,

        -- booleans
        cast(exec_sponsor_engaged__c as boolean) as is_exec_sponsor_engaged,
        coalesce(cast(is_deleted as boolean), false) as _is_deleted,

        -- timestamps
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

classified as (
    {{ classify_raw_rows('renamed', key='health_input_id', soft_deleted='_is_deleted',
        quarantine_rules=quarantine_rules) }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
