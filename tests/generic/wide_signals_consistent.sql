{#- A wide signal table (int_signals_<dimension>) holds, per signal of var signals[dimension], a
    value, scores and a missing reason that agree: a signal is missing (reason set) exactly when
    its value and score are null, and every score lies in 0-100. Each failing row names the
    signal and what is wrong. -#}
{% test wide_signals_consistent(model) %}
    {%- set dimension = model.identifier | replace('int_signals_', '') %}
    {%- if not execute %}
        {%- set dimension = (var('signals').keys() | list)[0] %}
    {%- elif dimension not in var('signals') %}
        {{ exceptions.raise_compiler_error(
            "wide_signals_consistent: " ~ model.identifier ~ " is not an int_signals_<dimension> model"
            ~ " of a dimension in var signals") }}
    {%- endif %}
    {%- for signal_name in var('signals')[dimension] %}
    select
        account_id,
        date_day,
        '{{ signal_name }}' as signal_name,
        case
            when ({{ signal_name }}__missing_reason is not null) != ({{ signal_name }}__value is null)
                then 'missing_reason does not match a null value'
            when ({{ signal_name }}__value is null) != ({{ signal_name }}__score is null)
                then 'score and value disagree on null'
            else 'score outside 0-100'
        end as problem
    from {{ model }}
    where ({{ signal_name }}__missing_reason is not null) != ({{ signal_name }}__value is null)
        or ({{ signal_name }}__value is null) != ({{ signal_name }}__score is null)
        or {{ signal_name }}__score not between 0 and 100
        or {{ signal_name }}__score_absolute not between 0 and 100
        or {{ signal_name }}__score_peer not between 0 and 100
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endtest %}
