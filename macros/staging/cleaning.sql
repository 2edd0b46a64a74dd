{#- Small typed conversions every staging model shares. -#}

{#- Any timestamp, naive (meaning UTC) or with a time zone, as a naive UTC timestamp. -#}
{% macro to_utc(column) %}
    {{ return(adapter.dispatch('to_utc', 'customer_health')(column)) }}
{% endmacro %}

{% macro duckdb__to_utc(column) -%}
    cast(timezone('UTC', cast({{ column }} as timestamptz)) as timestamp)
{%- endmacro %}

{#- A naive timestamp is read in the session time zone, which the pg profile's database has at
    UTC (python_checks/pg_server.py); an aware one is converted. -#}
{% macro default__to_utc(column) -%}
    cast(cast({{ column }} as timestamptz) at time zone 'UTC' as timestamp)
{%- endmacro %}

{#- Spark: the spark profile's session time zone is UTC, so a timestamp without a zone is read as
    UTC and one with a zone is shown in UTC. -#}
{% macro spark__to_utc(column) -%}
    cast({{ column }} as timestamp)
{%- endmacro %}


{#- Integer cents as currency units. -#}
{% macro cents_to_currency(column, scale=2) -%}
    cast({{ column }} as {{ dbt.type_numeric() }}) / 100
{%- endmacro %}


{#- Lower-cased, trimmed e-mail; empty becomes null. -#}
{% macro normalize_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}


{#- The domain part of an e-mail (already normalised). -#}
{% macro email_domain(column) -%}
    nullif(split_part({{ column }}, '@', 2), '')
{%- endmacro %}


{#- A website or domain list entry as a bare domain: no scheme, no www., no path. -#}
{% macro bare_domain(column) -%}
    {{ adapter.dispatch('bare_domain', 'customer_health')(column) }}
{%- endmacro %}

{% macro default__bare_domain(column) -%}
    nullif(
        regexp_replace(
            regexp_replace(lower(trim({{ column }})), '^[a-z]+://', ''),
            '^www\.|[/:?#].*$', '', 'g'
        ),
        ''
    )
{%- endmacro %}

{#- Spark: regexp_replace replaces every match (its fourth argument is a start position, not
    flags), and a backslash in a literal escapes, so the dot is written `\\.`. -#}
{% macro spark__bare_domain(column) -%}
    nullif(
        regexp_replace(
            regexp_replace(lower(trim({{ column }})), '^[a-z]+://', ''),
            '^www\\.|[/:?#].*$', ''
        ),
        ''
    )
{%- endmacro %}


{#- Salted SHA-256 of a value, for joining on e-mails without carrying them. The salt comes
    from PII_HASH_SALT; the default is only for the demo. -#}
{% macro salted_hash(column) %}
    {{ return(adapter.dispatch('salted_hash', 'customer_health')(column)) }}
{% endmacro %}

{% macro duckdb__salted_hash(column) -%}
    case when {{ column }} is not null
        then sha256('{{ env_var("PII_HASH_SALT", "demo-salt-change-me") }}' || {{ column }})
    end
{%- endmacro %}

{#- Postgres' sha256 takes bytes and returns bytes: the same lower-case hex as DuckDB's. -#}
{% macro postgres__salted_hash(column) -%}
    case when {{ column }} is not null
        then encode(sha256(convert_to('{{ env_var("PII_HASH_SALT", "demo-salt-change-me") }}' || {{ column }}, 'UTF8')), 'hex')
    end
{%- endmacro %}

{#- Spark's sha2(text, 256): the same lower-case hex. -#}
{% macro spark__salted_hash(column) -%}
    case when {{ column }} is not null
        then sha2('{{ env_var("PII_HASH_SALT", "demo-salt-change-me") }}' || {{ column }}, 256)
    end
{%- endmacro %}


{#- Is the value one of the public mail domains that never link to an account? -#}
{% macro is_public_email_domain(column) -%}
    coalesce({{ column }} in ({{ sql_values(var('public_email_domains')) }}), false)
{%- endmacro %}


{#- A picklist column cleaned: var <picklist>'s values (matched in any case, trimmed), anything
    else the picklist's catch-all (var picklist_catch_alls). -#}
{% macro map_picklist(column, picklist) -%}
    {{ map_accepted_value(column, var(picklist), picklist_catch_all(picklist)) }}
{%- endmacro %}

{#- The values a cleaned picklist column may hold: var <picklist>'s and its catch-all, then any
    `extra` values (a seed's 'default' or 'any'). For yml tests:
    `values: "{{ picklist_values('task_types') }}"`. -#}
{% macro picklist_values(picklist, extra=[]) %}
    {{- return(var(picklist) + [picklist_catch_all(picklist)] + extra) }}
{% endmacro %}

{#- A picklist's catch-all (var picklist_catch_alls); a build stops naming a picklist without one. -#}
{% macro picklist_catch_all(picklist) %}
    {%- set catch_alls = var('picklist_catch_alls') %}
    {%- if picklist not in catch_alls %}
        {{- exceptions.raise_compiler_error(
            'dbt_project.yml: var picklist_catch_alls names no catch-all for picklist ' ~ picklist) }}
    {%- endif %}
    {{- return(catch_alls[picklist]) }}
{% endmacro %}


{#- A picklist value in its canonical spelling, matched without regard to case or spacing;
    anything else (including null) becomes `other`. The raw value stays in the raw files and,
    where it matters, in a `_raw` column. -#}
{% macro map_accepted_value(column, accepted_values, other) -%}
    case lower(trim(cast({{ column }} as {{ type_text() }})))
        {%- for value in accepted_values %}
        when '{{ value | lower }}' then '{{ value }}'
        {%- endfor %}
        else '{{ other }}'
    end
{%- endmacro %}


{#- The two join keys carried for an e-mail instead of the e-mail itself: its salted hash and
    its domain, named <prefix>_hash and <prefix>_domain. -#}
{% macro email_keys(column, prefix) -%}
    {{ salted_hash(column) }} as {{ prefix }}_hash,
    {{ email_domain(column) }} as {{ prefix }}_domain
{%- endmacro %}


{#- A list of values as SQL string literals for `in (...)`: ['Call', 'QBR'] -> 'Call', 'QBR'. -#}
{% macro sql_values(values) -%}
    {%- for value in values %}{{ sql_string(value) }}{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}
