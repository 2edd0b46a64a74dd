{#- Numeric functions whose signatures differ between engines. -#}

{#- `expression` rounded to `digits` decimals, as a double. Postgres rounds to digits only
    numerics (there is no round(double precision, integer)). -#}
{% macro round_to(expression, digits) %}
    {{ return(adapter.dispatch('round_to', 'customer_health')(expression, digits)) }}
{% endmacro %}

{% macro duckdb__round_to(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro postgres__round_to(expression, digits) -%}
    cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), {{ digits }}) as {{ type_double() }})
{%- endmacro %}


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
