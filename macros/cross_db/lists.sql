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

{#- Spark: split() takes a regular expression; the separator is quoted as a literal (\Q...\E). -#}
{% macro spark__separated_list_contains(list_expression, value, separator) -%}
    array_contains(split({{ list_expression }}, '\\Q{{ separator }}\\E'), {{ value }})
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

{#- Spark: a generator in the from clause must be `lateral` to read the row beside it. -#}
{% macro spark__split_to_rows(expression, separator) -%}
    lateral explode(split({{ expression }}, '\\Q{{ separator }}\\E'))
{%- endmacro %}


{#- A table function: the whole numbers from `first` to `last`, both included, for
    `from {{ integer_series(0, 9) }} as alias (column)`. -#}
{% macro integer_series(first, last) %}
    {{ return(adapter.dispatch('integer_series', 'customer_health')(first, last)) }}
{% endmacro %}

{% macro default__integer_series(first, last) -%}
    generate_series({{ first }}, {{ last }})
{%- endmacro %}

{#- Spark has no generate_series: range() stops before its end. -#}
{% macro spark__integer_series(first, last) -%}
    range({{ first }}, {{ last }} + 1)
{%- endmacro %}
