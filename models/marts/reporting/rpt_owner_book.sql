-- How is each CSM's book doing today? One row per account owner (CRM user; accounts without an
-- owner under owner_user_id 'unassigned') over the current customers: accounts, recurring
-- revenue, band mix, the accounts that moved most in 30 days, alerts still open and the
-- renewals due in the next var book_renewal_days days (dim_account_health's next renewal).
{%- set mover_points = var('book_mover_points') %}
{#- A column per band, and the lowest band's ARR and share (macro report_bands). #}
{%- set bands = report_bands() %}

with current_health as (
    select * from {{ ref('dim_account_health') }}
    where not is_churned
),

owners as (
    select * from {{ ref('int_account_owners') }}
),

alerts as (
    select * from {{ ref('fct_health_alerts') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- Revenue and renewals as dim_account_health defines them (int_account_revenue_daily,
-- int_account_renewals): one definition of ARR across the marts.
book_accounts as (
    select
        current_health.account_id,
        coalesce(owners.owner_user_id, 'unassigned') as owner_user_id,
        owners.owner_name,
        owners.is_owner_active,
        current_health.health_score,
        current_health.health_band,
        current_health.score_change_30d,
        current_health.arr,
        current_health.days_to_renewal <= {{ var('book_renewal_days') }} as is_renewal_due,
        current_health.arr_up_for_renewal
    from current_health
    left join owners on current_health.account_id = owners.account_id
),

-- An alert is open while it is younger than var book_open_alert_days days.
open_alerts as (
    select
        alerts.account_id,
        count(*) as count_alerts
    from alerts
    cross join as_of
    where alerts.alerted_on > as_of.as_of_on - {{ var('book_open_alert_days') }}
    group by alerts.account_id
),

final as (
    select
        book_accounts.owner_user_id,
        max(book_accounts.owner_name) as owner_name,
        coalesce(bool_or(book_accounts.is_owner_active), false) as is_owner_active,
        count(*) as count_accounts,
        {{ exact_sum('book_accounts.arr', digits=38) }} as arr,
        {{ exact_sum(
            "case when book_accounts.health_band = '" ~ bands[0] ~ "' then book_accounts.arr else 0 end", digits=38
        ) }} as arr_{{ bands[0] }},
        {{ round_half_away(exact_sum('book_accounts.health_score') ~ ' / count(book_accounts.health_score)', 1) }}
            as avg_health_score,
        {%- for band in bands %}
            count(*) filter (where book_accounts.health_band = '{{ band }}') as count_{{ band }},
        {%- endfor %}
        {{ round_half_away(share_of_rows("book_accounts.health_band = '" ~ bands[0] ~ "'"), 3) }}
            as pct_{{ bands[0] }},
        count(*) filter (where book_accounts.score_change_30d <= -{{ mover_points }}) as count_movers_down,
        count(*) filter (where book_accounts.score_change_30d >= {{ mover_points }}) as count_movers_up,
        cast(coalesce(sum(open_alerts.count_alerts), 0) as bigint) as count_open_alerts,
        count(open_alerts.account_id) as count_accounts_alerted,
        count(*) filter (where book_accounts.is_renewal_due) as count_renewals_due,
        coalesce(sum(book_accounts.arr_up_for_renewal) filter (where book_accounts.is_renewal_due), 0)
            as renewal_amount_due
    from book_accounts
    left join open_alerts on book_accounts.account_id = open_alerts.account_id
    group by book_accounts.owner_user_id
)

select * from final
