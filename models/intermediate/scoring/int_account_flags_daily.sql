-- Which warning flags does each account carry on each day? One row per account-day per flag
-- raised, by the rules of seed health_flags: a flag is raised when any of its rules holds (a
-- rule compares one signal's value, or the pseudo-signal `coverage`, with a threshold, in all
-- stages or one). A view of macro account_flags over every day: the signal rules' hits are
-- stored (int_account_flag_hits_daily, which a change of weights leaves alone), the coverage
-- rules are checked on the composite's coverage, which the weights change. The marts apply the
-- macro to the days they read.
with signal_rule_hits as (
    select * from {{ ref('int_account_flag_hits_daily') }}
),

coverage_days as (
    select * from {{ ref('int_account_health_daily') }}
),

flag_rules as (
    select * from {{ ref('health_flags') }}
),

final as (
    {{ account_flags('signal_rule_hits', 'coverage_days', 'flag_rules') }}
)

select * from final
