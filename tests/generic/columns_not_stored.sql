{#-
    Upgrade guard for an incremental base model: none of `column_names` (columns an earlier version
    stored and this one drops, such as free text) is still in the stored table. An incremental
    run re-reads stored rows by name, so a dropped column stays in an existing table and
    on_schema_change does not see it; this test stops the build and names the fix instead.
-#}
{% test columns_not_stored(model, column_names, why) %}

{%- set stale = [] %}
{%- if execute %}
    {%- set stored = adapter.get_columns_in_relation(model) | map(attribute='name') | map('lower') | list %}
    {%- for column_name in column_names %}
        {%- if column_name | lower in stored %}{% do stale.append(column_name) %}{% endif %}
    {%- endfor %}
{%- endif %}
{%- if stale %}
    {{ exceptions.raise_compiler_error(
        model.identifier ~ ' still stores column(s) ' ~ stale | join(', ') ~ ' (' ~ why
        ~ '), dropped from the model after this table was built: run `dbt build --full-refresh`'
        ~ ' once (or `--full-refresh --select ' ~ model.identifier ~ '+`).') }}
{%- endif %}
select null as column_name where false

{% endtest %}
