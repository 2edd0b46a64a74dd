{#- Regular expressions. DuckDB and Postgres both take POSIX-style patterns for what this project
    uses (classes, anchors, alternation); the function names differ. -#}

{#- True when `expression` contains a match of `pattern` (a regular expression as text, not SQL:
    the macro quotes it); null stays null. Written in RE2 syntax (DuckDB's); `(?i)` at the start
    works on both engines. A word boundary `\b` is `\y` in Postgres, where `\b` means backspace and
    would silently never match: the postgres version rewrites it. -#}
{% macro regexp_like(expression, pattern) %}
    {{ return(adapter.dispatch('regexp_like', 'customer_health')(expression, pattern)) }}
{% endmacro %}

{% macro duckdb__regexp_like(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern | replace("'", "''") }}')
{%- endmacro %}

{% macro postgres__regexp_like(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern | replace("'", "''") | replace("\\b", "\\y") }}')
{%- endmacro %}

{#- Spark: Java regular expressions (`(?i)` and `\b` as in RE2); in a Spark string literal a
    backslash escapes, so it is doubled, and a quote is written \' ('' would end the literal). -#}
{% macro spark__regexp_like(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern | replace("\\", "\\\\") | replace("'", "\\'") }}')
{%- endmacro %}


{#- The first match of `pattern` in `expression` (the whole match), else an empty string (DuckDB's
    regexp_extract); null stays null. -#}
{% macro regexp_substring(expression, pattern) %}
    {{ return(adapter.dispatch('regexp_substring', 'customer_health')(expression, pattern)) }}
{% endmacro %}

{% macro duckdb__regexp_substring(expression, pattern) -%}
    regexp_extract({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regexp_substring(expression, pattern) -%}
    coalesce((regexp_match({{ expression }}, '(' || {{ pattern }} || ')'))[1], case when {{ expression }} is not null then '' end)
{%- endmacro %}

{% macro spark__regexp_substring(expression, pattern) -%}
    regexp_extract({{ expression }}, {{ pattern }}, 0)
{%- endmacro %}
