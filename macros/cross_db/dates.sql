{#- Dates and timestamps. dbt's own macros (dbt.dateadd, dbt.datediff, dbt.date_trunc,
    dbt.last_day) are used where they fit; these cover the rest. -#}

{#- A timestamp as sortable text to the microsecond, `YYYYMMDDTHHMMSS.ffffff` (a batch key). -#}
{% macro timestamp_key(expression) %}
    {{ return(adapter.dispatch('timestamp_key', 'customer_health')(expression)) }}
{% endmacro %}

{% macro duckdb__timestamp_key(expression) -%}
    strftime(cast({{ expression }} as timestamp), '%Y%m%dT%H%M%S.%f')
{%- endmacro %}

{% macro postgres__timestamp_key(expression) -%}
    to_char(cast({{ expression }} as timestamp), 'YYYYMMDD"T"HH24MISS.US')
{%- endmacro %}

{% macro spark__timestamp_key(expression) -%}
    date_format(cast({{ expression }} as timestamp), "yyyyMMdd'T'HHmmss.SSSSSS")
{%- endmacro %}
