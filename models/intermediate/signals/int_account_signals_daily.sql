-- Every scored signal of every dimension in one place, long: one row per account-day per signal,
-- for readers that pick a few signals or days (flags, contributions, monitoring, what-if). A view
-- over the wide int_signals_<dimension> tables, which store one row per account-day.
{{ config(materialized='view') }}

{%- set relations = {} %}
{%- for dimension in var('signals') %}
    {%- do relations.update({dimension: ref('int_signals_' ~ dimension)}) %}
{%- endfor %}

{{ long_signal_scores(relations) }}
