-- The drivers are ranked in two places by one tie rule (macro signal_tie_nudge): the
-- composite names every day's top driver down from its wide row (the alerts read it), and
-- int_account_health_movers labels the latest day's drivers from the long contributions (the
-- dimension and the what-if read them). On each account's latest day the top driver down must be
-- the first of the drivers down, ties included: a change to one ranking alone fails here with
-- the account, the day and both answers.
with latest_drivers as (
    select * from {{ ref('int_account_health_movers') }}
),

health as (
    select * from {{ ref('int_account_health_daily') }}
),

final as (
    select
        latest_drivers.account_id,
        latest_drivers.date_day,
        health.top_driver_down,
        latest_drivers.drivers_down
    from latest_drivers
    inner join health
        on latest_drivers.account_id = health.account_id
            and latest_drivers.date_day = health.date_day
    where {{ var('drivers_top_n') }} >= 1
        and coalesce({{ dbt.split_part('latest_drivers.drivers_down', "' '", 1) }}, '')
        <> coalesce(health.top_driver_down, '')
)

select * from final
