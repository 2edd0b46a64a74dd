-- Which deals did each account close recently, up to each day? One row per account-day of the
-- spine with the opportunity facts the financial signals read: upsells won and the outcome of the
-- latest renewal closed within var deal_lookback_days days. Point-in-time (by close date).
{%- set deal_window = var('deal_lookback_days') %}

-- A daily run computes the window over the days it rewrites plus one deal window before them
-- (macro fact_days). Nothing needs carrying in: a renewal counts only within the deal window.
with days as (
    {{ fact_days(context_days=deal_window) }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunity') }}
),

deals as (
    select
        account_id,
        close_on as date_day,
        sum(case when opportunity_type = 'Upsell' and is_won then 1 else 0 end) as count_upsells_won,
        max(case when opportunity_type = 'Renewal' and is_closed then cast(is_won as integer) end)
            as renewal_outcome
    from opportunities
    where is_closed
    group by account_id, close_on
),

rolling as (
    select
        days.account_id,
        days.date_day,
        sum(coalesce(deals.count_upsells_won, 0)) over deal_window as count_upsells_won_window,
        {{ last_non_null('deals.renewal_outcome', 'account_history') }} as latest_renewal_outcome,
        max(case when deals.renewal_outcome is not null then days.date_day end) over account_history
            as latest_renewal_closed_on
    from days
    left join deals on days.account_id = deals.account_id and days.date_day = deals.date_day
    window
        account_history as (partition by days.account_id order by days.date_day rows unbounded preceding),
        deal_window as (partition by days.account_id order by days.date_day rows {{ deal_window - 1 }} preceding)
),

-- The latest renewal is kept only within the deal window, which the context days cover, so a
-- daily run stores what a full build does.
facts as (
    select
        account_id,
        date_day,
        count_upsells_won_window,
        case when latest_renewal_closed_on > date_day - {{ deal_window }} then latest_renewal_outcome end
            as renewal_outcome_window,
        case when latest_renewal_closed_on > date_day - {{ deal_window }} then latest_renewal_closed_on end
            as renewal_closed_on_window
    from rolling
),

-- Only the days the run rewrites are stored.
final as (
    {{ fact_rows_to_store('facts') }}
)

select * from final
