{#-
    A Fivetran Salesforce table as its contract table (shared/raw-contract.md, crm): each contract
    column taken under its Fivetran name and cast to the contract type. Custom fields (`x__c` in the
    contract) are read as `x_c` or `x__c`, whichever landed; `is_deleted` also counts
    `_fivetran_deleted` when the table has it; `_loaded_at` is `_fivetran_synced`. Used by the
    fivetran_salesforce__<table> adapters, which pass their contract columns and types.
-#}
{% macro fivetran_salesforce_as_contract(table, contract_columns) %}
    {%- set relation = source('fivetran_salesforce', table) -%}
    {%- set present = relation_column_names(relation) -%}
with source as (
    select * from {{ relation }}
),

renamed as (
    select
        {%- for name, data_type in contract_columns %}
        {%- if name.endswith('__c') %}
        {%- set column = first_present_column(relation, present, [name[:-3] ~ '_c', name]) %}
        {%- else %}
        {%- set column = adapter.quote(name) %}
        {%- endif %}
        {%- if name == 'is_deleted' %}
        cast({{ column }} as boolean)
        or coalesce(cast({{ first_present_column(relation, present, ['_fivetran_deleted'], 'false') }} as boolean), false)
            as is_deleted,
        {%- else %}
        cast({{ column }} as {{ data_type }}) as {{ adapter.quote(name) }},
        {%- endif %}
        {%- endfor %}
        cast(_fivetran_synced as timestamp) as _loaded_at,
        _raw_file
    from source
)

select * from renamed
{%- endmacro %}
