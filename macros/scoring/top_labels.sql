{#- The labels of the `n` rows of a group with the lowest (or highest) `order_by` among those
    matching `condition`, joined with '; ' in that order. A hash aggregate, not a window, so it
    stays cheap on millions of account-day-signal rows. -#}
{% macro top_labels(label, order_by, n, condition, descending=false) %}
    {{ return(adapter.dispatch('top_labels', 'customer_health')(label, order_by, n, condition, descending)) }}
{% endmacro %}

{% macro duckdb__top_labels(label, order_by, n, condition, descending) -%}
    nullif(array_to_string(
        {{ 'max_by' if descending else 'min_by' }}({{ label }}, {{ order_by }}, {{ n }})
            filter (where {{ condition }}),
        '; '
    ), '')
{%- endmacro %}
