{#- Turns one row per account-day with a column per signal into one row per account-day per
    signal: account_id, date_day, signal_name, signal_value, missing_reason. `signals` maps each
    signal column to the column holding why it is missing (or none); they must be the signals var
    signals lists for `dimension`, the vocabulary the stored wide rows are made of. -#}
{% macro unpivot_signals(relation, signals, dimension) %}
    {%- set configured = var('signals')[dimension] if dimension in var('signals') else [] %}
    {%- if (signals.keys() | list | sort) != (configured | sort) %}
        {{ exceptions.raise_compiler_error(
            model.name ~ " computes signals " ~ (signals.keys() | list | sort | join(', '))
            ~ " but var signals lists for dimension '" ~ dimension ~ "': "
            ~ (configured | sort | join(', ')) ~ ". Add the signal to var signals in dbt_project.yml"
            ~ " (and to seeds signal_thresholds.csv and health_weights.csv), or remove it here.") }}
    {%- endif %}
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
