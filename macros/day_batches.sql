{#- Day batches: a model too large to compute in one statement (the composite of 100,000 accounts
    joins six wide signal tables of 30M+ rows, whose hash tables do not fit in memory) is written
    in ranges of days, one statement each, in day order. A model opts in with
    `meta: {batch: {rows_from: <model>}}` in dbt_project.yml: the model whose rows per day (an
    account-day spine it reads) size the batches, at most var day_batch_rows account-days each.
    The days a run rewrites are the same as without batches (macro in_run_days): a full build or a
    configuration change cuts every day into batches, a daily run's few days make one.

    The model filters its inputs with in_day_batch(day_column, context_days): the batch's days,
    plus the days before them its windows read (a lag over 30 days reads 30 more), and keeps only
    the batch's own days. With no batch set (one statement, dbt show, unit tests) it is true.

    On DuckDB the batch is a pair of session variables the statements set in turn (getvariable is
    bound as a constant, so the range reaches the table scans). Other engines build the model in
    one statement: Postgres and Spark manage their own memory. -#}
{% macro in_day_batch(day_column, context_days=0) -%}
    {{ return(adapter.dispatch('in_day_batch')(day_column, context_days)) }}
{%- endmacro %}

{% macro default__in_day_batch(day_column, context_days=0) -%}
    true
{%- endmacro %}

{% macro duckdb__in_day_batch(day_column, context_days=0) -%}
    {{ day_column }} between coalesce(getvariable('{{ day_batch_variable("from") }}'), cast('1900-01-01' as date)) - {{ context_days }} and coalesce(getvariable('{{ day_batch_variable("to") }}'), cast('9999-12-31' as date))
{%- endmacro %}


{#- The session variable holding the current model's batch bound (`from` or `to`). -#}
{% macro day_batch_variable(bound) -%}
    day_batch_{{ bound }}__{{ model.name }}
{%- endmacro %}


{#- The batches of the days the current model's run rewrites, as [first day, last day] pairs in
    day order: consecutive days of its meta batch rows_from model, each batch at most var
    day_batch_rows rows (a single day larger than that is a batch of its own). Empty for a model
    without meta batch, and while parsing. -#}
{% macro day_batches() -%}
    {%- set plan = (config.get('meta') or {}).get('batch') -%}
    {%- if not plan or not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if 'rows_from' not in plan -%}
        {{ exceptions.raise_compiler_error(
            'meta batch of model ' ~ model.name ~ ' (dbt_project.yml) lacks rows_from: the model '
            ~ 'whose rows per date_day size the batches') }}
    {%- endif -%}
    {%- set max_rows = var('day_batch_rows') | int -%}
    {%- set days_query -%}
        select date_day, count(*) as count_rows
        from {{ ref(plan.rows_from) }}
        where {{ in_run_days('date_day') }}
        group by date_day
        order by date_day
    {%- endset -%}
    {%- set batches = [] -%}
    {%- set current = {'from': none, 'to': none, 'rows': 0} -%}
    {%- for row in run_query(days_query).rows -%}
        {%- if current['from'] is not none and current['rows'] + row[1] > max_rows -%}
            {%- do batches.append([current['from'], current['to']]) -%}
            {%- do current.update({'from': none, 'rows': 0}) -%}
        {%- endif -%}
        {%- if current['from'] is none -%}{%- do current.update({'from': row[0]}) -%}{%- endif -%}
        {%- do current.update({'to': row[0], 'rows': current['rows'] + row[1]}) -%}
    {%- endfor -%}
    {%- if current['from'] is not none -%}
        {%- do batches.append([current['from'], current['to']]) -%}
    {%- endif -%}
    {{ return(batches) }}
{%- endmacro %}


{#- dbt-duckdb's create_table_as (a full build's table, a daily run's temporary table), written in
    day batches for a model with meta batch (macro day_batches): the first batch creates the table,
    each next one inserts into it, and the variables are reset at the end. A daily run's few days
    are one batch, set the same way: its day range is then a constant the table scans filter on
    (in_run_days compares with a subquery, which DuckDB applies only after the joins). Anything
    else goes to dbt-duckdb's own macro. -#}
{% macro duckdb__create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {%- set batches = day_batches() if language == 'sql' and not partitioned_by and not sorted_by
        and not config.get('contract').enforced else [] -%}
    {%- if batches -%}
        {%- set target = relation.include(database=(not temporary), schema=(not temporary)) -%}
        {%- for batch in batches %}
            set variable {{ day_batch_variable('from') }} = cast('{{ batch[0] }}' as date);
            set variable {{ day_batch_variable('to') }} = cast('{{ batch[1] }}' as date);
            {%- if loop.first %}
                create {% if temporary %}temporary {% endif %}table {{ target }} as (
                    {{ compiled_code }}
                );
            {%- else %}
                insert into {{ target }}
                select * from (
                    {{ compiled_code }}
                ) as model_subq;
            {%- endif %}
        {%- endfor %}
        reset variable {{ day_batch_variable('from') }};
        reset variable {{ day_batch_variable('to') }};
    {%- else -%}
        {{ dbt.duckdb__create_table_as(temporary, relation, compiled_code, language, partitioned_by, sorted_by) }}
    {%- endif -%}
{%- endmacro %}
