{#- One row of a configuration seed as text written the same way on every engine, for the hashes
    of int_signal_config and int_scoring_config: `column=value` for each column in name order,
    joined with ','. A number is written with 9 decimals (a seed's 0.25 loads as a double on
    DuckDB and as a numeric on Postgres, and each engine writes a double its own way), a boolean
    as true/false, a date as YYYY-MM-DD, text as it is, null as \N. `relation` is the seed, `alias` its alias in the
    query. Read from the database's columns: before the seed is built (parsing, `dbt compile` or
    the linter on an empty database) it is an empty text, which a build never uses, as seeds are
    built before the models that read them. -#}
{% macro config_row_text(relation, alias) %}
    {%- if not execute or load_relation(relation) is none %}
        {{ return("''") }}
    {%- endif %}
    {%- set number_types = [
        'tinyint', 'smallint', 'integer', 'int', 'bigint', 'hugeint', 'int2', 'int4', 'int8',
        'double', 'double precision', 'float', 'float4', 'float8', 'real', 'decimal', 'numeric',
    ] %}
    {%- set text_types = ['varchar', 'text', 'character varying', 'string', 'date', 'boolean'] %}
    {%- set columns = adapter.get_columns_in_relation(relation) %}
    {%- if not columns %}
        {{ exceptions.raise_compiler_error(
            "config_row_text: no columns found for seed " ~ relation ~ " (is the seed built?)") }}
    {%- endif %}
    {%- set parts = [] %}
    {%- for column in columns | sort(attribute='name') %}
        {%- set data_type = column.dtype | lower %}
        {%- set base_type = data_type.split('(')[0] | trim %}
        {%- set value = alias ~ '.' ~ adapter.quote(column.name) %}
        {%- if base_type in number_types %}
            {%- set text = decimal_text(value, 9) %}
        {%- elif base_type == 'boolean' %}
            {%- set text = "case when " ~ value ~ " then 'true' when not " ~ value ~ " then 'false' end" %}
        {%- elif base_type in text_types %}
            {%- set text = 'cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ ')' %}
        {%- else %}
            {{ exceptions.raise_compiler_error(
                "config_row_text: column " ~ column.name ~ " of seed " ~ relation ~ " has type " ~ column.dtype
                ~ ", which has no engine-independent text here: give it a number, text, date or"
                ~ " boolean type (seeds' column_types in dbt_project.yml)") }}
        {%- endif %}
        {%- do parts.append("'" ~ column.name ~ "=' || coalesce(" ~ text ~ ", " ~ sql_string('\\N') ~ ")") %}
    {%- endfor %}
    {{ return(parts | join(" || ',' || ")) }}
{% endmacro %}


{#- SQL: `expression` (a number) as text with exactly `scale` decimals (0.250000000); null stays
    null. Spark writes a decimal below 1e-6 in E notation (0 as 0E-9), and format_string takes no
    decimal: there the rounded decimal is formatted as a double (exact for seed values of up to 15
    digits), and only when it is not null (format_string writes null as the text `null`, which
    made the hashes of seeds with an empty number cell differ from DuckDB's). -#}
{% macro decimal_text(expression, scale) %}
    {{ return(adapter.dispatch('decimal_text', 'customer_health')(expression, scale)) }}
{% endmacro %}

{% macro default__decimal_text(expression, scale) %}
    {{ return('cast(cast(' ~ expression ~ ' as decimal(38, ' ~ scale ~ ')) as ' ~ dbt.type_string() ~ ')') }}
{% endmacro %}

{% macro spark__decimal_text(expression, scale) %}
    {{ return("case when " ~ expression ~ " is not null then format_string('%." ~ scale ~ "f', cast(cast("
        ~ expression ~ " as decimal(38, " ~ scale ~ ")) as double)) end") }}
{% endmacro %}


{#- The parts of a configuration hash as rows (part, part_order, is_alert_part, part_hash), for
    int_signal_config and int_scoring_config: one per seed (the sorted hashes of its rows, each
    written by macro config_row_text), then one per group of vars (`named_vars`: part name →
    {var: value}, hashed as sorted JSON). `alert_seeds` are marked is_alert_part; part_order
    numbers them from `first_order` in the order given. -#}
{% macro config_part_rows(seeds, named_vars, alert_seeds=[], first_order=1) %}
    {%- set all_seeds = seeds + alert_seeds %}
    {%- for seed in all_seeds %}
        select
            '{{ seed }}' as part,
            {{ first_order + loop.index0 }} as part_order,
            {{ 'true' if seed in alert_seeds else 'false' }} as is_alert_part,
            {%- set row_hash = 'md5(' ~ config_row_text(ref(seed), 'config_rows') ~ ')' %}
            md5(coalesce({{ ordered_string_agg(row_hash, 'chr(10)', row_hash) }}, '')) as part_hash
        from {{ ref(seed) }} as config_rows  -- noqa: AL05
        {%- if not loop.last or named_vars %}
        union all
        {%- endif %}
    {%- endfor %}
    {%- for name, values in named_vars.items() %}
        select
            '{{ name }}' as part,
            {{ first_order + all_seeds | length + loop.index0 }} as part_order,
            false as is_alert_part,
            md5({{ sql_string(tojson(values, sort_keys=true)) }}) as part_hash
        {%- if not loop.last %}
        union all
        {%- endif %}
    {%- endfor %}
{% endmacro %}
