-- Every raw support organization row, typed and renamed, with its fate.
{{ config(unique_key='organization_id') }}
with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('support', 'organization') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as bigint) as organization_id,
        nullif(trim(cast(external_id as {{ type_text() }})), '') as external_account_id,

        -- strings
        cast(name as {{ type_text() }}) as organization_name,
        cast(domain_names as {{ type_text() }}) as domain_names,

        -- timestamps
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

classified as (
    {{ classify_raw_rows('renamed', key='organization_id') }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
