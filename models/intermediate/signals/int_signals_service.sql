-- How much support does each account need, how urgent, how well is it served, and is its CSAT
-- moving? One wide row per account-day with the service signals' values and scores (macro
-- score_signals), a same-day step from the support facts of the day (int_account_support_daily).
with support as (
    select * from {{ ref('int_account_support_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

-- Only the days this run scores (macro in_run_days), as `support`.
billing as (
    select * from {{ ref('int_account_billing_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

measures as (
    select
        support.account_id,
        support.date_day,
        cast(support.count_opened_window as {{ type_double() }}) / nullif(billing.count_seats, 0) as tickets_per_seat,
        case when coalesce(billing.count_seats, 0) = 0 then 'no_paid_seats' end as seats_missing_reason,
        support.count_open as open_tickets,
        support.count_urgent_open as urgent_open_tickets,
        support.median_days_to_resolve as days_to_resolve,
        'no_ticket_solved_in_window' as resolve_missing_reason,
        cast(support.count_bad_ratings_window as {{ type_double() }})
        / nullif(support.count_good_ratings_window + support.count_bad_ratings_window, 0) as bad_rating_share,
        'no_rating_in_window' as rating_missing_reason,
        cast(support.sum_csat_window as {{ type_double() }}) / nullif(support.count_csat_window, 0)
        - cast(support.sum_csat_before as {{ type_double() }}) / nullif(support.count_csat_before, 0) as csat_change,
        case
            when support.count_csat_window = 0 then 'no_recent_csat'
            else 'no_earlier_csat'
        end as csat_missing_reason
    from support
    inner join billing on support.account_id = billing.account_id and support.date_day = billing.date_day
),

final as (
    {{ score_signals('measures', {
        'tickets_per_seat': 'seats_missing_reason',
        'open_tickets': none,
        'urgent_open_tickets': none,
        'days_to_resolve': 'resolve_missing_reason',
        'bad_rating_share': 'rating_missing_reason',
        'csat_change': 'csat_missing_reason',
    }, 'service') }}
)

select * from final
