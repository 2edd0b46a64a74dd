-- Every raw CRM contact row, typed and renamed, with its fate.
{{ config(unique_key='contact_id') }}
with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('crm', 'contact') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as {{ type_text() }}) as contact_id,
        cast(account_id as {{ type_text() }}) as account_id,

        -- strings (the e-mail only as its salted hash and domain; names are not kept)
        {{ email_keys(normalize_email('email'), 'email') }},
        cast(title as {{ type_text() }}) as title,

        -- booleans
        coalesce(cast(is_deleted as boolean), false) as _is_deleted,

        -- timestamps
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

classified as (
    {{ classify_raw_rows('renamed', key='contact_id', soft_deleted='_is_deleted') }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
