-- Every signal's value and score on each account-day, in one wide row: the stored signal scores
-- the composite is computed from (int_account_health_daily). A change of weights re-scores
-- history from these rows without recomputing a signal. A view joining the wide
-- int_signals_<dimension> tables, which all hold one row per account-day of the stage spine.
-- Per signal of var signals: <signal>__value and <signal>__score, both null when it is missing
-- (its weight is then re-spread over the present ones).
{%- set dimensions = var('signals').keys() | list %}

with
{%- for dimension in dimensions %}
    {{ dimension }} as (
        select * from {{ ref('int_signals_' ~ dimension) }}
    ),
{% endfor %}

final as (
    select
        {{ dimensions[0] }}.account_id,
        {{ dimensions[0] }}.date_day,
        {{ dimensions[0] }}.lifecycle_stage,
        {{ dimensions[0] }}.customer_tier,
        {%- for dimension, signal_names in var('signals').items() %}
            {%- set dimension_loop = loop %}
            {%- for signal_name in signal_names %}
                {{ dimension }}.{{ signal_name }}__value,
                {{ dimension }}.{{ signal_name }}__score{% if not (dimension_loop.last and loop.last) %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from {{ dimensions[0] }}
    {%- for dimension in dimensions[1:] %}
    inner join {{ dimension }}
        on {{ dimensions[0] }}.account_id = {{ dimension }}.account_id
            and {{ dimensions[0] }}.date_day = {{ dimension }}.date_day
    {%- endfor %}
)

select * from final
