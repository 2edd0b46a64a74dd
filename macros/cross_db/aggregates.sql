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
