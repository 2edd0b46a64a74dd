{#-
    Runs after every `dbt run` / `dbt build` (on-run-end): prints, per source, how many raw rows
    were quarantined and their share, and a warning (not a failure) when a share passes var
    max_quarantine_share, so scheduled runs surface bad extracts without stopping the marts.
-#}
{% macro report_quarantine_share() %}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set parts = [] -%}
        {%- for node in graph.nodes.values()
                if node.resource_type == 'model' and node.name.startswith('base_') -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
            {%- if relation -%}
                {%- do parts.append(
                    "select '" ~ node.name[5:].split('__')[0] ~ "' as source_name, count(*) as count_raw,"
                    ~ " count(*) filter (where _row_status = 'quarantined') as count_quarantined from " ~ relation
                ) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if parts -%}
            {%- set result = run_query(
                "select source_name, sum(count_raw), sum(count_quarantined) from ("
                ~ parts | join(' union all ') ~ ") as shares group by source_name order by source_name"
            ) -%}
            {%- for row in result.rows -%}
                {%- set share = (row[2] / row[1]) if row[1] else 0 -%}
                {%- set line = "quarantine share: " ~ row[0] ~ " " ~ row[2] ~ " of " ~ row[1]
                    ~ " raw rows (" ~ (share * 100) | round(2) ~ "%)" -%}
                {%- if share > var('max_quarantine_share') -%}
                    {{ exceptions.warn(line ~ " is above var max_quarantine_share ("
                        ~ (var('max_quarantine_share') * 100) ~ "%): see staging.quarantine_" ~ row[0]) }}
                {%- else -%}
                    {{ log(line, info=True) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
