{#-
    Runs before every `dbt run` / `dbt build` (on-run-start, before check_raw_contract):
      - var connectors names only known sources and allowed shapes (else one error naming the var,
        the source and the allowed values);
      - each source declared `none` is said once, clearly, in the log;
      - each connector-shaped source read from Parquet has a file in every table folder and the
        columns its adapters read (a missing one is an error naming the folder and the column).
    The contract-shaped sources keep their own check (check_raw_contract), which reads only the
    sources raw_contract_reads_folder accepts.
-#}
{% macro check_connectors() %}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set selected = selected_connectors() -%}
        {%- set choices = connector_choices() -%}
        {%- for source_name in selected if source_name not in choices -%}
            {{ exceptions.raise_compiler_error(
                "var connectors names an unknown source '" ~ source_name ~ "'; sources: "
                ~ choices.keys() | list | join(', ')
            ) }}
        {%- endfor -%}
        {%- for source_name in choices -%}
            {%- if connector_for(source_name) == 'none' -%}
                {{ log(source_name ~ ": not configured (connectors." ~ source_name ~ " = none): its signals are "
                    ~ "missing, weights re-spread", info=True) }}
            {%- endif -%}
        {%- endfor -%}
        {%- for table in var('absent_raw_tables') -%}
            {{ log(table ~ ": not configured (absent_raw_tables): its signals are missing, weights re-spread", info=True) }}
        {%- endfor -%}
        {%- set problems = [] -%}
        {%- for node in graph.sources.values()
                if node.package_name == project_name and node.meta.get('connector') and target.type == 'duckdb'
                and node.meta.get('external_location', '').startswith('read_parquet') -%}
            {%- do check_connector_table(node, problems) -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                "Connector-shaped raw data does not have what the adapters read:\n  - " ~ problems | join("\n  - ")
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- Only the contract sources (named after a source of var connectors, set to `contract`) read
    from Parquet folders, and not declared absent (var absent_raw_tables), go through
    check_raw_contract; connector sources go through check_connector_table. -#}
{% macro raw_contract_reads_folder(node) %}
    {{ return(
        node.source_name in connector_choices()
        and not node.meta.get('connector')
        and (target.type == 'duckdb' or not var('raw_schemas').get(node.source_name))
        and node.meta.get('external_location', '').startswith('read_parquet')
        and connector_for(node.source_name) == 'contract'
        and not is_raw_table_absent(node.source_name, node.name)
    ) }}
{% endmacro %}


{#- A connector table's Parquet folder has a file, and every column declared in its source yml
    is there, except those whose meta says `optional: true` or names `alternatives` one of which is
    there (Salesforce custom fields land as `x__c` or `x_c`). -#}
{% macro check_connector_table(node, problems) %}
    {%- set label = node.source_name ~ '.' ~ node.name -%}
    {%- set folder = node.meta.raw_dir ~ '/' ~ node.meta.raw_folder ~ '/' ~ node.identifier -%}
    {%- set file_count = run_query("select count(*) from glob('" ~ folder ~ "/*.parquet')").columns[0].values()[0] -%}
    {%- if file_count == 0 -%}
        {%- do problems.append(label ~ ": no Parquet file in " ~ folder ~ "/") -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set described = run_query(
        "describe select * from read_parquet('" ~ folder ~ "/*.parquet', union_by_name = true)"
    ) -%}
    {%- set found = described.columns[0].values() | map('lower') | list -%}
    {%- for column in node.columns.values() -%}
        {%- set names = [column.name | lower] + (column.meta.get('alternatives') or []) | map('lower') | list -%}
        {%- if not column.meta.get('optional') and not (names | select('in', found) | list) -%}
            {%- do problems.append(
                label ~ " (" ~ folder ~ "): missing column " ~ names | join(' or ')
            ) -%}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}


{#- The lower-case column names of a relation (compile time; empty while parsing). -#}
{% macro relation_column_names(relation) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(run_query('describe select * from ' ~ relation).columns[0].values() | map('lower') | list) }}
{% endmacro %}


{#- The first of `candidates` among `present` (relation_column_names), for columns a connector
    lands under more than one name. When none is there: `default` (an SQL expression) if given,
    else an error naming the relation and the candidates. -#}
{% macro first_present_column(relation, present, candidates, default=none) %}
    {%- if not execute -%}
        {{ return(candidates[0]) }}
    {%- endif -%}
    {%- for candidate in candidates if candidate | lower in present -%}
        {{ return(adapter.quote(candidate)) }}
    {%- endfor -%}
    {%- if default is not none -%}
        {{ return(default) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        relation ~ " has none of the columns " ~ candidates | join(', ')
        ~ " (see docs/connectors.md for the names each connector lands)"
    ) }}
{% endmacro %}
