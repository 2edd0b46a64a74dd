-- Every scored signal of every dimension in one place, long: one row per account-day per signal,
-- for readers that pick a few signals or days (flags, contributions, monitoring, what-if). A view
-- over the wide int_signals_<dimension> tables, which store one row per account-day.
{{ config(materialized='view') }}

{%- for dimension, signal_names in var('signals').items() %}
    {%- set dimension_loop = loop %}
    {%- for signal_name in signal_names %}
        select
            account_id,
            date_day,
            '{{ dimension }}' as dimension,
            '{{ signal_name }}' as signal_name,
            {{ signal_name }}__value as signal_value,
            {{ signal_name }}__score_absolute as score_absolute,
            {{ signal_name }}__score_peer as score_peer,
            {{ signal_name }}__score as score,
            {{ signal_name }}__missing_reason is not null as is_missing,
            {{ signal_name }}__missing_reason as missing_reason,
            lifecycle_stage,
            customer_tier,
            scoring_config_hash
        from {{ ref('int_signals_' ~ dimension) }}
        {% if not (dimension_loop.last and loop.last) %}union all{% endif %}
    {%- endfor %}
{%- endfor %}
