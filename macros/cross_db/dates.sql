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


{#- dbt.dateadd on Spark: dbt-spark 1.11's spark__dateadd with the interval in parentheses. Its
    own writes `cast(<interval> * 12 as int)`, so an interval that is an expression (a
    datediff, `a - b`) is multiplied only in its last term: int_account_stage_daily's contract
    anniversary fell years off and every day read as a renewal. dbt looks for spark__dateadd in
    the project before dbt-spark. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}

    {%- set clock_component -%}
        {# make sure the dates + timestamps are real, otherwise raise an error asap #}
        to_unix_timestamp({{ assert_not_null('to_timestamp', from_date_or_timestamp) }})
        - to_unix_timestamp({{ assert_not_null('date', from_date_or_timestamp) }})
    {%- endset -%}

    {%- if datepart in ['day', 'week'] -%}

        {%- set multiplier = 7 if datepart == 'week' else 1 -%}

        to_timestamp(
            to_unix_timestamp(
                date_add(
                    {{ assert_not_null('date', from_date_or_timestamp) }},
                    cast(({{ interval }}) * {{multiplier}} as int)
                )
            ) + {{clock_component}}
        )

    {%- elif datepart in ['month', 'quarter', 'year'] -%}

        {%- set multiplier -%}
            {%- if datepart == 'month' -%} 1
            {%- elif datepart == 'quarter' -%} 3
            {%- elif datepart == 'year' -%} 12
            {%- endif -%}
        {%- endset -%}

        to_timestamp(
            to_unix_timestamp(
                add_months(
                    {{ assert_not_null('date', from_date_or_timestamp) }},
                    cast(({{ interval }}) * {{multiplier}} as int)
                )
            ) + {{clock_component}}
        )

    {%- elif datepart in ('hour', 'minute', 'second', 'millisecond', 'microsecond') -%}

        {%- set multiplier -%}
            {%- if datepart == 'hour' -%} 3600
            {%- elif datepart == 'minute' -%} 60
            {%- elif datepart == 'second' -%} 1
            {%- elif datepart == 'millisecond' -%} (1/1000000)
            {%- elif datepart == 'microsecond' -%} (1/1000000)
            {%- endif -%}
        {%- endset -%}

        to_timestamp(
            {{ assert_not_null('to_unix_timestamp', from_date_or_timestamp) }}
            + cast(({{ interval }}) * {{multiplier}} as int)
        )

    {%- else -%}

        {{ exceptions.raise_compiler_error("macro dateadd not implemented for datepart ~ '" ~ datepart ~ "' ~ on Spark") }}

    {%- endif -%}

{% endmacro %}
