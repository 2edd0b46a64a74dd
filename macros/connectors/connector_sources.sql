{#-
    Helpers the connector adapters (models/staging/<source>/connectors/<connector>/) share.
    The source seam (issue 14) selects a connector per source with var `connectors` and says where
    its raw tables lie with var `raw_schemas`; these macros read both so that an adapter never
    spells either. Local to the connector adapters until the seam's shared macros replace them.
-#}

{#- Whether a source's raw tables are warehouse tables (var `raw_schemas` names a schema for it)
    rather than Parquet folders under $RAW_DATA_DIR/<source>/. -#}
{% macro connector_reads_warehouse(source_name) -%}
    {{ return(((var('raw_schemas', {}) or {}).get(source_name) or {}).get('schema') is not none) }}
{%- endmacro %}


{#- One option of a connector: var `<connector>__<key>` (defaults in dbt_project.yml). A missing
    option stops the build with a message naming the var. -#}
{% macro connector_option(connector, key) -%}
    {%- set name = connector ~ '__' ~ key -%}
    {%- set value = var(name, none) -%}
    {%- if value is none and key not in ['group_mapping'] -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " is not set: see dbt_project.yml for its default and the README's "
            ~ "\"Bring your own data\" for what it means"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}


{#- The `_raw_file` batch key of a connector row. Parquet folders: the batch file the row came
    from (column `_raw_file`, added by the source's read_parquet). Warehouse tables have no files:
    the key is `<source>/<connector>.<table>/<load time>`, so a row re-synced by the connector gets
    a new key and the incremental base models read it again. Three path parts, like a file's key
    (macro raw_file_key keeps the last three). -#}
{% macro connector_batch_key(source_name, connector, table_name, load_column, relation_alias=none) -%}
    {%- set prefix = (relation_alias ~ '.') if relation_alias else '' -%}
    {%- if connector_reads_warehouse(source_name) -%}
        '{{ source_name }}/{{ connector }}.{{ table_name }}/'
        || strftime(cast({{ prefix }}{{ load_column }} as timestamp), '%Y%m%dT%H%M%S.%f')
    {%- else -%}
        {{ prefix }}_raw_file
    {%- endif -%}
{%- endmacro %}


{#- A whole-number amount as bigint. Some warehouses unload integers as DECIMAL(p,0); a value
    with a fraction is not a whole number of cents and becomes null (quarantined downstream
    where the column is required). -#}
{% macro connector_integer(column) -%}
    case
        when {{ column }} = trunc({{ column }}) then cast({{ column }} as bigint)
    end
{%- endmacro %}
