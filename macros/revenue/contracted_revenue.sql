{#- The contracted recurring revenue of the account-days of `days` (a relation or CTE with
    account_id and date_day): the subscriptions of `subscriptions` (int_account_subscriptions'
    columns) in force that day (started on or before it and not yet ended; one without a start
    never is), each worth its mrr (plan_amount × quantity normalised to a month), summed in their
    currency. One row per account-day of `days` and currency; an account-day with none in force
    gets one row of zeros and a null currency. The one definition of contracted MRR per day:
    int_account_revenue_daily (every day of the spine) and the readers that need a few days of it
    (the reconciliation's month ends, the dimension's latest day), which apply it to those days
    only: subscriptions are landed in their newest state, so a stored history would be rewritten
    whole on every run. -#}
{% macro contracted_revenue(days, subscriptions) -%}
    select
        days.account_id,
        days.date_day,
        in_force.currency,
        coalesce(in_force.mrr, 0) as mrr,
        {{ arr_from_mrr('coalesce(in_force.mrr, 0)') }} as arr,
        coalesce(in_force.count_seats, 0) as count_seats,
        coalesce(in_force.count_subscriptions, 0) as count_subscriptions
    from {{ days }} as days
    left join (
        select
            days.account_id,
            days.date_day,
            subscriptions.currency,
            {{ exact_sum('subscriptions.mrr', digits=38) }} as mrr,
            cast(sum(subscriptions.quantity) as bigint) as count_seats,
            count(*) as count_subscriptions
        from {{ days }} as days
        inner join {{ subscriptions }} as subscriptions
            on days.account_id = subscriptions.account_id
                and subscriptions.started_on <= days.date_day
                and (subscriptions.ended_on is null or days.date_day < subscriptions.ended_on)
        group by days.account_id, days.date_day, subscriptions.currency
    ) as in_force
        on days.account_id = in_force.account_id and days.date_day = in_force.date_day
{%- endmacro %}
