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


{#- dbt.datediff on Spark: dbt-spark 1.11's spark__datediff, but hours, minutes and seconds count
    the boundaries crossed, as DuckDB and Postgres do. dbt-spark rounds the elapsed time up
    (10:10 to 11:50 is two hours there, one on DuckDB): a ticket's days to resolve and its
    account's median differed. Milliseconds and microseconds are not used here: an error. dbt looks
    for spark__datediff in the project before dbt-spark. -#}
{% macro spark__datediff(first_date, second_date, datepart) %}

    {%- if datepart in ['day', 'week', 'month', 'quarter', 'year'] -%}

        {# make sure the dates are real, otherwise raise an error asap #}
        {% set first_date = assert_not_null('date', first_date) %}
        {% set second_date = assert_not_null('date', second_date) %}

    {%- endif -%}

    {%- if datepart == 'day' -%}

        datediff({{second_date}}, {{first_date}})

    {%- elif datepart == 'week' -%}

        case when {{first_date}} < {{second_date}}
            then floor(datediff({{second_date}}, {{first_date}})/7)
            else ceil(datediff({{second_date}}, {{first_date}})/7)
            end

        -- did we cross a week boundary (Sunday)?
        + case
            when {{first_date}} < {{second_date}} and dayofweek({{second_date}}) < dayofweek({{first_date}}) then 1
            when {{first_date}} > {{second_date}} and dayofweek({{second_date}}) > dayofweek({{first_date}}) then -1
            else 0 end

    {%- elif datepart == 'month' -%}

        case when {{first_date}} < {{second_date}}
            then floor(months_between(date({{second_date}}), date({{first_date}})))
            else ceil(months_between(date({{second_date}}), date({{first_date}})))
            end

        -- did we cross a month boundary?
        + case
            when {{first_date}} < {{second_date}} and dayofmonth({{second_date}}) < dayofmonth({{first_date}}) then 1
            when {{first_date}} > {{second_date}} and dayofmonth({{second_date}}) > dayofmonth({{first_date}}) then -1
            else 0 end

    {%- elif datepart == 'quarter' -%}

        case when {{first_date}} < {{second_date}}
            then floor(months_between(date({{second_date}}), date({{first_date}}))/3)
            else ceil(months_between(date({{second_date}}), date({{first_date}}))/3)
            end

        -- did we cross a quarter boundary?
        + case
            when {{first_date}} < {{second_date}} and (
                (dayofyear({{second_date}}) - (quarter({{second_date}}) * 365/4))
                < (dayofyear({{first_date}}) - (quarter({{first_date}}) * 365/4))
            ) then 1
            when {{first_date}} > {{second_date}} and (
                (dayofyear({{second_date}}) - (quarter({{second_date}}) * 365/4))
                > (dayofyear({{first_date}}) - (quarter({{first_date}}) * 365/4))
            ) then -1
            else 0 end

    {%- elif datepart == 'year' -%}

        year({{second_date}}) - year({{first_date}})

    {%- elif datepart in ('hour', 'minute', 'second') -%}

        {#- Boundaries crossed, as DuckDB's date_diff and dbt-postgres count them (10:50 to 11:10 is
            one hour): the difference of the timestamps truncated to the part. -#}
        cast((
            to_unix_timestamp(date_trunc('{{ datepart }}', {{ assert_not_null('to_timestamp', second_date) }}))
            - to_unix_timestamp(date_trunc('{{ datepart }}', {{ assert_not_null('to_timestamp', first_date) }}))
        ) / {{ 3600 if datepart == 'hour' else (60 if datepart == 'minute' else 1) }} as bigint)

    {%- else -%}

        {{ exceptions.raise_compiler_error("macro datediff not implemented for datepart ~ '" ~ datepart ~ "' ~ on Spark") }}

    {%- endif -%}

{% endmacro %}
