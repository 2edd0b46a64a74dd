{#- Turns one row per account-day with a column per signal into one row per account-day per
    signal: account_id, date_day, signal_name, signal_value, missing_reason. `signals` maps each
    signal column to the column holding why it is missing (or none). -#}
{% macro unpivot_signals(relation, signals) %}
    {%- for signal_name, missing_reason in signals.items() %}
    select
        account_id,
        date_day,
        '{{ signal_name }}' as signal_name,
        cast({{ signal_name }} as double) as signal_value,
        cast({{ missing_reason if missing_reason else 'null' }} as varchar) as missing_reason
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
