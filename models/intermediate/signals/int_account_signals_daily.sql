-- Every scored signal of every dimension in one place, for the composite score. One row per
-- account-day per signal. A view: the dimension models are the stored tables.
{{ config(materialized='view') }}

{%- set dimensions = ['onboarding', 'product', 'service', 'financial', 'relationship', 'human_input'] %}

{%- for dimension in dimensions %}
    select * from {{ ref('int_signals_' ~ dimension) }}  -- noqa: AM04
    {% if not loop.last %}union all{% endif %}
{%- endfor %}
