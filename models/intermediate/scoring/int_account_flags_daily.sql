-- Which warning flags does each account carry on each day? One row per account-day per flag
-- raised, by the rules of seed health_flags: a flag is raised when any of its rules holds (a
-- rule compares one signal's value, or the pseudo-signal `coverage`, with a threshold, in all
-- stages or one).
with flag_rules as (
    select * from {{ ref('health_flags') }}
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

health as (
    select * from {{ ref('int_account_health_daily') }}
    where {{ in_run_days('date_day') }}
),

values_to_check as (
    select * from signals
    union all
    select
        account_id,
        date_day,
        lifecycle_stage,
        'coverage' as signal_name,
        coverage as signal_value
    from health
),

rule_hits as (
    select
        values_to_check.account_id,
        values_to_check.date_day,
        flag_rules.flag_name,
        flag_rules.severity,
        values_to_check.signal_name,
        values_to_check.signal_value,
        flag_rules.threshold
    from values_to_check
    inner join flag_rules
        on values_to_check.signal_name = flag_rules.signal_name
            and (flag_rules.lifecycle_stage = 'all' or values_to_check.lifecycle_stage = flag_rules.lifecycle_stage)
            and case flag_rules.comparison
                when '>=' then values_to_check.signal_value >= flag_rules.threshold
                when '>' then values_to_check.signal_value > flag_rules.threshold
                when '<=' then values_to_check.signal_value <= flag_rules.threshold
                when '<' then values_to_check.signal_value < flag_rules.threshold
                when '=' then values_to_check.signal_value = flag_rules.threshold
            end
),

final as (
    select
        account_id,
        date_day,
        flag_name,
        min(severity) as severity,
        {{ ordered_string_agg(
            "signal_name || '=' || " ~ double_text(round_half_away('signal_value', 2)), "', '", 'signal_name'
        ) }} as evidence
    from rule_hits
    group by account_id, date_day, flag_name
)

select
    *,
    {{ scoring_config_hash() }} as scoring_config_hash
from final
