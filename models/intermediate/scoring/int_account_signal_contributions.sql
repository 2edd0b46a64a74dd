-- How many points does each signal add to or take from an account's score on a day? One row per
-- account-day per signal with a weight above zero in the set in force (or in today's set). A view:
-- it is read for a few days at a time (movers, coverage, explaining a score), so it is never
-- stored for every day. It joins each signal to the weights and totals the composite used that
-- day (int_account_health_daily), so points = weight_share × (score − 50) add up to the score
-- − 50, and points_current_weights do the same with the weights in force on the as-of date.
with signals as (
    select * from {{ ref('int_account_signals_daily') }}
),

health as (
    select * from {{ ref('int_account_health_daily') }}
),

weights as (
    select * from {{ ref('int_health_weights') }}
),

final as (
    {{ signal_contributions('signals', 'health', 'weights') }}
)

select * from final
