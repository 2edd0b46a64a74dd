{#- The condition "`column` is a signal some flag rule reads", for reading the long signal view
    (int_account_signals_daily, one union branch per signal): when the rules' seed is built, its
    signal names are read at run time and written as a list of literals, so the planner drops
    every other signal's branch (at 20,000 accounts 9 of 39 branches scanned, not all 39 joined
    to the list afterwards). Before the seed exists (a parse, lint on an empty database) and in a
    unit test (whose rules are its given rows) it is the same condition as a subquery of `rules`
    (a CTE of the seed's rows). No rule: false. -#}
{% macro flag_rule_signals(column, rules) -%}
    {%- set seed = ref('health_flags') -%}
    {%- set readable = execute and model.resource_type == 'model' -%}
    {%- set stored = adapter.get_relation(seed.database, seed.schema, seed.identifier) if readable else none -%}
    {%- if stored is none -%}
        {{ column }} in (select {{ rules }}.signal_name from {{ rules }})
    {%- else -%}
        {%- set names = run_query('select distinct signal_name from ' ~ seed ~ ' where signal_name is not null order by signal_name').columns[0].values() -%}
        {%- if names | length == 0 -%}
        false
        {%- else -%}
        {{ column }} in ({% for name in names %}'{{ name | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
