{#- Helper functions some engines need for the cross-db macros, created before any model runs
    (on-run-start) in schema `cross_db`. Nothing on DuckDB. -#}
{% macro cross_db_setup() %}
    {{ return(adapter.dispatch('cross_db_setup', 'customer_health')()) }}
{% endmacro %}

{% macro default__cross_db_setup() %}
    {{ return('') }}
{% endmacro %}

{% macro postgres__cross_db_setup() -%}
    create schema if not exists cross_db;
    create or replace function cross_db.try_json(value text) returns json
    language plpgsql immutable as $fn$
    begin
        return value::json;
    exception when others then
        return null;
    end
    $fn$;
    create or replace function cross_db.try_double(value text) returns double precision
    language plpgsql immutable as $fn$
    begin
        return value::double precision;
    exception when others then
        return null;
    end
    $fn$;
{%- endmacro %}


{#- A helper function cross_db_setup created, schema-qualified. -#}
{% macro cross_db_function(name) -%}
    cross_db.{{ name }}
{%- endmacro %}
