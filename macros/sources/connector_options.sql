{#-
    Helpers of the billing, product and survey connector adapters (models/staging/<source>/
    connectors/<connector>/): their options (vars `<connector>__<key>`) and whole-number amounts
    landed as DECIMAL. Which connector is read, and from where, is the source seam's
    (macros/sources/raw_relation.sql, the connector sources' meta and vars raw_parquet_location /
    raw_warehouse_location); the `_raw_file` batch key comes with the source's rows.
-#}

{#- One option of a connector: var `<connector>__<key>` (defaults in dbt_project.yml). A missing
    option stops the build with a message naming the var. -#}
{% macro connector_option(connector, key) -%}
    {%- set name = connector ~ '__' ~ key -%}
    {%- set value = var(name, none) -%}
    {%- if value is none and key not in ['group_mapping'] -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " is not set: see dbt_project.yml for its default and docs/connectors.md "
            ~ "for what it means"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}


{#- A whole-number amount as bigint. Some warehouses unload integers as DECIMAL(p,0); a value
    with a fraction is not a whole number of cents and becomes null (quarantined downstream
    where the column is required). -#}
{% macro connector_integer(column) -%}
    case
        when {{ column }} = trunc({{ column }}) then cast({{ column }} as bigint)
    end
{%- endmacro %}
