-- Why is each account's score what it is, and what moved it? One row per account-day: the
-- signals taking the most points from the score and adding the most (points against a neutral
-- 50), and the signals whose points changed most over var driver_change_days days.
{%- set top_n = var('drivers_top_n') %}

with contributions as (
    select * from {{ ref('int_account_signal_contributions') }}
    where not is_missing
),

-- Points of the same signal var driver_change_days days earlier (an equi-join, not a window).
with_change as (
    select
        contributions.account_id,
        contributions.date_day,
        contributions.signal_name,
        contributions.points,
        contributions.signal_name || ' ' || cast(round(contributions.signal_value, 2) as varchar)
        || ' (' || case when contributions.points > 0 then '+' else '' end
        || cast(round(contributions.points, 1) as varchar) || ')' as driver_label,
        contributions.points - earlier.points as points_change
    from contributions
    left join contributions as earlier
        on contributions.account_id = earlier.account_id
        and contributions.signal_name = earlier.signal_name
        and earlier.date_day = contributions.date_day - {{ var('driver_change_days') }}
),

final as (
    select
        account_id,
        date_day,
        {{ top_labels('driver_label', 'points', top_n, 'points < 0', descending=false) }} as drivers_down,
        {{ top_labels('driver_label', 'points', top_n, 'points > 0', descending=true) }} as drivers_up,
        {{ top_labels(
            "signal_name || ' ' || case when points_change >= 0 then '+' else '' end "
            ~ "|| cast(round(points_change, 1) as varchar)",
            'abs(points_change)', top_n, 'abs(points_change) >= 0.05', descending=true
        ) }} as drivers_moved,
        min_by(signal_name, points) filter (where points < 0) as top_driver_down
    from with_change
    group by account_id, date_day
)

select * from final
