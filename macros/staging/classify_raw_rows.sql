{#-
    Gives every raw row exactly one fate, so that row accounting can add up:
      quarantined  the row cannot be used (no key, or a quarantine rule matched) -> _quarantine_reason
      duplicate    an older copy of a key re-synced in a later batch (the newest `_loaded_at` wins)
      soft_deleted the newest copy is deleted at the source
      staged       everything else: the clean row
    Arguments:
      from_cte        name of the CTE holding typed, renamed rows with `_loaded_at` and `_raw_file`
                      (the batch key: raw_file_key of the file)
      key             the primary-key column of the clean model
      soft_deleted    name of the boolean column `_is_deleted` when the table has soft deletes,
                      else 'false' (the macro then adds `_is_deleted` = false, so every base
                      model has the same bookkeeping columns)
      quarantine_rules list of {'reason': ..., 'when': SQL condition}, checked in order on the newest copy
    On an incremental run (base models are incremental, unique_key = the key) only the batch files
    not stored yet are read, together with the stored copies of the keys they touch: those are
    ranked again, deleted and inserted, so every key ends with the fates a full build gives it.
    Files are batches and never change (raw contract); a rewritten file needs --full-refresh.
-#}
{#- The fates above, for the yml tests of the base models' _row_status:
    `values: "{{ row_statuses() }}"`. -#}
{% macro row_statuses() %}
    {{- return(['staged', 'duplicate', 'soft_deleted', 'quarantined']) }}
{% endmacro %}

{% macro classify_raw_rows(from_cte, key, soft_deleted='false', quarantine_rules=[]) %}
    select
        *,
        {%- if soft_deleted == 'false' %}
        false as _is_deleted,
        {%- endif %}
        case
            when {{ key }} is null then 'quarantined'
            when _copy_rank > 1 then 'duplicate'
            when {{ soft_deleted }} then 'soft_deleted'
            {%- for rule in quarantine_rules %}
            when {{ rule.when }} then 'quarantined'
            {%- endfor %}
            else 'staged'
        end as _row_status,
        case
            when {{ key }} is null then 'missing_primary_key'
            when _copy_rank > 1 or {{ soft_deleted }} then null
            {%- for rule in quarantine_rules %}
            when {{ rule.when }} then '{{ rule.reason }}'
            {%- endfor %}
        end as _quarantine_reason
    {#- The rows to rank: on a full build every landed row, read from the files each time the
        query below reads them (stored whole first, they would spill); on a daily run the new
        batches' rows and the stored copies of the keys they touch, a few rows found once. The
        CTEs before `from_cte` in the model are inlined too (inlined_cte), for the same reason. #}
    {%- set candidates -%}
            {%- if is_incremental() %}
            {%- set bookkeeping = ['_copy_rank', '_row_status', '_quarantine_reason']
                + (['_is_deleted'] if soft_deleted == 'false' else []) %}
            {#- The stored files as a list of constants: DuckDB then skips those files without
                reading them (a subquery would make it read every file and filter the rows). #}
            {%- set stored_files = [] %}
            {%- if execute %}
                {%- set stored_files = run_query(
                    'select distinct _raw_file from ' ~ this ~ ' where _raw_file is not null order by 1'
                ).columns[0].values() %}
            {%- endif %}
            {%- set is_new_file -%}
                {%- if stored_files | length > 0 -%}
                    _raw_file not in ('{{ stored_files | map("replace", "'", "''") | join("', '") }}')
                {%- else -%}
                    true
                {%- endif -%}
            {%- endset %}
            {{ adapter.dispatch('landed_and_stored_copies', 'customer_health')(from_cte, key, bookkeeping, is_new_file) }}
            {%- else %}
            select * from {{ from_cte }} as landed
            {%- endif %}
    {%- endset %}
    {#- Copies are ranked newest first per key. Most keys have one copy, and a window over every
        row sorts every row whole (at 100,000 accounts the product events' 105 million rows
        spilled for 13 minutes): only the rows of keys with more than one copy (a narrow
        aggregate of the keys finds them) go through the window; the others are copy 1. A null
        key is ranked as a key of its own, as the window ranks it. Exists rather than in: an
        anti join on every engine (Postgres hashes a `not in` list only while it fits work_mem). #}
    from (
        with candidates as {{ materialized_cte() if is_incremental() else inlined_cte() }}(
            {{ candidates }}
        ),

        copied_keys as (
            select {{ key }}
            from candidates
            where {{ key }} is not null
            group by {{ key }}
            having count(*) > 1
        )

        select
            candidates.*,
            cast(1 as bigint) as _copy_rank
        from candidates
        where candidates.{{ key }} is not null
            and not exists (
                select 1 from copied_keys where copied_keys.{{ key }} = candidates.{{ key }}
            )
        union all
        select
            candidates.*,
            row_number() over (
                partition by candidates.{{ key }}
                order by candidates._loaded_at desc, candidates._raw_file desc
            ) as _copy_rank
        from candidates
        where candidates.{{ key }} is null
            or exists (
                select 1 from copied_keys where copied_keys.{{ key }} = candidates.{{ key }}
            )
    ) as ranked
{% endmacro %}


{#- The new batches' rows and the stored copies of the keys they touch. DuckDB lines them up by
    name, so a column an earlier version stored (free text) reaches the model and its
    columns_not_stored test names the fix; elsewhere the stored columns are named on both sides. -#}
{% macro duckdb__landed_and_stored_copies(from_cte, key, bookkeeping, is_new_file) %}
    select * from {{ from_cte }} as landed
    where {{ is_new_file }}
    union all by name
    select * exclude ({{ bookkeeping | join(', ') }})
    from {{ this }}
    where {{ key }} in (
        select new_rows.{{ key }} from {{ from_cte }} as new_rows
        where {{ is_new_file }}
    )
{% endmacro %}

{% macro default__landed_and_stored_copies(from_cte, key, bookkeeping, is_new_file) %}
    {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name')
        | reject('in', bookkeeping) | list %}
    select {{ stored_columns | join(', ') }} from {{ from_cte }} as landed
    where {{ is_new_file }}
    union all
    select {{ stored_columns | join(', ') }}
    from {{ this }}
    where {{ key }} in (
        select new_rows.{{ key }} from {{ from_cte }} as new_rows
        where {{ is_new_file }}
    )
{% endmacro %}


{#- A batch file's name as `<source>/<table>/<file>`, relative to RAW_DATA_DIR: the same on every
    machine and wherever the landing folder is mounted, so a moved folder is not read again as
    new batches. -#}
{% macro raw_file_key(column) -%}
    {{ regexp_substring("replace(" ~ column ~ ", chr(92), '/')", "'[^/]+/[^/]+/[^/]+$'") }}
{%- endmacro %}


{#- The clean rows of a base model, without its bookkeeping columns. -#}
{% macro staged_rows(base_relation) %}
    {{ return(adapter.dispatch('staged_rows', 'customer_health')(base_relation)) }}
{% endmacro %}

{% macro default__staged_rows(base_relation) %}
    {%- set columns = adapter.get_columns_in_relation(base_relation) | map(attribute='name')
        | reject('in', ['_row_status', '_quarantine_reason', '_copy_rank', '_raw_file', '_is_deleted']) | list -%}
    select {{ columns | join(', ') }}
    from {{ base_relation }}
    where _row_status = 'staged'
{% endmacro %}

{% macro duckdb__staged_rows(base_relation) %}
    select * exclude (_row_status, _quarantine_reason, _copy_rank, _raw_file, _is_deleted)
    from {{ base_relation }}
    where _row_status = 'staged'
{% endmacro %}


{#- One source's quarantine: every base row that could not be used, with its reason and the
    whole typed row as JSON so nothing is lost. -#}
{% macro quarantined_rows(source_name, table_names, key_columns) %}
    {%- for table_name in table_names %}
    select
        '{{ source_name }}.{{ table_name }}' as source_table,
        cast({{ key_columns[table_name] }} as {{ dbt.type_string() }}) as record_key,
        _quarantine_reason as quarantine_reason,
        _raw_file as raw_file,
        _loaded_at as loaded_at,
        {{ row_to_json('quarantined') }} as record_json
    from {{ ref('base_' ~ source_name ~ '__' ~ table_name) }} as quarantined
    where _row_status = 'quarantined'
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}


{% macro row_to_json(relation_alias) %}
    {{ return(adapter.dispatch('row_to_json', 'customer_health')(relation_alias)) }}
{% endmacro %}

{% macro duckdb__row_to_json(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro %}

{% macro postgres__row_to_json(relation_alias) -%}
    cast(row_to_json({{ relation_alias }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__row_to_json(relation_alias) -%}
    to_json(struct({{ relation_alias }}.*))
{%- endmacro %}
