{#- Aggregates some engines lack. -#}

{#- Aggregate: the median of `expression` (the mean of the two middle values for an even count),
    as a double. Postgres has no median(); percentile_cont is an ordered-set aggregate there, so
    this is for grouped aggregates, not windows. -#}
{% macro median_of(expression) %}
    {{ return(adapter.dispatch('median_of', 'customer_health')(expression)) }}
{% endmacro %}

{% macro duckdb__median_of(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro postgres__median_of(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{#- Spark: percentile() is exact (percentile_approx is not), the mean of the two middle values. -#}
{% macro spark__median_of(expression) -%}
    percentile(cast({{ expression }} as double), 0.5)
{%- endmacro %}


{#- Aggregate: `value` of the row with the largest `order_by` (DuckDB's arg_max), among the rows
    matching `condition` where neither is null; null when there is none. Which row wins a tie of
    `order_by` is not defined on any engine: order by something unique. -#}
{% macro value_at_max(value, order_by, condition=none) %}
    {{ return(adapter.dispatch('value_at_max', 'customer_health')(value, order_by, condition)) }}
{% endmacro %}

{% macro duckdb__value_at_max(value, order_by, condition) -%}
    arg_max({{ value }}, {{ order_by }}){% if condition %} filter (where {{ condition }}){% endif %}
{%- endmacro %}

{#- Postgres: the first element of the values sorted by `order_by`, largest first. -#}
{% macro postgres__value_at_max(value, order_by, condition) -%}
    (array_agg({{ value }} order by {{ order_by }} desc) filter (
        where {{ value }} is not null and {{ order_by }} is not null{% if condition %} and ({{ condition }}){% endif %}
    ))[1]
{%- endmacro %}

{% macro spark__value_at_max(value, order_by, condition) -%}
    max_by({{ value }}, {{ order_by }}) filter (
        where {{ value }} is not null and {{ order_by }} is not null{% if condition %} and ({{ condition }}){% endif %}
    )
{%- endmacro %}
