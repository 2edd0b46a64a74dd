-- Every raw CRM account row, typed and renamed, with its fate (see classify_raw_rows).
{{ config(unique_key='account_id') }}
with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('crm', 'account') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as {{ type_text() }}) as account_id,
        cast(owner_id as {{ type_text() }}) as owner_user_id,

        -- strings
        cast(name as {{ type_text() }}) as account_name,
        cast(type as {{ type_text() }}) as account_type,
        cast(industry as {{ type_text() }}) as industry,
        cast(billing_country as {{ type_text() }}) as billing_country,
        {{ bare_domain('website') }} as website_domain,
        {{ map_picklist('customer_tier__c', 'customer_tiers') }} as customer_tier,
        {{ map_picklist('contract_type__c', 'contract_types') }} as contract_type,

        -- numerics
        cast(number_of_employees as bigint) as count_employees,

        -- booleans
        coalesce(cast(is_test__c as boolean), false)
        or coalesce({{ regexp_like('cast(name as ' ~ type_text() ~ ')', var('test_account_name_pattern')) }}, false)
            as is_test_account,
        coalesce(cast(is_deleted as boolean), false) as _is_deleted,

        -- timestamps
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

classified as (
    {{ classify_raw_rows('renamed', key='account_id', soft_deleted='_is_deleted') }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
