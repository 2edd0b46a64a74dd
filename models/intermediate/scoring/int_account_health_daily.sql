-- What is each account's composite health on each day, and how has it moved? One row per
-- account-day: the score (50 + the points of its signals), coverage (the share of configured
-- weight that had data), dimension scores, the score with today's weights, the band (seed
-- health_bands) and the changes against 7 and 30 days before.
{%- set longest_lag = 30 %}

{%- set dimensions = ['onboarding', 'product', 'service', 'financial', 'relationship', 'human_input'] %}

-- The changes against earlier days need the 30 days before the rewritten ones.
with contributions as (
    select * from {{ ref('int_account_signal_contributions') }}
    where {{ in_run_days('date_day', context_days=longest_lag) }}
),

stages as (
    select * from {{ ref('int_account_stage_daily') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

-- Summed one dimension at a time (a sixth of the rows, and five sums instead of fifteen), so the
-- grouping fits in memory at scale instead of spilling every row. The sums are exact decimals
-- (as in macro exact_sum): adding the six partial sums gives exactly the sum over all rows.
{%- for dimension in dimensions %}

    dimension_{{ dimension }} as (
        select
            account_id,
            date_day,
            count(weight_share) as count_present,
            max(weights_effective_from) as weights_effective_from,
            max(weights_tier) as weights_tier,
            sum(cast(points as decimal(18, 9))) as sum_points,
            sum(cast(points_current_weights as decimal(18, 9))) as sum_points_current_weights,
            sum(cast(case when not is_missing then configured_weight_share end as decimal(18, 9))) as sum_coverage,
            round(
                cast(sum(cast(case when not is_missing then weight * score end as decimal(18, 9))) as double)
                / nullif(cast(sum(cast(case when not is_missing then weight end as decimal(18, 9))) as double), 0),
                6
            ) as dimension_score
        from contributions
        where dimension = '{{ dimension }}'
        group by account_id, date_day
    ),
{%- endfor %}

by_dimension as (
    {%- for dimension in dimensions %}
        select
            account_id,
            date_day,
            '{{ dimension }}' as dimension,
            count_present,
            weights_effective_from,
            weights_tier,
            sum_points,
            sum_points_current_weights,
            sum_coverage,
            dimension_score
        from dimension_{{ dimension }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

composite as (
    select
        account_id,
        date_day,
        max(weights_effective_from) as weights_effective_from,
        max(weights_tier) as weights_tier,
        -- Rounded to 6 decimals: a day scores the same in any run, full or daily.
        case when sum(count_present) > 0 then round(50 + cast(sum(sum_points) as double), 6) end as health_score,
        case when sum(count_present) > 0 then round(50 + cast(sum(sum_points_current_weights) as double), 6) end
            as health_score_current_weights,
        round(coalesce(cast(sum(sum_coverage) as double), 0), 6) as coverage,
        {%- for dimension in dimensions %}
            max(case when dimension = '{{ dimension }}' then dimension_score end)
                as score_{{ dimension }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from by_dimension
    group by account_id, date_day
),

banded as (
    select
        composite.*,
        stages.lifecycle_stage,
        stages.customer_tier,
        stages.contract_type,
        stages.usage_band,
        bands.band as health_band,
        bands.band_order
    from composite
    inner join stages
        on composite.account_id = stages.account_id
            and composite.date_day = stages.date_day
    -- Banded on the published score (1 decimal), so a reader can check band against score.
    left join bands on round(round(composite.health_score, 1)) between bands.min_score and bands.max_score
),

final as (
    select
        account_id,
        date_day,
        lifecycle_stage,
        customer_tier,
        contract_type,
        usage_band,
        health_score,
        health_band,
        band_order,
        coverage,
        health_score_current_weights,
        weights_effective_from,
        weights_tier,
        score_onboarding,
        score_product,
        score_service,
        score_financial,
        score_relationship,
        score_human_input,
        lag(health_band) over account_history as previous_health_band,
        health_score - lag(health_score, 7) over account_history as score_change_7d,
        health_score - lag(health_score, 30) over account_history as score_change_30d,
        {{ scoring_config_hash() }} as scoring_config_hash
    from banded
    window account_history as (partition by account_id order by date_day)
)

select * from final
where {{ in_run_days('date_day') }}
