{#-
    Runs after every `dbt build` / `dbt test` (on-run-end). A data-gap guard (tests/guards/) is a
    data test whose failing rows carry a `guard_message`: which gap, how large against which limit
    and var, what it does to the score and what to do. dbt itself prints only the test's name and
    row count, so this prints each fired guard's message from its stored failures (the guards set
    store_failures), errors first. Passing guards print nothing.
-#}
{% macro report_guard_failures(results) %}
    {%- if execute and flags.WHICH in ('build', 'test') -%}
        {%- set fired = [] -%}
        {%- for status in ['fail', 'warn'] -%}
            {%- for result in results
                    if result.node.resource_type == 'test'
                    and 'guard' in result.node.tags
                    and result.status == status
                    and result.node.relation_name -%}
                {%- do fired.append(result) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- for result in fired -%}
            {%- set level = 'ERROR' if result.status == 'fail' else 'WARN' -%}
            {%- set messages = run_query(
                "select distinct guard_message from " ~ result.node.relation_name ~ " order by 1"
            ).columns[0].values() -%}
            {%- for message in messages -%}
                {{ log("Data-gap guard " ~ level ~ " [" ~ result.node.name ~ "] " ~ message, info=True) }}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}


{#- True when var `connectors` declares the source absent (`none`): its signals are then missing
    with reason source_not_configured on purpose, and the guards about it stay silent. -#}
{% macro source_declared_absent(source_name) %}
    {{ return(var('connectors', {}).get(source_name, 'contract') == 'none') }}
{% endmacro %}


{#- A share (0-1) as a percentage with one decimal, in SQL, for guard messages. -#}
{% macro guard_percent(share_sql) -%}
    {{ format_fixed('100.0 * (' ~ share_sql ~ ')', 1) }} || '%'
{%- endmacro %}
