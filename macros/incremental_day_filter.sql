{#- Which days an incremental run rewrites: exactly var backfill_start..backfill_end when set,
    else the days from the newest stored day minus var history_lookback_days (late-arriving data).
    Rendered on one line so the model lints the same whether or not the table exists yet. -#}
{% macro incremental_day_filter(day_column) -%}
    {%- if var('backfill_start', none) -%}
        {{ day_column }} between cast('{{ var("backfill_start") }}' as date) and cast('{{ var("backfill_end", var("backfill_start")) }}' as date)
    {%- else -%}
        {{ day_column }} > (select coalesce(max({{ day_column }}), cast('1900-01-01' as date)) - {{ var('history_lookback_days') }} from {{ this }})
    {%- endif -%}
{%- endmacro %}
