{#-
    The source seam (docs/connectors.md). Base models read
    `{{ raw_relation('<source>', '<contract_table>') }}` instead of `source()`; var `connectors`
    decides what that is, per source:
      contract             the contract source (shared/raw-contract.md), Parquet or warehouse tables
      <connector>          the adapter model `<connector>__<contract_table>` (models/staging/<source>/
                           connectors/<connector>/), which gives the contract's columns
      none                 an empty relation with the contract columns: the deployment has no such
                           source, its signals are missing with reason source_not_configured
    A single table can be declared absent too (var absent_raw_tables, e.g. a CRM without the
    CSM-input object: [crm.health_input__c]); it then reads as an empty relation in every shape.
    Whether a source's tables are Parquet folders or warehouse tables is var `raw_schemas` (the
    sources' `external_location`, see vars raw_parquet_location / raw_warehouse_location).
-#}
{% macro raw_relation(source_name, contract_table) %}
    {%- set connector = connector_for(source_name) -%}
    {%- if is_raw_table_absent(source_name, contract_table) -%}
        {{ return(empty_contract_relation(source_name, contract_table)) }}
    {%- elif connector == 'contract' -%}
        {{ return(contract_relation(source_name, contract_table)) }}
    {%- elif connector == 'none' -%}
        {{ return(empty_contract_relation(source_name, contract_table)) }}
    {%- else -%}
        {{ return(ref(adapter_model_name(connector, contract_table))) }}
    {%- endif -%}
{% endmacro %}


{#- A contract table. DuckDB: the source, whose `external_location` (vars raw_parquet_location,
    raw_warehouse_location) reads the Parquet folder or the warehouse table with its `_raw_file`.
    Other engines ignore `external_location` and read tables: those python_checks.load_raw loaded
    (schemas raw_<source>, `_raw_file` stored) or, with var raw_schemas.<source>, the connector's
    own tables, given the warehouse batch key raw_warehouse_location describes. -#}
{% macro contract_relation(source_name, contract_table) %}
    {{ return(adapter.dispatch('contract_relation', 'customer_health')(source_name, contract_table)) }}
{% endmacro %}

{% macro duckdb__contract_relation(source_name, contract_table) %}
    {{ return(source(source_name, contract_table)) }}
{% endmacro %}

{% macro default__contract_relation(source_name, contract_table) %}
    {%- set relation = source(source_name, contract_table) -%}
    {%- if not var('raw_schemas').get(source_name) -%}
        {{ return(relation) }}
    {%- endif -%}
    {{ return(
        "(select *, '" ~ source_name ~ "/" ~ relation.identifier ~ "/" ~ relation.database ~ "."
        ~ relation.schema ~ "@' || " ~ timestamp_key('_loaded_at') ~ " as _raw_file from " ~ relation ~ ")"
    ) }}
{% endmacro %}


{#- The connector shapes each source may be declared in (var connectors). -#}
{% macro connector_choices() %}
    {{ return({
        'crm': ['contract', 'fivetran_salesforce', 'none'],
        'support': ['contract', 'fivetran_zendesk', 'none'],
        'billing': ['contract', 'fivetran_stripe', 'none'],
        'product': ['contract', 'segment', 'none'],
        'survey': ['contract', 'survey_tool', 'none'],
    }) }}
{% endmacro %}


{#- The shape selected for one source; a source left out of var connectors stays `contract`. An
    unknown source or shape stops the build with an error naming the var and the allowed values. -#}
{% macro connector_for(source_name) %}
    {%- set choices = connector_choices() -%}
    {%- set selected = selected_connectors() -%}
    {%- if source_name not in choices -%}
        {{ exceptions.raise_compiler_error(
            "raw_relation: unknown source '" ~ source_name ~ "'; sources: " ~ choices.keys() | list | join(', ')
        ) }}
    {%- endif -%}
    {%- set connector = selected.get(source_name, 'contract') -%}
    {%- if connector not in choices[source_name] -%}
        {{ exceptions.raise_compiler_error(
            "var connectors." ~ source_name ~ " = '" ~ connector ~ "' is not allowed for source "
            ~ source_name ~ ": choose one of " ~ choices[source_name] | join(', ')
        ) }}
    {%- endif -%}
    {{ return(connector) }}
{% endmacro %}


{#- Var connectors, checked to be a map. -#}
{% macro selected_connectors() %}
    {%- set selected = var('connectors') -%}
    {%- if selected is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var connectors must be a map such as {crm: contract, support: fivetran_zendesk}; got: " ~ var('connectors')
        ) }}
    {%- endif -%}
    {{ return(selected) }}
{% endmacro %}


{#- Adapter model of a contract table: `<connector>__<contract_table>`, Salesforce's `__c` suffix
    of custom objects left out (fivetran_salesforce__health_input). -#}
{% macro adapter_model_name(connector, contract_table) %}
    {{ return(connector ~ '__' ~ contract_table | replace('__c', '')) }}
{% endmacro %}


{#- No rows, the contract source's columns and types (from its yml), plus the `_raw_file` batch
    key every base model reads. -#}
{% macro empty_contract_relation(source_name, contract_table) %}
    {%- if not execute -%}
        {{ return('(select null as _raw_file where false)') }}
    {%- endif -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ contract_table) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error(
            "raw_relation: no contract source " ~ source_name ~ "." ~ contract_table
            ~ " to take the columns of an absent source from (models/staging/" ~ source_name ~ "/_"
            ~ source_name ~ "__sources.yml)"
        ) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append('cast(null as ' ~ column.data_type ~ ') as ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- do columns.append('cast(null as ' ~ dbt.type_string() ~ ') as _raw_file') -%}
    {{ return('(select ' ~ columns | join(', ') ~ ' where false)') }}
{% endmacro %}


{#- Whether var absent_raw_tables declares `<source>.<contract_table>` absent. -#}
{% macro is_raw_table_absent(source_name, contract_table) %}
    {%- set absent = var('absent_raw_tables') -%}
    {%- if absent is string or absent is mapping -%}
        {{ exceptions.raise_compiler_error(
            "var absent_raw_tables must be a list such as [crm.health_input__c]; got: " ~ absent
        ) }}
    {%- endif -%}
    {{ return((source_name ~ '.' ~ contract_table) in absent) }}
{% endmacro %}


{#- The sources (var connectors = none) and tables (var absent_raw_tables) this deployment does
    not have, as regular expressions matching `<source>.<any table>` and `<source>.<table>` in
    seed signal_thresholds' `source`. -#}
{% macro not_configured_raw_patterns() %}
    {%- set patterns = [] -%}
    {%- for source_name in connector_choices() if connector_for(source_name) == 'none' -%}
        {%- do patterns.append(source_name ~ '\\.[a-z0-9_]+') -%}
    {%- endfor -%}
    {%- for table in var('absent_raw_tables') -%}
        {%- do patterns.append(table | replace('.', '\\.')) -%}
    {%- endfor -%}
    {{ return(patterns) }}
{% endmacro %}


{#- SQL: true when `source_column` (seed signal_thresholds' `source`, e.g. 'product.tracks +
    billing.subscription') names a source or table the deployment does not have; 'false' when
    every source and table is there. -#}
{% macro signal_source_not_configured(source_column) %}
    {%- set patterns = not_configured_raw_patterns() -%}
    {%- if not patterns -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set pattern = '(^|[^a-z0-9_.])(' ~ patterns | join('|') ~ ')($|[^a-z0-9_])' -%}
    {{ return('coalesce(' ~ regexp_like(source_column, pattern) ~ ', false)') }}
{% endmacro %}
