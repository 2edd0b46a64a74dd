-- How healthy is each segment today? One row per (customer_tier, lifecycle_stage) over the
-- customers scored on the as-of date: accounts, average score and coverage, band mix, and
-- alerts in the last 7 days. Read by the health dashboard. A column per band (macro report_bands).
{%- set bands = report_bands() %}
with current_health as (
    select * from {{ ref('dim_account_health') }}
    where not is_churned
),

alerts as (
    select * from {{ ref('fct_health_alerts') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

recent_alerts as (
    select
        alerts.account_id,
        count(*) as count_alerts
    from alerts
    cross join as_of
    where alerts.alerted_on > as_of.as_of_on - 7
    group by alerts.account_id
),

final as (
    select
        current_health.customer_tier,
        current_health.lifecycle_stage,
        cast(coalesce(sum(recent_alerts.count_alerts), 0) as bigint) as count_alerts_7d,
        count(*) as count_accounts,
        -- Exact sums (macro exact_sum): the report is the same in every run of the same build.
        {{ round_half_away(exact_sum('current_health.health_score') ~ ' / count(current_health.health_score)', 1) }}
            as avg_health_score,
        {{ round_half_away(exact_sum('current_health.coverage') ~ ' / count(current_health.coverage)', 3) }}
            as avg_coverage,
        {%- for band in bands %}
            {{ round_half_away(share_of_rows("current_health.health_band = '" ~ band ~ "'"), 3) }}
                as pct_{{ band }},
        {%- endfor %}
        {{ exact_sum('current_health.mrr', digits=38) }} as mrr,
        {{ exact_sum(
            "case when current_health.health_band = '" ~ bands[0] ~ "' then current_health.mrr else 0 end", digits=38
        ) }} as mrr_{{ bands[0] }}
    from current_health
    left join recent_alerts on current_health.account_id = recent_alerts.account_id
    group by current_health.customer_tier, current_health.lifecycle_stage
)

select * from final
