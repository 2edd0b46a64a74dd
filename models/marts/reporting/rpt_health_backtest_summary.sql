-- How well does each score rank churn, overall and by segment? One row per (segment_type,
-- segment_value, score_name) over all back-test snapshots: AUC of the score for churn within the
-- horizon (by ranks, ties averaged; 0.5 is chance), churn rate per band, lift of the lowest
-- decile, and the share of churned revenue that the score had in the unhealthy band beforehand.
-- score_name is the composite health_score or one dimension on its own, so it is clear which
-- dimensions carry signal.
{%- set score_columns = ['health_score'] %}
{%- for dimension in var('signals') %}{% do score_columns.append('score_' ~ dimension) %}{% endfor %}

with backtest as (
    select * from {{ ref('fct_health_backtest') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

scores as (
    {%- for column in score_columns %}
        select
            snapshot_on,
            account_id,
            lifecycle_stage,
            customer_tier,
            is_churned_within_horizon,
            churned_revenue,
            '{{ column }}' as score_name,
            {{ column }} as score
        from backtest
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

banded as (
    select
        scores.*,
        bands.band
    from scores
    left join bands on {{ in_score_band('scores.score') }}
),

segmented as (
    select
        'all' as segment_type,
        'all' as segment_value,
        *
    from banded
    union all
    select
        'lifecycle_stage' as segment_type,
        lifecycle_stage as segment_value,
        *
    from banded
    union all
    select
        'customer_tier' as segment_type,
        customer_tier as segment_value,
        *
    from banded
    union all
    select
        'snapshot' as segment_type,
        cast(snapshot_on as {{ type_text() }}) as segment_value,
        *
    from banded
),

-- Rank by risk (the lower the score, the higher the risk); ties share their average rank.
ranked as (
    select
        *,
        rank() over (partition by segment_type, segment_value, score_name order by score desc)
        + (count(*) over (partition by segment_type, segment_value, score_name, score) - 1) / 2.0
            as risk_rank,
        -- Deciles by rank, so tied scores always share a decile (ntile splits ties by row order).
        cast(floor(
            10.0 * (rank() over (partition by segment_type, segment_value, score_name order by score) - 1)
            / count(*) over (partition by segment_type, segment_value, score_name)
        ) as integer) + 1 as score_decile
    from segmented
),

aggregated as (
    select
        segment_type,
        segment_value,
        score_name,
        cast(sum(case when is_churned_within_horizon then 1 else 0 end) as bigint) as count_churned,
        count(*) as count_account_snapshots,
        count(distinct snapshot_on) as count_snapshots,
        {{ share_of_rows('is_churned_within_horizon') }} as churn_rate,
        (
            sum(case when is_churned_within_horizon then risk_rank else 0 end)
            - sum(case when is_churned_within_horizon then 1 else 0 end)
            * (sum(case when is_churned_within_horizon then 1 else 0 end) + 1) / 2.0
        )
        / nullif(
            sum(case when is_churned_within_horizon then 1 else 0 end)
            * sum(case when is_churned_within_horizon then 0 else 1 end), 0
        ) as auc,
        {{ share_of_rows('is_churned_within_horizon', "band = 'unhealthy'") }}
            as churn_rate_unhealthy,
        {{ share_of_rows('is_churned_within_horizon', "band = 'neutral'") }}
            as churn_rate_neutral,
        {{ share_of_rows('is_churned_within_horizon', "band = 'healthy'") }}
            as churn_rate_healthy,
        {{ share_of_rows('is_churned_within_horizon', 'score_decile = 1') }}
        / nullif({{ share_of_rows('is_churned_within_horizon') }}, 0) as lift_lowest_decile,
        {{ exact_sum(
            "case when is_churned_within_horizon and band = 'unhealthy' then churned_revenue end", digits=38
        ) }}
        / nullif({{ exact_sum('case when is_churned_within_horizon then churned_revenue end', digits=38) }}, 0)
            as pct_churned_revenue_unhealthy
    from ranked
    group by segment_type, segment_value, score_name
),

final as (
    select
        segment_type,
        segment_value,
        score_name,
        count_churned,
        count_account_snapshots,
        count_snapshots,
        {{ round_half_away('churn_rate', 4) }} as churn_rate,
        {{ round_half_away('auc', 4) }} as auc,
        {{ round_half_away('churn_rate_unhealthy', 4) }} as churn_rate_unhealthy,
        {{ round_half_away('churn_rate_neutral', 4) }} as churn_rate_neutral,
        {{ round_half_away('churn_rate_healthy', 4) }} as churn_rate_healthy,
        {{ round_half_away('lift_lowest_decile', 3) }} as lift_lowest_decile,
        {{ round_half_away('pct_churned_revenue_unhealthy', 4) }} as pct_churned_revenue_unhealthy
    from aggregated
)

select * from final
