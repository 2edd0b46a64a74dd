{#- Spark (dbt-spark 1.11, session method): its seed loader binds each value into the insert as
    '<value>' with no escaping, so a quote in a seed text ends the literal (signal_thresholds'
    descriptions), and an empty cell becomes the text 'None'. This one writes each value as a
    Spark literal: null, true/false, a number as it stands, text quoted with Spark's backslash
    escapes. Only the Spark adapter's seed materialization calls it. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    cast({{ spark_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}


{#- A seed cell as a Spark SQL literal. -#}
{% macro spark_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true -%}
        true
    {%- elif value is sameas false -%}
        false
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}


{#- A seed file whose columns changed (one added, dropped or renamed since the stored table was
    made) recreates its table, as `--full-refresh` would, instead of reloading into the old one: a
    plain `dbt build` of an existing database then goes on after an upgrade that changed a seed.
    Without it dbt truncates the old table and loads the new file into it, which fails on DuckDB
    (the file's columns do not match) and leaves a dropped column null on Postgres. Spark's
    loader always recreates the table. -#}
{% macro duckdb__reset_csv_table(model, full_refresh, old_relation, agate_table) %}
    {{ return(reset_csv_table_on_changed_columns(model, full_refresh, old_relation, agate_table)) }}
{% endmacro %}

{% macro postgres__reset_csv_table(model, full_refresh, old_relation, agate_table) %}
    {{ return(reset_csv_table_on_changed_columns(model, full_refresh, old_relation, agate_table)) }}
{% endmacro %}

{% macro reset_csv_table_on_changed_columns(model, full_refresh, old_relation, agate_table) %}
    {%- set stored = adapter.get_columns_in_relation(old_relation) | map(attribute='name') | map('lower') | list %}
    {%- set in_file = agate_table.column_names | map('lower') | list %}
    {%- set columns_changed = stored != in_file %}
    {%- if columns_changed and not full_refresh %}
        {%- do log(
            'Seed ' ~ model.name ~ ': the file has columns (' ~ in_file | join(', ') ~ '), the stored table ('
            ~ stored | join(', ') ~ '): recreating the table.', info=true) %}
    {%- endif %}
    {{ return(default__reset_csv_table(model, full_refresh or columns_changed, old_relation, agate_table)) }}
{% endmacro %}
