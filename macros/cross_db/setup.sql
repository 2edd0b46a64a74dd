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
    {#- DuckDB's round(double, digits): the exact binary value, half away from zero. A double is
        mantissa * 2^-shift with an integer mantissa (below 2^55 for the shift taken here); the
        rounding is then integer arithmetic on numerics, exact, and the decimal result is read
        back as the nearest double. -#}
    create or replace function cross_db.round_half_away(value double precision, digits integer)
    returns double precision
    language plpgsql immutable strict as $fn$
    declare
        exponent integer;
        shift integer;
        mantissa numeric;
        half_steps numeric;
        rounded double precision;
    begin
        if value = 0 or value <> value or abs(value) >= 4503599627370496 then
            return value;  -- zero, not a number, infinite, or a whole number already
        end if;
        if abs(value) < 1e-250 then
            return value * 0;
        end if;
        -- The binary exponent, from a double logarithm (numeric log is slow) corrected by one
        -- where it lands beside a power of two: 2^exponent <= |value| < 2^(exponent + 1).
        exponent := floor(ln(abs(value)) / ln(cast(2 as double precision)))::integer;
        if abs(value) < power(cast(2 as double precision), exponent) then
            exponent := exponent - 1;
        elsif abs(value) >= power(cast(2 as double precision), exponent + 1) then
            exponent := exponent + 1;
        end if;
        shift := 53 - exponent;
        mantissa := cast(cast(abs(value) * power(cast(2 as double precision), shift) as bigint) as numeric);
        half_steps := power(cast(2 as numeric), shift);
        rounded := cast(
            div(mantissa * power(cast(10 as numeric), digits) * 2 + half_steps, half_steps * 2)
            / power(cast(10 as numeric), digits) as double precision
        );
        return case when value < 0 then -rounded else rounded end;
    end
    $fn$;
{%- endmacro %}


{#- A helper function cross_db_setup created, schema-qualified. -#}
{% macro cross_db_function(name) -%}
    cross_db.{{ name }}
{%- endmacro %}
