{#- Numeric functions whose signatures differ between engines. -#}

{#- `expression` as text with exactly `digits` decimals (12.5 → '12.5' with 1), for messages. -#}
{% macro format_fixed(expression, digits) %}
    {{ return(adapter.dispatch('format_fixed', 'customer_health')(expression, digits)) }}
{% endmacro %}

{% macro duckdb__format_fixed(expression, digits) -%}
    printf('%.{{ digits }}f', {{ expression }})
{%- endmacro %}

{% macro postgres__format_fixed(expression, digits) -%}
    cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), {{ digits }}) as text)
{%- endmacro %}


{#- DuckDB's round of a double, everywhere: the double's exact binary value rounded to `digits`
    decimals half away from zero (round(2.675, 2) is 2.67: the double nearest 2.675 is a little
    less). Postgres' round(double) rounds half to even, and round(numeric, n) rounds a 15-digit
    decimal approximation, so each would publish some ties differently; the helper function
    cross_db.round_half_away (cross_db_setup) rounds the exact value. digits=none: to a whole
    number. -#}
{% macro round_half_away(expression, digits=none) %}
    {{ return(adapter.dispatch('round_half_away', 'customer_health')(expression, digits)) }}
{% endmacro %}

{% macro duckdb__round_half_away(expression, digits) -%}
    round({{ expression }}{% if digits is not none %}, {{ digits }}{% endif %})
{%- endmacro %}

{% macro postgres__round_half_away(expression, digits) -%}
    {{ cross_db_function('round_half_away') }}(cast({{ expression }} as {{ type_double() }}), {{ digits or 0 }})
{%- endmacro %}


{#- A double as text the way DuckDB writes it: the shortest text that reads back as the same
    double, with at least one decimal (12.5, 3.0, -0.0); for labels and evidence that must read
    the same on every engine. Postgres writes whole numbers without a decimal (3, -0). -#}
{% macro double_text(expression) %}
    {{ return(adapter.dispatch('double_text', 'customer_health')(expression)) }}
{% endmacro %}

{% macro duckdb__double_text(expression) -%}
    cast({{ expression }} as varchar)
{%- endmacro %}

{% macro postgres__double_text(expression) -%}
    regexp_replace(cast(cast({{ expression }} as {{ type_double() }}) as text), '^(-?[0-9]+)$', '\1.0')
{%- endmacro %}
