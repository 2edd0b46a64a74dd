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


{#- Aggregate: the share of rows (0 to 1) where `condition` holds, among those matching `filter`
    (all when none); null when there is none. DuckDB and Postgres average a 1.0-or-0 decimal
    (DuckDB gives a double, Postgres a numeric). -#}
{% macro share_of_rows(condition, filter=none) %}
    {{ return(adapter.dispatch('share_of_rows', 'customer_health')(condition, filter)) }}
{% endmacro %}

{% macro default__share_of_rows(condition, filter) -%}
    avg(case when {{ condition }} then 1.0 else 0 end){% if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}

{#- Spark: the average of a decimal is a decimal of 4 more decimals (1.0 or 0 averages to
    decimal(6, 5): 1/3 is 0.33333), so a rate came out rounded to 5 decimals; averaged as a double
    it is DuckDB's. -#}
{% macro spark__share_of_rows(condition, filter) -%}
    avg(case when {{ condition }} then 1D else 0D end){% if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}


{#- Aggregate: the same share from rows that count other rows: sum(`part`) / sum(`whole`) among
    the rows matching `filter` (all when none); null when the whole is 0 or there is none. A
    double on DuckDB and Spark, a numeric on Postgres, like share_of_rows. -#}
{% macro share_of_counts(part, whole, filter=none) %}
    {{ return(adapter.dispatch('share_of_counts', 'customer_health')(part, whole, filter)) }}
{% endmacro %}

{% macro default__share_of_counts(part, whole, filter) -%}
    {%- set only = ' filter (where ' ~ filter ~ ')' if filter else '' -%}
    sum({{ part }}){{ only }} * 1.0 / nullif(sum({{ whole }}){{ only }}, 0)
{%- endmacro %}

{% macro spark__share_of_counts(part, whole, filter) -%}
    {%- set only = ' filter (where ' ~ filter ~ ')' if filter else '' -%}
    cast(sum({{ part }}){{ only }} as double) / nullif(sum({{ whole }}){{ only }}, 0)
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


{#- Aggregate: the non-null values of `expression` joined with `separator` (an SQL expression,
    e.g. "', '") in the order of `order_by` (an expression, or a list of them, each maybe followed
    by ` desc`: a number then on Spark), among the rows matching `condition`; null when there is
    none (string_agg ... order by on DuckDB and Postgres). -#}
{% macro ordered_string_agg(expression, separator, order_by, condition=none) %}
    {{ return(adapter.dispatch('ordered_string_agg', 'customer_health')(expression, separator, order_by, condition)) }}
{% endmacro %}

{% macro default__ordered_string_agg(expression, separator, order_by, condition) -%}
    string_agg({{ expression }}, {{ separator }} order by {{ [order_by] | join(', ') if order_by is string else order_by | join(', ') }}){% if condition %} filter (where {{ condition }}){% endif %}
{%- endmacro %}

{#- DuckDB sorts an ordered aggregate's rows inside each group, which is slow over millions of
    small groups (the flags of every account-day: 16.7 of the flag model's 22.5 operator-seconds
    at 20,000 accounts). With one ascending key, the values are collected into a list, sorted,
    then joined: the (key, value) pairs (a null key last, as `order by` puts it), or the values
    alone when they are their own key. Same result; ties in the key come in value order. Other
    orders (several keys, `desc`) keep string_agg ... order by. -#}
{% macro duckdb__ordered_string_agg(expression, separator, order_by, condition) -%}
    {%- set keys = [order_by] if order_by is string else order_by -%}
    {%- if keys | length != 1 or keys[0].strip().lower().endswith(' desc') -%}
        {{ default__ordered_string_agg(expression, separator, order_by, condition) }}
    {%- else -%}
        {%- set filter = ' filter (where ' ~ condition ~ ')' if condition else '' -%}
        {%- set values_filter = ' filter (where ' ~ ('(' ~ condition ~ ') and ' if condition else '')
            ~ '(' ~ expression ~ ') is not null)' -%}
        case when count({{ expression }}){{ filter }} > 0 then array_to_string(
            {%- if keys[0] == expression %}
            list_sort(list({{ expression }}){{ values_filter }}),
            {%- else %}
            list_transform(
                list_sort(list({'sort_key': {{ keys[0] }}, 'value': {{ expression }}}){{ values_filter }}),
                lambda sorted: struct_extract(sorted, 'value')
            ),
            {%- endif %}
            {{ separator }}
        ) end
    {%- endif -%}
{%- endmacro %}

{#- Spark 3.5 has no string_agg: the (order key, value) pairs collected, sorted, joined. -#}
{% macro spark__ordered_string_agg(expression, separator, order_by, condition) -%}
    {%- set filter = ' filter (where ' ~ condition ~ ')' if condition else '' -%}
    {%- set keys = [] -%}
    {%- for key in ([order_by] if order_by is string else order_by) -%}
        {%- if key.endswith(' desc') -%}
            {%- do keys.append("'sort_key_" ~ loop.index ~ "', -(" ~ key[:-5] ~ ")") -%}
        {%- else -%}
            {%- do keys.append("'sort_key_" ~ loop.index ~ "', " ~ key) -%}
        {%- endif -%}
    {%- endfor -%}
    case when count({{ expression }}){{ filter }} > 0 then array_join(transform(
        array_sort(collect_list(named_struct({{ keys | join(', ') }}, 'value', {{ expression }})){{ filter }}),
        sorted -> sorted.value
    ), {{ separator }}) end
{%- endmacro %}


{#- Aggregate: the distinct powers of two of `expression` (one bit per value, e.g. macro
    flag_bits) or-ed into one integer. bit_or on DuckDB, Postgres and Spark; elsewhere the sum of
    the distinct bits, which is the same number when every value is a single bit. -#}
{% macro bit_set_agg(expression) %}
    {{ return(adapter.dispatch('bit_set_agg', 'customer_health')(expression)) }}
{% endmacro %}

{% macro default__bit_set_agg(expression) -%}
    sum(distinct {{ expression }})
{%- endmacro %}

{% macro duckdb__bit_set_agg(expression) -%}
    bit_or({{ expression }})
{%- endmacro %}

{% macro postgres__bit_set_agg(expression) -%}
    bit_or({{ expression }})
{%- endmacro %}

{% macro spark__bit_set_agg(expression) -%}
    bit_or({{ expression }})
{%- endmacro %}
