-- Are the alerts worth reading? One row per alert type (and 'all') over the whole history: how
-- many alerts per account-month, how many were followed by churn within the horizon (precision),
-- and how many churns they warned of at least var alert_min_lead_days days ahead, in accounts and
-- in churned revenue, with the median lead time. Only alerts whose horizon is fully observed count
-- for precision, and only churns whose whole horizon before them lies in the history count for
-- recall, so neither edge of the history biases the figures.
{%- set horizon = var('churn_horizon_days') %}
{%- set min_lead = var('alert_min_lead_days') %}
{#- Days from an alert to the churn (dbt.datediff: on Spark a date minus a date is an interval). #}
{%- set lead_days = dbt.datediff('typed_alerts.alerted_on', 'observed_churns.churned_on', 'day') %}

with history as (
    select * from {{ ref('fct_account_health_daily') }}
),

alerts as (
    select * from {{ ref('fct_health_alerts') }}
),

churns as (
    select * from {{ ref('int_account_outcomes') }}
    where event_type = 'churn'
),

rules as (
    select * from {{ ref('alert_rules') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

history_span as (
    select
        min(date_day) as first_day,
        count(*) as count_account_days
    from history
),

-- Every alert counted once under its type and once under 'all'.
typed_alerts as (
    select
        alert_type,
        alert_id,
        account_id,
        alerted_on
    from alerts
    union all
    select
        'all' as alert_type,
        alert_id,
        account_id,
        alerted_on
    from alerts
),

alert_types as (
    select alert_type from rules
    union all
    select 'all' as alert_type
),

-- Precision: an alert whose horizon is observed is a hit when its account churned within it.
alert_outcomes as (
    select
        typed_alerts.alert_type,
        typed_alerts.alert_id,
        typed_alerts.alerted_on <= as_of.as_of_on - {{ horizon }} as is_observed,
        count(churns.account_id) > 0 as is_followed_by_churn
    from typed_alerts
    cross join as_of
    left join churns
        on typed_alerts.account_id = churns.account_id
            and churns.event_on > typed_alerts.alerted_on
            and churns.event_on <= typed_alerts.alerted_on + {{ horizon }}
    group by typed_alerts.alert_type, typed_alerts.alert_id, typed_alerts.alerted_on, as_of.as_of_on
),

alert_volume as (
    select
        alert_outcomes.alert_type,
        count(*) as count_alerts,
        count(*) filter (where alert_outcomes.is_observed) as count_alerts_observed,
        count(*) filter (where alert_outcomes.is_observed and alert_outcomes.is_followed_by_churn)
            as count_alerts_followed_by_churn
    from alert_outcomes
    group by alert_outcomes.alert_type
),

-- Recall: churns whose whole horizon before them lies in the history, with the earliest alert in
-- that horizon and whether one came at least var alert_min_lead_days days ahead.
observed_churns as (
    select
        churns.account_id,
        churns.event_on as churned_on,
        churns.revenue_change as churned_revenue
    from churns
    cross join history_span
    where churns.event_on >= history_span.first_day + {{ horizon }}
),

churn_warnings as (
    select
        alert_types.alert_type,
        observed_churns.account_id,
        observed_churns.churned_on,
        observed_churns.churned_revenue,
        max({{ lead_days }}) as lead_days,
        coalesce(bool_or({{ lead_days }} >= {{ min_lead }}), false)
            as is_warned_early
    from observed_churns
    cross join alert_types
    left join typed_alerts
        on observed_churns.account_id = typed_alerts.account_id
            and alert_types.alert_type = typed_alerts.alert_type
            and typed_alerts.alerted_on < observed_churns.churned_on
            and typed_alerts.alerted_on >= observed_churns.churned_on - {{ horizon }}
    group by
        alert_types.alert_type,
        observed_churns.account_id,
        observed_churns.churned_on,
        observed_churns.churned_revenue
),

churn_recall as (
    select
        alert_type,
        count(*) as count_churns,
        count(*) filter (where is_warned_early) as count_churns_warned,
        {{ exact_sum('churned_revenue', digits=38) }} as churned_revenue,
        {{ exact_sum('case when is_warned_early then churned_revenue else 0 end', digits=38) }}
            as churned_revenue_warned,
        {{ median_of('lead_days') }} as median_lead_days
    from churn_warnings
    group by alert_type
),

final as (
    select
        alert_types.alert_type,
        coalesce(alert_volume.count_alerts, 0) as count_alerts,
        {{ round_half_away(
            'cast(coalesce(alert_volume.count_alerts, 0) as ' ~ type_double() ~ ')'
            ~ ' / (history_span.count_account_days / 30.0)', 3
        ) }} as alerts_per_account_month,
        coalesce(alert_volume.count_alerts_observed, 0) as count_alerts_observed,
        coalesce(alert_volume.count_alerts_followed_by_churn, 0) as count_alerts_followed_by_churn,
        {{ round_half_away(
            'cast(alert_volume.count_alerts_followed_by_churn as ' ~ type_double() ~ ')'
            ~ ' / nullif(alert_volume.count_alerts_observed, 0)', 3
        ) }} as alert_precision,
        coalesce(churn_recall.count_churns, 0) as count_churns,
        coalesce(churn_recall.count_churns_warned, 0) as count_churns_warned,
        {{ round_half_away(
            'cast(churn_recall.count_churns_warned as ' ~ type_double() ~ ')'
            ~ ' / nullif(churn_recall.count_churns, 0)', 3
        ) }} as pct_churns_warned,
        {{ round_half_away(
            'cast(churn_recall.churned_revenue_warned as ' ~ type_double() ~ ')'
            ~ ' / nullif(churn_recall.churned_revenue, 0)', 3
        ) }} as pct_churned_revenue_warned,
        churn_recall.median_lead_days,
        {{ horizon }} as horizon_days,
        {{ min_lead }} as min_lead_days
    from alert_types
    cross join history_span
    left join alert_volume on alert_types.alert_type = alert_volume.alert_type
    left join churn_recall on alert_types.alert_type = churn_recall.alert_type
)

select * from final
