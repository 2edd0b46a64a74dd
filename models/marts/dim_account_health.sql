-- Where does each customer stand today, why, and what should its CSM do? One row per scored
-- account: its latest day's score and band (overrides applied), drivers, flags and the
-- recommended action from seed health_actions (the first rule by priority that matches band,
-- tier, stage and flag wins).
-- Read twice (the newest day, then its row): inlined (macro inlined_cte), so neither reader
-- waits for every column of the whole history to be stored first.
with daily as {{ inlined_cte() }}(
    select * from {{ ref('fct_account_health_daily') }}
),

newest_days as (
    select
        account_id,
        max(date_day) as date_day
    from daily
    group by account_id
),

latest as (
    select daily.*
    from daily
    inner join newest_days
        on daily.account_id = newest_days.account_id and daily.date_day = newest_days.date_day
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

flag_rules as (
    select * from {{ ref('health_flags') }}
),

newest_signal_rule_hits as (
    select hits.*
    from {{ ref('int_account_flag_hits_daily') }} as hits
    inner join newest_days
        on hits.account_id = newest_days.account_id and hits.date_day = newest_days.date_day
),

newest_coverage as (
    select health.*
    from {{ ref('int_account_health_daily') }} as health
    inner join newest_days
        on health.account_id = newest_days.account_id and health.date_day = newest_days.date_day
),

-- The flags of the latest day only (macro account_flags, int_account_flags_daily's definition).
newest_flags as (
    {{ account_flags('newest_signal_rule_hits', 'newest_coverage', 'flag_rules') }}
),

actions as (
    select * from {{ ref('health_actions') }}
),

movers as (
    select * from {{ ref('int_account_health_movers') }}
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
),

-- Contracted revenue on the latest day only (macro contracted_revenue, the definition of
-- int_account_revenue_daily).
revenue as (
    {{ contracted_revenue('newest_days', 'subscriptions') }}
),

renewals as (
    select * from {{ ref('int_account_renewals') }}
),

churn_probability_bins as (
    select * from {{ ref('rpt_churn_probability_bins') }}
    where fit_set = 'production'
),

latest_flags as (
    select
        account_id,
        flag_name
    from newest_flags
),

ranked_actions as (
    select
        latest.account_id,
        actions.action,
        actions.description as action_reason,
        actions.priority,
        row_number() over (partition by latest.account_id order by actions.priority) as action_rank
    from latest
    inner join actions
        on actions.band in ('any', latest.health_band)
            and actions.customer_tier in ('any', latest.customer_tier)
            and actions.lifecycle_stage in ('any', latest.lifecycle_stage)
    left join latest_flags
        on latest.account_id = latest_flags.account_id
            and actions.flag_name = latest_flags.flag_name
    where actions.flag_name is null or latest_flags.flag_name is not null
),

matching_actions as (
    select
        account_id,
        action,
        action_reason,
        priority
    from ranked_actions
    where action_rank = 1
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.owner_user_id,
        accounts.customer_tier,
        accounts.contract_type,
        accounts.customer_start_on,
        accounts.customer_end_on,
        accounts.is_churned,
        accounts.mrr,
        accounts.count_seats,
        latest.date_day as scored_on,
        latest.lifecycle_stage,
        latest.usage_band,
        latest.health_score,
        latest.health_band,
        latest.computed_health_score,
        latest.is_override_applied,
        latest.override_reason,
        latest.previous_health_band,
        latest.score_change_7d,
        latest.score_change_30d,
        latest.coverage,
        latest.health_score_current_weights,
        {%- for dimension in var('signals') %}
            latest.score_{{ dimension }},
        {%- endfor %}
        movers.drivers_down,
        movers.drivers_up,
        movers.drivers_moved,
        latest.flags,
        latest.count_flags,
        latest.has_critical_flag,
        matching_actions.action as recommended_action,
        matching_actions.action_reason,
        -- Revenue, renewal and churn risk: contracted ARR on the latest day, the next renewal, and
        -- the calibrated probability of churn within var churn_horizon_days days for the computed
        -- score and stage (the score the calibration was fitted on), times ARR.
        revenue.currency,
        revenue.arr,
        renewals.next_renewal_on,
        renewals.days_to_renewal,
        renewals.arr_up_for_renewal,
        renewals.renewal_source,
        churn_probability_bins.churn_probability,
        {{ round_half_away('churn_probability_bins.churn_probability * revenue.arr', 2) }} as revenue_at_risk
    from accounts
    inner join latest on accounts.account_id = latest.account_id
    left join matching_actions on accounts.account_id = matching_actions.account_id
    left join movers on latest.account_id = movers.account_id and latest.date_day = movers.date_day
    left join revenue on latest.account_id = revenue.account_id and latest.date_day = revenue.date_day
    left join renewals on accounts.account_id = renewals.account_id
    left join churn_probability_bins
        on latest.lifecycle_stage = churn_probability_bins.lifecycle_stage
            and {{ score_bin('latest.computed_health_score') }} = churn_probability_bins.score_bin
)

select * from final
