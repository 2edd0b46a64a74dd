{#- A post-hook on every model and seed: on engines whose planner needs table statistics and
    gathers them only later (Postgres' autovacuum), gather them as soon as the table is built, so
    the next model's joins are planned on real row counts. Without it Postgres estimates a table
    just built by `create table as` at one row and plans nested loops over the whole spine. Nothing
    on DuckDB, whose statistics come with the data. -#}
{% macro analyze_for_planner() %}
    {{ return(adapter.dispatch('analyze_for_planner', 'customer_health')()) }}
{% endmacro %}

{% macro default__analyze_for_planner() %}
    {{ return('') }}
{% endmacro %}

{% macro postgres__analyze_for_planner() %}
    {%- if config.get('materialized') in ['table', 'incremental', 'seed'] -%}
        {{ return('analyze ' ~ this) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
