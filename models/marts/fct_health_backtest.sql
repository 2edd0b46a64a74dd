-- Did the score see churn coming? One row per monthly snapshot date × account active on it:
-- the computed score (before overrides), band, stage and dimension scores that day, joined to
-- whether the customer churned within the next var churn_horizon_days days. Only snapshots whose
-- whole horizon lies on or before the as-of date are kept, so every outcome is observed and no
-- score uses anything after its snapshot.
{%- set horizon = var('churn_horizon_days') %}

with history as {{ inlined_cte() }}(
    select * from {{ ref('fct_account_health_daily') }}
),

outcomes as (
    select * from {{ ref('int_account_outcomes') }}
    where event_type = 'churn'
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

snapshots as (
    select distinct history.date_day as snapshot_on
    from history
    cross join as_of
    where history.date_day = {{ dbt.date_trunc('month', 'history.date_day') }}
        and history.date_day <= as_of.as_of_on - {{ horizon }}
),

final as (
    select
        snapshots.snapshot_on,
        history.account_id,
        history.lifecycle_stage,
        history.customer_tier,
        history.computed_health_score as health_score,
        history.computed_health_band as health_band,
        history.coverage,
        {%- for dimension in var('signals') %}
            history.score_{{ dimension }},
        {%- endfor %}
        outcomes.event_on as churned_on,
        outcomes.event_on is not null as is_churned_within_horizon,
        coalesce(outcomes.revenue_change, 0) as churned_revenue,
        {{ horizon }} as horizon_days
    from snapshots
    inner join history on snapshots.snapshot_on = history.date_day
    left join outcomes
        on history.account_id = outcomes.account_id
            and snapshots.snapshot_on < outcomes.event_on
            and outcomes.event_on <= snapshots.snapshot_on + {{ horizon }}
    where history.lifecycle_stage != {{ churned_stage() }}
)

select * from final
