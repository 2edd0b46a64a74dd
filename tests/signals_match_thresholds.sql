-- var signals (the scoring vocabulary SQL reads) and seed signal_thresholds (the thresholds of
-- each signal) must name the same signals in the same dimensions: a signal in one and not the
-- other would be scored without a weight column, or weighted without a score.
with configured as (
    {%- for dimension, signal_names in var('signals').items() %}
        {%- for signal_name in signal_names %}
            select
                '{{ dimension }}' as dimension,
                '{{ signal_name }}' as signal_name
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

thresholds as (
    select distinct
        dimension,
        signal_name
    from {{ ref('signal_thresholds') }}
),

final as (
    select
        coalesce(configured.signal_name, thresholds.signal_name) as signal_name,
        configured.dimension as dimension_in_var_signals,
        thresholds.dimension as dimension_in_signal_thresholds
    from configured
    full outer join thresholds
        on configured.signal_name = thresholds.signal_name
            and configured.dimension = thresholds.dimension
    where configured.signal_name is null or thresholds.signal_name is null
)

select * from final
