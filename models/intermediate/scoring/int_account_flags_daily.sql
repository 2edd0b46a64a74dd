-- Which warning flags does each account carry on each day? One row per account-day per flag
-- raised, by the rules of seed health_flags: a flag is raised when any of its rules holds (a
-- rule compares one signal's value, or the pseudo-signal `coverage`, with a threshold, in all
-- stages or one). A view: the signal rules' hits are stored (int_account_flag_hits_daily, which a
-- change of weights leaves alone), the coverage rules are checked here on the composite's
-- coverage, which the weights change. Readers filter it by day (the filter reaches both tables).
with flag_rules as (
    select * from {{ ref('health_flags') }}
),

coverage_rules as (
    select * from flag_rules
    where signal_name = 'coverage'
),

signal_rule_hits as (
    select
        account_id,
        date_day,
        flag_name,
        severity,
        signal_name,
        signal_value
    from {{ ref('int_account_flag_hits_daily') }}
),

coverage as (
    select
        account_id,
        date_day,
        lifecycle_stage,
        'coverage' as signal_name,
        coverage as signal_value
    from {{ ref('int_account_health_daily') }}
),

coverage_rule_hits as (
    select
        coverage.account_id,
        coverage.date_day,
        coverage_rules.flag_name,
        coverage_rules.severity,
        coverage.signal_name,
        coverage.signal_value
    from coverage
    inner join coverage_rules
        on {{ flag_rule_holds('coverage', 'coverage_rules') }}
),

rule_hits as (
    select * from signal_rule_hits
    union all
    select * from coverage_rule_hits
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

select * from final
