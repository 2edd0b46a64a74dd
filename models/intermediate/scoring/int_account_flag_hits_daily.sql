-- Which signal rules of seed health_flags hold on each account-day? One row per account-day per
-- rule that holds (a rule is a flag and a signal): it compares the signal's value with a
-- threshold, in all stages or one.
-- The pseudo-signal `coverage` is not here: it depends on the weights, and int_account_flags_daily
-- adds its rules from the composite. So the rows depend on the signals and the flag rules only
-- (meta config_hash flag_config_hash): a change of weights re-scores history and leaves them.
with flag_rules as (
    select * from {{ ref('health_flags') }}
    where signal_name != 'coverage'
),

-- Only the signals some rule reads (macro flag_rule_signals: the other signals' branches of the
-- long view are not read).
signals as (
    select
        account_id,
        date_day,
        lifecycle_stage,
        signal_name,
        signal_value
    from {{ ref('int_account_signals_daily') }}
    where not is_missing
        and {{ flag_rule_signals('signal_name', 'flag_rules') }}
        and {{ in_run_days('date_day') }}
),

final as (
    select
        signals.account_id,
        signals.date_day,
        flag_rules.flag_name,
        flag_rules.severity,
        signals.signal_name,
        signals.signal_value
    from signals
    inner join flag_rules
        on {{ flag_rule_holds('signals', 'flag_rules') }}
)

select
    *,
    {{ scoring_config_hash() }} as scoring_config_hash
from final
