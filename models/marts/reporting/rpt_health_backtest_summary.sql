-- How well does each score rank churn, overall and by segment? One row per (segment_type,
-- segment_value, score_name) over all back-test snapshots: AUC of the score for churn within the
-- horizon (by ranks, ties averaged; 0.5 is chance), churn rate per band, lift of the lowest
-- decile, and the share of churned revenue that the score had in the lowest band beforehand (a
-- column per band: macro report_bands).
-- score_name is the composite health_score or one dimension on its own, so it is clear which
-- dimensions carry signal.
{%- set score_columns = ['health_score'] %}
{%- set bands = report_bands() %}
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

-- One cell per (score, stage, tier, snapshot, score value): how many account-snapshots had
-- that value and how many of them churned, with their churned revenue. Every segment below is a
-- union of cells, so its ranks and rates come from these counts (at 20,000 accounts about a
-- tenth of the rows that each account-snapshot, repeated for four segment types, would be).
cells as (
    select
        score_name,
        lifecycle_stage,
        customer_tier,
        snapshot_on,
        score,
        count(*) as count_rows,
        sum(case when is_churned_within_horizon then 1 else 0 end) as count_churned,
        sum(
            cast(case when is_churned_within_horizon then churned_revenue end as decimal(38, 9))
        ) as churned_revenue
    from scores
    group by score_name, lifecycle_stage, customer_tier, snapshot_on, score
),

segmented as (
    select
        'all' as segment_type,
        'all' as segment_value,
        *
    from cells
    union all
    select
        'lifecycle_stage' as segment_type,
        lifecycle_stage as segment_value,
        *
    from cells
    union all
    select
        'customer_tier' as segment_type,
        customer_tier as segment_value,
        *
    from cells
    union all
    select
        'snapshot' as segment_type,
        cast(snapshot_on as {{ type_text() }}) as segment_value,
        *
    from cells
),

-- One row per score value within a segment.
score_values as (
    select
        segment_type,
        segment_value,
        score_name,
        score,
        sum(count_rows) as count_rows,
        sum(count_churned) as count_churned,
        sum(churned_revenue) as churned_revenue
    from segmented
    group by segment_type, segment_value, score_name, score
),

-- Rank by risk (the lower the score, the higher the risk): the rows of one value share the
-- average of their ranks, after every row of a higher value. Deciles by rank from the low end,
-- so tied scores always share a decile.
ranked as (
    select
        score_values.*,
        bands.band,
        coalesce(sum(score_values.count_rows) over (
            partition by score_values.segment_type, score_values.segment_value, score_values.score_name
            order by score_values.score desc rows between unbounded preceding and 1 preceding
        ), 0) + (score_values.count_rows + 1) / 2.0 as risk_rank,
        cast(floor(
            10.0 * coalesce(sum(score_values.count_rows) over (
                partition by score_values.segment_type, score_values.segment_value, score_values.score_name
                order by score_values.score rows between unbounded preceding and 1 preceding
            ), 0)
            / sum(score_values.count_rows) over (
                partition by score_values.segment_type, score_values.segment_value, score_values.score_name
            )
        ) as integer) + 1 as score_decile
    from score_values
    left join bands on {{ in_score_band('score_values.score') }}
),

snapshots as (
    select
        segment_type,
        segment_value,
        score_name,
        count(distinct snapshot_on) as count_snapshots
    from segmented
    group by segment_type, segment_value, score_name
),

aggregated as (
    select
        ranked.segment_type,
        ranked.segment_value,
        ranked.score_name,
        cast(sum(ranked.count_churned) as bigint) as count_churned,
        cast(sum(ranked.count_rows) as bigint) as count_account_snapshots,
        {{ share_of_counts('ranked.count_churned', 'ranked.count_rows') }} as churn_rate,
        (
            sum(ranked.count_churned * ranked.risk_rank)
            - sum(ranked.count_churned) * (sum(ranked.count_churned) + 1) / 2.0
        )
        / nullif(sum(ranked.count_churned) * sum(ranked.count_rows - ranked.count_churned), 0) as auc,
        {%- for band in bands %}
            {{ share_of_counts('ranked.count_churned', 'ranked.count_rows', "ranked.band = '" ~ band ~ "'") }}
                as churn_rate_{{ band }},
        {%- endfor %}
        {{ share_of_counts('ranked.count_churned', 'ranked.count_rows', 'ranked.score_decile = 1') }}
        / nullif({{ share_of_counts('ranked.count_churned', 'ranked.count_rows') }}, 0) as lift_lowest_decile,
        cast(sum(case when ranked.band = '{{ bands[0] }}' then ranked.churned_revenue end) as {{ type_double() }})
        / nullif(cast(sum(ranked.churned_revenue) as {{ type_double() }}), 0) as pct_churned_revenue_{{ bands[0] }}
    from ranked
    group by ranked.segment_type, ranked.segment_value, ranked.score_name
),

final as (
    select
        aggregated.segment_type,
        aggregated.segment_value,
        aggregated.score_name,
        aggregated.count_churned,
        aggregated.count_account_snapshots,
        snapshots.count_snapshots,
        {{ round_half_away('aggregated.churn_rate', 4) }} as churn_rate,
        {{ round_half_away('aggregated.auc', 4) }} as auc,
        {%- for band in bands %}
            {{ round_half_away('aggregated.churn_rate_' ~ band, 4) }} as churn_rate_{{ band }},
        {%- endfor %}
        {{ round_half_away('aggregated.lift_lowest_decile', 3) }} as lift_lowest_decile,
        {{ round_half_away('aggregated.pct_churned_revenue_' ~ bands[0], 4) }} as pct_churned_revenue_{{ bands[0] }}
    from aggregated
    inner join snapshots
        on aggregated.segment_type = snapshots.segment_type
            and aggregated.segment_value = snapshots.segment_value
            and aggregated.score_name = snapshots.score_name
)

select * from final
