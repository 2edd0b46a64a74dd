-- On which days is an account a customer to be scored? One row per account per day from its
-- customer start (or the data's start, int_as_of_date.data_start_on, if later) to the as-of
-- date, or to its churn day, which is then the last row.
with accounts as (
    select * from {{ ref('int_accounts') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

calendar as (
    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('" ~ var('calendar_start') ~ "' as date)",
        end_date="cast('" ~ var('calendar_end') ~ "' as date)"
    ) }}
),

days as (
    select cast(date_day as date) as date_day from calendar
),

final as (
    select
        accounts.account_id,
        days.date_day,
        {{ dbt.datediff('accounts.customer_start_on', 'days.date_day', 'day') }} as days_since_start,  -- noqa: LT05
        coalesce(days.date_day = accounts.customer_end_on, false) as is_churn_day,
        days.date_day = {{ least_ignore_nulls('as_of.as_of_on', 'coalesce(accounts.customer_end_on, as_of.as_of_on)') }}
            as is_latest_day
    from accounts
    cross join as_of
    inner join days
        on days.date_day >= {{ greatest_ignore_nulls('accounts.customer_start_on', 'as_of.data_start_on') }}
            and days.date_day
            <= {{ least_ignore_nulls('as_of.as_of_on', 'coalesce(accounts.customer_end_on, as_of.as_of_on)') }}
)

select * from final
