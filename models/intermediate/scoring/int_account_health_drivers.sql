-- Why is each account's score what it is on each day? One row per account-day: the signals
-- taking the most points from the score and those adding the most (value and points against a
-- neutral 50). Signals are ranked on numbers alone and labels are built only for the few picked,
-- so the ranking stays lean on every account-day. What moved the score over time is in
-- int_account_health_movers (for the latest day).
{%- set top_n = var('drivers_top_n') %}

with contributions as (
    select
        account_id,
        date_day,
        signal_name,
        signal_value,
        points
    from {{ ref('int_account_signal_contributions') }}
    where not is_missing and {{ in_run_days('date_day') }}
),

signal_orders as (
    {{ signal_orders() }}
),

-- Equal points (two unmet milestones of equal weight) are told apart by signal name. One window
-- (one sort): the rank from the top is the group size minus the rank from the bottom, as the
-- nudged keys of an account-day are all distinct.
ranked as (
    select
        contributions.*,
        contributions.points + signal_orders.tie_nudge as rank_key,
        row_number() over account_day as rank_down,
        count(*) over account_day - row_number() over account_day + 1 as rank_up
    from contributions
    inner join signal_orders on contributions.signal_name = signal_orders.signal_name
    window account_day as (
        partition by contributions.account_id, contributions.date_day
        order by contributions.points + signal_orders.tie_nudge
        rows between unbounded preceding and unbounded following
    )
),

-- The lowest and highest few of each account-day (rank 1 always, so every account-day keeps a row).
picked as (
    select
        *,
        signal_name || ' ' || cast(round(signal_value, 2) as varchar)
        || ' (' || case when points > 0 then '+' else '' end
        || cast(round(points, 1) as varchar) || ')' as driver_label
    from ranked
    where rank_down <= {{ top_n }} or rank_up <= {{ top_n }}
),

final as (
    select
        account_id,
        date_day,
        nullif(
            string_agg(driver_label, '; ' order by rank_key) filter (where points < 0 and rank_down <= {{ top_n }}),
            ''
        ) as drivers_down,
        nullif(
            string_agg(driver_label, '; ' order by rank_key desc) filter (where points > 0 and rank_up <= {{ top_n }}),
            ''
        ) as drivers_up,
        min_by(signal_name, rank_key) filter (where points < 0) as top_driver_down
    from picked
    group by account_id, date_day
)

select
    *,
    {{ scoring_config_hash() }} as scoring_config_hash
from final
