-- Every signal's value and score on each account-day, in one wide row: the stored signal scores
-- the composite is computed from (int_account_health_daily). A change of weights re-scores
-- history from this table without recomputing a signal. One row per account-day; per signal of
-- var signals a <signal>__value and a <signal>__score column, both null when the signal is
-- missing (its weight is then re-spread over the present ones).
with signals as (
    select * from {{ ref('int_account_signals_daily') }}
    where {{ in_run_days('date_day') }}
),

final as (
    select
        account_id,
        date_day,
        any_value(lifecycle_stage) as lifecycle_stage,
        any_value(customer_tier) as customer_tier,
        {%- for dimension, signal_names in var('signals').items() %}
            {%- for signal_name in signal_names %}
        max(signal_value) filter (where signal_name = '{{ signal_name }}' and not is_missing)
            as {{ signal_name }}__value,
        max(score) filter (where signal_name = '{{ signal_name }}' and not is_missing)
            as {{ signal_name }}__score,
            {%- endfor %}
        {%- endfor %}
        {{ scoring_config_hash() }} as scoring_config_hash
    from signals
    group by account_id, date_day
)

select * from final
