{#- The drivers of an account-day, from its wide row (columns <signal>__points and
    <signal>__value of int_account_health_daily's CTE `pointed`):
      direction 'down'      the `n` signals taking the most points, lowest first
      direction 'up'        the `n` signals adding the most points, highest first
      direction 'top_down'  the name of the signal taking the most points
    A label is "name value (points)": value to 2 decimals, points to 1 with its sign. Equal points
    are told apart by signal name (a nudge of far less than any real difference, as macro
    signal_orders), so a day picks the same drivers in any run. Null when no signal qualifies. -#}
{% macro signal_drivers(signal_names, direction, n) %}
    {%- if direction not in ['down', 'up', 'top_down'] -%}
        {{ exceptions.raise_compiler_error("signal_drivers: direction must be down, up or top_down, got " ~ direction) }}
    {%- endif -%}
    {{ return(adapter.dispatch('signal_drivers', 'customer_health')(signal_names | sort, direction, n)) }}
{% endmacro %}

{#- DuckDB: a list of (rank key, name, value, points) per row, filtered, sorted and cut in the row;
    rendered on one line, so the model lints the same whatever the number of signals. -#}
{% macro duckdb__signal_drivers(signal_names, direction, n) -%}
    {%- set items = [] -%}
    {%- for signal_name in signal_names -%}
        {%- do items.append("{rank_key: " ~ signal_name ~ "__points + " ~ loop.index ~ " * 1e-9, signal_name: '"
            ~ signal_name ~ "', signal_value: " ~ signal_name ~ "__value, points: " ~ signal_name ~ "__points}") -%}
    {%- endfor -%}
    {%- set picked = "list_slice(list_sort(list_filter([" ~ items | join(', ') ~ "], lambda driver: driver.points "
        ~ ('>' if direction == 'up' else '<') ~ " 0), '" ~ ('DESC' if direction == 'up' else 'ASC') ~ "'), 1, " ~ n ~ ")" -%}
    {%- if direction == 'top_down' -%}
    ({{ picked }})[1].signal_name
    {%- else -%}
    nullif(array_to_string(list_transform({{ picked }}, lambda driver: driver.signal_name || ' ' || cast(round(driver.signal_value, 2) as varchar) || ' (' || case when driver.points > 0 then '+' else '' end || cast(round(driver.points, 1) as varchar) || ')'), '; '), '')
    {%- endif -%}
{%- endmacro %}

{#- Elsewhere: the same pick as a correlated subquery over the row's signals as a VALUES list; the
    numbers written as DuckDB writes them (macros round_half_away, double_text). -#}
{% macro default__signal_drivers(signal_names, direction, n) -%}
    (
        select
            {%- if direction == 'top_down' %}
            min(drivers.signal_name)
            {%- else %}
            nullif({{ dbt.listagg(
                "drivers.signal_name || ' ' || " ~ double_text(round_half_away('drivers.signal_value', 2)) ~ " || ' ('"
                ~ " || case when drivers.points > 0 then '+' else '' end"
                ~ " || " ~ double_text(round_half_away('drivers.points', 1)) ~ " || ')'",
                "'; '",
                "order by drivers.rank_key" ~ (" desc" if direction == 'up' else "")) }}, '')
            {%- endif %}
        from (
            select * from (
                values
                {%- for signal_name in signal_names %}
                ({{ signal_name }}__points + {{ loop.index }} * 1e-9, '{{ signal_name }}', {{ signal_name }}__value, {{ signal_name }}__points){% if not loop.last %},{% endif %}
                {%- endfor %}
            ) as row_signals (rank_key, signal_name, signal_value, points)
            where row_signals.points {{ '>' if direction == 'up' else '<' }} 0
            order by row_signals.rank_key{{ ' desc' if direction == 'up' else '' }}
            limit {{ n }}
        ) as drivers
    )
{%- endmacro %}

{#- Spark: DuckDB's pick with Spark's higher-order functions (an array of structs per row,
    filtered, sorted by rank key, cut to n); numbers written as DuckDB writes them. -#}
{% macro spark__signal_drivers(signal_names, direction, n) -%}
    {%- set items = [] -%}
    {%- for signal_name in signal_names -%}
        {%- do items.append("named_struct('rank_key', " ~ signal_name ~ "__points + " ~ loop.index ~ " * 1e-9, 'signal_name', '"
            ~ signal_name ~ "', 'signal_value', " ~ signal_name ~ "__value, 'points', " ~ signal_name ~ "__points)") -%}
    {%- endfor -%}
    {%- set sorted = "array_sort(filter(array(" ~ items | join(', ') ~ "), driver -> driver.points "
        ~ ('>' if direction == 'up' else '<') ~ " 0))" -%}
    {%- set picked = "slice(" ~ ("reverse(" ~ sorted ~ ")" if direction == 'up' else sorted) ~ ", 1, " ~ n ~ ")" -%}
    {%- if direction == 'top_down' -%}
    element_at({{ picked }}, 1).signal_name
    {%- else -%}
    nullif(array_join(transform({{ picked }}, driver -> driver.signal_name || ' ' || {{ double_text(round_half_away('driver.signal_value', 2)) }} || ' (' || case when driver.points > 0 then '+' else '' end || {{ double_text(round_half_away('driver.points', 1)) }} || ')'), '; '), '')
    {%- endif -%}
{%- endmacro %}
