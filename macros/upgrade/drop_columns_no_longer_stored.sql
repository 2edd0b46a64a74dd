{#- Upgrade step for an incremental model (a pre-hook): drops `column_names`, columns an earlier
    version stored and this one no longer writes, from the stored table, so a database built
    before goes on with daily runs instead of failing on the changed columns or needing a full
    refresh. Only derived columns are dropped this way (each call names what replaced them);
    nothing happens on a new table or one without them. Spark's tables cannot drop a column:
    there the build stops and names the rebuild. -#}
{% macro drop_columns_no_longer_stored(column_names, replaced_by) %}
    {%- if execute and model.resource_type == 'model' %}
        {%- set stored_relation = adapter.get_relation(this.database, this.schema, this.identifier) %}
        {%- if stored_relation is not none and stored_relation.is_table %}
            {%- set stored = adapter.get_columns_in_relation(stored_relation) | map(attribute='name') | map('lower') | list %}
            {%- set stale = column_names | select('in', stored) | list %}
            {%- if stale and target.type == 'spark' %}
                {{ exceptions.raise_compiler_error(
                    this.identifier ~ ' still stores column(s) ' ~ stale | join(', ') ~ ' (now ' ~ replaced_by
                    ~ '): run `dbt build --full-refresh --select ' ~ this.identifier ~ '+` once.') }}
            {%- endif %}
            {%- for column_name in stale %}
                {%- do log(this.identifier ~ ': dropping stored column ' ~ column_name ~ ' (now ' ~ replaced_by ~ ')', info=true) %}
                {%- do run_query('alter table ' ~ stored_relation ~ ' drop column ' ~ adapter.quote(column_name)) %}
            {%- endfor %}
        {%- endif %}
    {%- endif %}
{% endmacro %}
