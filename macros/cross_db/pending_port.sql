{#-
    TO PORT (issue 17): portable versions of dispatched macros that live in files the scoring
    rewrite (issue 15) owns (macros/scoring/). dbt resolves a dispatch while parsing, so without a
    default__ the whole project fails to parse on any engine but DuckDB. Move each macro beside its
    duckdb__ version (and delete it here) when the scoring chain is ported.
-#}

{#- macros/scoring/top_labels.sql: the first n labels in order, joined with '; ', as an ordered
    array aggregate (Postgres, and any engine with array slices). -#}
{% macro default__top_labels(label, order_by, n, condition, descending) -%}
    nullif(array_to_string(
        (array_agg({{ label }} order by {{ order_by }}{{ ' desc' if descending }})
            filter (where {{ condition }}))[1:{{ n }}],
        '; '
    ), '')
{%- endmacro %}
