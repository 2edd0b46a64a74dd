-- Every raw CRM user row (internal staff), typed and renamed, with its fate.
{{ config(unique_key='user_id') }}
with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('crm', 'user') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as {{ type_text() }}) as user_id,

        -- strings (the e-mail only as its salted hash and domain). The name of an internal user
        -- (a CSM) is kept: it names the owner of a book (rpt_owner_book); it is not a customer's.
        {{ email_keys(normalize_email('email'), 'email') }},
        cast(name as {{ type_text() }}) as user_name,
        cast(title as {{ type_text() }}) as title,

        -- booleans
        coalesce(cast(is_active as boolean), false) as is_active,

        -- timestamps
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

classified as (
    {{ classify_raw_rows('renamed', key='user_id') }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
