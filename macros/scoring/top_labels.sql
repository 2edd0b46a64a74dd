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


{#- Elsewhere: the first n labels in order as an ordered array aggregate, cut to n (Postgres, and
    any engine with array slices). -#}
{% macro default__top_labels(label, order_by, n, condition, descending) -%}
    nullif(array_to_string(
        (array_agg({{ label }} order by {{ order_by }}{{ ' desc' if descending }})
            filter (where {{ condition }}))[1:{{ n }}],
        '; '
    ), '')
{%- endmacro %}

{#- Spark: (order key, label) pairs collected, sorted in the array (largest first when descending)
    and cut to n. -#}
{% macro spark__top_labels(label, order_by, n, condition, descending) -%}
    nullif(array_join(transform(slice(
        {% if descending %}reverse({% endif %}array_sort(
            collect_list(named_struct('rank_key', {{ order_by }}, 'label', {{ label }})) filter (where {{ condition }})
        ){% if descending %}){% endif %}, 1, {{ n }}), ranked -> ranked.label), '; '), '')
{%- endmacro %}
