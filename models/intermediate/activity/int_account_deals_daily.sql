-- Which deals did each account close recently, up to each day? One row per account-day of the
-- spine with the opportunity facts the financial signals read: upsells won and the outcome of the
-- latest renewal closed within var deal_lookback_days days. Point-in-time (by close date).
{%- set deal_window = var('deal_lookback_days') %}
{#- Upsells won kept as a running total (count_upsells_won_to_date): the window's count is that
    total less the one deal_lookback_days days before (macro window_total). #}
{%- set reaches = {'count_upsells_won': [deal_window]} %}

-- A daily run reads only the days it rewrites (macro fact_days): the upsells' running total and
-- the latest renewal continue from this model's stored row of the day before (macro
-- join_stored_day_before), and the window subtracts the stored total of the day it reaches back
-- to. A full build reads every day and carries nothing.
with days as (
    {{ fact_days() }}
),
{%- if is_incremental() %}

    -- The stored rows of the days the window reaches back to, before the first day read.
    stored_days as (
        {{ stored_days_before('(select min(read_days.date_day) from days as read_days)', reaches) }}
    ),
{%- endif %}

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
        coalesce({{ stored_before('count_upsells_won_to_date') }}, 0)
        + sum(coalesce(deals.count_upsells_won, 0)) over account_history as count_upsells_won_to_date,
        coalesce(
            {{ last_non_null('deals.renewal_outcome', 'account_history') }},
            {{ stored_before('latest_renewal_outcome') }}
        ) as latest_renewal_outcome,
        coalesce(
            max(case when deals.renewal_outcome is not null then days.date_day end) over account_history,
            {{ stored_before('latest_renewal_closed_on') }}
        ) as latest_renewal_closed_on
    from days
    left join deals on days.account_id = deals.account_id and days.date_day = deals.date_day
    {{- join_stored_day_before() }}
    window account_history as (partition by days.account_id order by days.date_day rows unbounded preceding)
),

-- The running total a deal window back (macro running_totals_back).
totals_back as (
    {{ running_totals_back('rolling', 'stored_days' if is_incremental() else none, reaches) }}
),

-- The latest renewal is kept only within the deal window.
facts as (
    select
        rolling.account_id,
        rolling.date_day,
        {{ window_total('rolling', 'count_upsells_won', deal_window) }} as count_upsells_won_window,
        case when rolling.latest_renewal_closed_on > rolling.date_day - {{ deal_window }}
                then rolling.latest_renewal_outcome
        end as renewal_outcome_window,
        case when rolling.latest_renewal_closed_on > rolling.date_day - {{ deal_window }}
                then rolling.latest_renewal_closed_on
        end as renewal_closed_on_window,
        rolling.count_upsells_won_to_date,
        rolling.latest_renewal_outcome,
        rolling.latest_renewal_closed_on
    from rolling
    inner join totals_back
        on rolling.account_id = totals_back.account_id
            and rolling.date_day = totals_back.date_day
),

-- Only the days the run rewrites are stored.
final as (
    {{ fact_rows_to_store('facts') }}
)

select * from final
