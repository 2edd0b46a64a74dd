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


{#- A pre-hook on every model: the planner settings the project's queries need. On Postgres, no
    nested loops and no JIT, for the model's transaction only (`set local`). The project's tables
    have no indexes, so a nested loop rescans its inner side for every outer row; Postgres picks
    one when its row estimate collapses to one row, which it does through the CTEs of the scoring
    models (a window's filter, a join of small CTEs: estimated 1 row, 7,966 real), and the
    composite did not finish in 15 minutes on the 160-account sample. JIT is off because the cost of a
    disabled path that cannot be avoided (the band join is a range join) pushes every such query
    over the JIT thresholds, and compiling the wide scoring queries took longer than running them.
    Nothing on DuckDB. -#}
{% macro planner_settings() %}
    {{ return(adapter.dispatch('planner_settings', 'customer_health')()) }}
{% endmacro %}

{% macro default__planner_settings() %}
    {{ return('') }}
{% endmacro %}

{% macro postgres__planner_settings() %}
    {{ return('set local enable_nestloop = off; set local jit = off') }}
{% endmacro %}


{#- `materialized ` before a CTE's body (`name as {{ materialized_cte() }}(`) where the engine
    would otherwise inline a CTE read once into the query that reads it. Postgres does, and then
    computes every reference to one of its columns again (no common subexpressions): the
    composite's present weight, a sum of one term per signal, was computed once per signal's
    points. DuckDB computes a column once; nothing there. -#}
{% macro materialized_cte() %}
    {{ return(adapter.dispatch('materialized_cte', 'customer_health')()) }}
{% endmacro %}

{% macro default__materialized_cte() %}
    {{ return('') }}
{% endmacro %}

{% macro postgres__materialized_cte() %}
    {{ return('materialized ') }}
{% endmacro %}


{#- `not materialized ` before a CTE's body (`name as {{ inlined_cte() }}(`) where the engine would
    otherwise compute a CTE read twice once and store it whole, every column of every row, before
    either reader runs. DuckDB does, even for an import CTE (`select * from` a model):
    int_account_daily_activity reads the user-days twice (93 million rows of 17 columns at
    100,000 accounts), where each reader needs 3 or 17 of the columns and can read them from the
    table as it goes. Postgres (12+) takes the same words; other engines inline anyway. -#}
{% macro inlined_cte() %}
    {{ return(adapter.dispatch('inlined_cte', 'customer_health')()) }}
{% endmacro %}

{% macro default__inlined_cte() %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__inlined_cte() %}
    {{ return('not materialized ') }}
{% endmacro %}

{% macro postgres__inlined_cte() %}
    {{ return('not materialized ') }}
{% endmacro %}


{#- A post-hook on every model, run after its transaction commits: on DuckDB, write what the
    model changed from the write-ahead log into the database file (`force checkpoint`, which
    waits for other threads' transactions rather than failing). DuckDB keeps committed changes it
    has not checkpointed in memory, and checkpoints on its own only when the log passes a size;
    a daily run at 100,000 accounts deletes and inserts days in dozens of large tables, and with
    the changes of earlier models still held, later models ran out of the 3 GB memory limit (two
    daily runs failed, in different models; with this hook two completed). Nothing elsewhere. -#}
{% macro checkpoint_after_model() %}
    {{ return(adapter.dispatch('checkpoint_after_model', 'customer_health')()) }}
{% endmacro %}

{% macro default__checkpoint_after_model() %}
    {{ return('') }}
{% endmacro %}

{#- A view holds no rows: its checkpoint would only write the catalog again (about 15 ms a node). -#}
{% macro duckdb__checkpoint_after_model() %}
    {{ return('' if config.get('materialized') == 'view' else 'force checkpoint') }}
{% endmacro %}
