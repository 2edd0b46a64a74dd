-- Why is each account's score what it is on each day? One row per account-day: the signals
-- taking the most points from the score and those adding the most (value and points against a
-- neutral 50), picked with hash aggregates so it stays cheap on every account-day. What moved
-- the score over time is in int_account_health_movers (for the latest day).
{%- set top_n = var('drivers_top_n') %}

with contributions as (
    select * from {{ ref('int_account_signal_contributions') }}
    where not is_missing
),

labelled as (
    select
        account_id,
        date_day,
        signal_name,
        points,
        signal_name || ' ' || cast(round(signal_value, 2) as varchar)
        || ' (' || case when points > 0 then '+' else '' end
        || cast(round(points, 1) as varchar) || ')' as driver_label
    from contributions
),

final as (
    select
        account_id,
        date_day,
        {{ top_labels('driver_label', 'points', top_n, 'points < 0', descending=false) }} as drivers_down,
        {{ top_labels('driver_label', 'points', top_n, 'points > 0', descending=true) }} as drivers_up,
        min_by(signal_name, points) filter (where points < 0) as top_driver_down
    from labelled
    group by account_id, date_day
)

select * from final
