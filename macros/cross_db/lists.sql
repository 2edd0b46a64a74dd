{#- Lists (DuckDB) and arrays (Postgres). Prefer plain SQL where a list is only counted or
    searched; these cover a list that is kept as a column. -#}

{#- True when `value` is one of the words of `list_expression`, a text of words separated by
    `separator` (e.g. a seed cell 'annual monthly'); null when either is null. -#}
{% macro separated_list_contains(list_expression, value, separator=' ') %}
    {{ return(adapter.dispatch('separated_list_contains', 'customer_health')(list_expression, value, separator)) }}
{% endmacro %}

{% macro duckdb__separated_list_contains(list_expression, value, separator) -%}
    list_contains(string_split({{ list_expression }}, '{{ separator }}'), {{ value }})
{%- endmacro %}

{% macro postgres__separated_list_contains(list_expression, value, separator) -%}
    ({{ value }} = any(string_to_array({{ list_expression }}, '{{ separator }}')))
{%- endmacro %}


{#- A table function: one row per part of `expression` split at `separator`, for
    `cross join {{ split_to_rows(...) }} as alias (column)`. -#}
{% macro split_to_rows(expression, separator) %}
    {{ return(adapter.dispatch('split_to_rows', 'customer_health')(expression, separator)) }}
{% endmacro %}

{% macro duckdb__split_to_rows(expression, separator) -%}
    unnest(string_split({{ expression }}, '{{ separator }}'))
{%- endmacro %}

{% macro postgres__split_to_rows(expression, separator) -%}
    unnest(string_to_array({{ expression }}, '{{ separator }}'))
{%- endmacro %}
