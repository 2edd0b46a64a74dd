{#- Type names. dbt.type_string(), dbt.type_bigint(), dbt.type_numeric() and dbt.type_timestamp()
    are used where they fit; dbt.type_float() is not: it is `float`, which is a 4-byte REAL in
    DuckDB and would silently lose precision. -#}

{#- An 8-byte floating-point type. -#}
{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'customer_health')()) }}
{% endmacro %}

{% macro default__type_double() %}
    {{ return('double precision') }}
{% endmacro %}

{% macro duckdb__type_double() %}
    {{ return('double') }}
{% endmacro %}

{#- Spark has `double`, not `double precision`. -#}
{% macro spark__type_double() %}
    {{ return('double') }}
{% endmacro %}


{#- `expression` (a number or text) as a double; null where it is not a number, never an error.
    dbt.safe_cast is no help: on Postgres it is a plain cast, which fails on 'n/a'. -#}
{% macro try_cast_double(expression) %}
    {{ return(adapter.dispatch('try_cast_double', 'customer_health')(expression)) }}
{% endmacro %}

{% macro duckdb__try_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}

{% macro postgres__try_cast_double(expression) -%}
    {{ cross_db_function('try_double') }}(cast({{ expression }} as text))
{%- endmacro %}

{% macro spark__try_cast_double(expression) -%}
    try_cast(cast({{ expression }} as string) as double)
{%- endmacro %}


{#- The text type: varchar on DuckDB and Postgres; Spark only knows varchar with a length
    (varchar(n)), and its unbounded text type is `string`. -#}
{% macro type_text() %}
    {{ return(adapter.dispatch('type_text', 'customer_health')()) }}
{% endmacro %}

{% macro default__type_text() %}
    {{ return('varchar') }}
{% endmacro %}

{% macro spark__type_text() %}
    {{ return('string') }}
{% endmacro %}


{#- `text` (a Jinja string) as an SQL string literal. DuckDB and Postgres double a quote and take
    a backslash as it is; in Spark a backslash escapes and '' ends the literal (two adjacent
    literals are joined), so both are backslash-escaped there. -#}
{% macro sql_string(text) %}
    {{ return(adapter.dispatch('sql_string', 'customer_health')(text)) }}
{% endmacro %}

{% macro default__sql_string(text) %}
    {{ return("'" ~ text | replace("'", "''") ~ "'") }}
{% endmacro %}

{% macro spark__sql_string(text) %}
    {{ return("'" ~ text | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") }}
{% endmacro %}


{#- dbt.cast on Spark, which dbt uses to check a model's contract (a select of cast(null as
    <declared type>) per column): the contracts' type names that both DuckDB and Postgres know
    but Spark does not (varchar without a length, double precision, text) as Spark's. dbt looks
    for spark__cast in the project before dbt-spark (which has none). -#}
{% macro spark__cast(field, type) -%}
    {%- set spark_names = {'varchar': 'string', 'text': 'string', 'character varying': 'string',
                           'double precision': 'double'} -%}
    cast({{ field }} as {{ spark_names.get(type | trim | lower, type) }})
{%- endmacro %}
