{#- Null handling that differs between engines and would otherwise change results silently. -#}

{#- The largest / smallest of the arguments, skipping nulls (null only when all are null).
    DuckDB and Postgres skip nulls in greatest()/least(); Snowflake, BigQuery and Spark return
    null as soon as one argument is null. Say which one you mean: these skip nulls everywhere. -#}
{% macro greatest_ignore_nulls() %}
    {{ return(adapter.dispatch('greatest_ignore_nulls', 'customer_health')(varargs)) }}
{% endmacro %}

{% macro duckdb__greatest_ignore_nulls(arguments) -%}
    greatest({{ arguments | join(', ') }})
{%- endmacro %}

{% macro postgres__greatest_ignore_nulls(arguments) -%}
    greatest({{ arguments | join(', ') }})
{%- endmacro %}

{#- Spark's greatest() and least() skip nulls too. -#}
{% macro spark__greatest_ignore_nulls(arguments) -%}
    greatest({{ arguments | join(', ') }})
{%- endmacro %}

{#- Anywhere else: each argument, or when null another one, so no argument is null unless all
    are, and the largest of those is the largest non-null argument. -#}
{% macro default__greatest_ignore_nulls(arguments) -%}
    greatest({{ null_skipping_arguments(arguments) }})  {#- portable: no null argument left -#}
{%- endmacro %}

{% macro least_ignore_nulls() %}
    {{ return(adapter.dispatch('least_ignore_nulls', 'customer_health')(varargs)) }}
{% endmacro %}

{% macro duckdb__least_ignore_nulls(arguments) -%}
    least({{ arguments | join(', ') }})
{%- endmacro %}

{% macro postgres__least_ignore_nulls(arguments) -%}
    least({{ arguments | join(', ') }})
{%- endmacro %}

{% macro spark__least_ignore_nulls(arguments) -%}
    least({{ arguments | join(', ') }})
{%- endmacro %}

{% macro default__least_ignore_nulls(arguments) -%}
    least({{ null_skipping_arguments(arguments) }})  {#- portable: no null argument left -#}
{%- endmacro %}

{% macro null_skipping_arguments(arguments) -%}
    {%- for argument in arguments -%}
        coalesce({{ argument }}, {{ (arguments | reject('equalto', argument) | list + [argument]) | join(', ') }})
        {{- ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- Window: the last non-null value of `expression` in the window frame `over` (a named window, or
    a parenthesised window specification), DuckDB's `last_value(x ignore nulls)`. -#}
{% macro last_non_null(expression, over) %}
    {{ return(adapter.dispatch('last_non_null', 'customer_health')(expression, over)) }}
{% endmacro %}

{% macro duckdb__last_non_null(expression, over) -%}
    last_value({{ expression }} ignore nulls) over {{ over }}
{%- endmacro %}

{#- Without IGNORE NULLS (Postgres): the array of the frame's non-null values, indexed by their
    count. Both aggregates run over the same frame in one pass. -#}
{% macro postgres__last_non_null(expression, over) -%}
    (array_agg({{ expression }}) filter (where {{ expression }} is not null) over {{ over }})[
        count({{ expression }}) over {{ over }}
    ]
{%- endmacro %}

{% macro spark__last_non_null(expression, over) -%}
    last({{ expression }}, true) over {{ over }}
{%- endmacro %}
