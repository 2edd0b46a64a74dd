{#- JSON held in text columns (Stripe metadata, the raw contract file). -#}

{#- The text of top-level key `key` of a JSON object held as text; null when the text is not valid
    JSON, is not an object or lacks the key (never an error: raw metadata may be malformed). -#}
{% macro json_text_value(expression, key) %}
    {{ return(adapter.dispatch('json_text_value', 'customer_health')(expression, key)) }}
{% endmacro %}

{% macro duckdb__json_text_value(expression, key) -%}
    case when json_valid(cast({{ expression }} as varchar))
        then json_extract_string(cast({{ expression }} as varchar), '$.{{ key }}')
    end
{%- endmacro %}

{#- Postgres 15 has no non-raising JSON validity test: try_json (cross_db_setup) returns null for
    text that does not parse. -#}
{% macro postgres__json_text_value(expression, key) -%}
    case when json_typeof({{ cross_db_function('try_json') }}(cast({{ expression }} as text))) = 'object'
        then {{ cross_db_function('try_json') }}(cast({{ expression }} as text)) ->> '{{ key }}'
    end
{%- endmacro %}

{#- Spark: get_json_object returns null for text that is not JSON or lacks the path; an array has
    no key either. -#}
{% macro spark__json_text_value(expression, key) -%}
    case when left(ltrim(cast({{ expression }} as string)), 1) = '{'
        then get_json_object(cast({{ expression }} as string), '$.{{ key }}')
    end
{%- endmacro %}
