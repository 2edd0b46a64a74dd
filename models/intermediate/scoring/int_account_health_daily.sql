-- What is each account's composite health on each day, and how has it moved? One row per
-- account-day: the score (50 + the points of its signals), coverage (the share of configured
-- weight that had data), dimension scores, the score with today's weights, the band (seed
-- health_bands) and the changes against 7 and 30 days before.
{%- set longest_lag = 30 %}

with contributions as (
    select * from {{ ref('int_account_signal_contributions') }}
    where {{ in_run_days('date_day') }}
),

stages as (
    select * from {{ ref('int_account_stage_daily') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

-- The account-day totals are window aggregates in one pass partitioned by account-day, kept once per
-- account-day. A grouping gives the same numbers, but at 20,000 accounts (210M rows) its states of
-- 15 exact sums spilled past 40 GB and failed; the window pass sorts the rows themselves and
-- finished in 3GB (README, Performance). At 2,000 accounts the grouping is faster (7 s against 19 s).
composite as (
    select
        account_id,
        date_day,
        max(weights_effective_from) over account_day as weights_effective_from,
        max(weights_tier) over account_day as weights_tier,
        -- Summed as decimals (exact, so the order rows arrive in never changes a sum) and rounded
        -- to 6 decimals: a day scores the same in any run, full or daily.
        case when count(weight_share) over account_day > 0
                then round(50 + {{ exact_sum('points', over='account_day') }}, 6)
        end as health_score,
        case when count(weight_share) over account_day > 0
                then round(50 + {{ exact_sum('points_current_weights', over='account_day') }}, 6)
        end as health_score_current_weights,
        {%- set present_share = 'case when not is_missing then configured_weight_share end' %}
        round(coalesce({{ exact_sum(present_share, over='account_day') }}, 0), 6) as coverage,
        {%- for dimension in ['onboarding', 'product', 'service', 'financial', 'relationship', 'human_input'] %}
            {%- set present = "dimension = '" ~ dimension ~ "' and not is_missing" %}
            round(
                {{ exact_sum('case when ' ~ present ~ ' then weight * score end', over='account_day') }}
                / nullif({{ exact_sum('case when ' ~ present ~ ' then weight end', over='account_day') }}, 0),
                6
            ) as score_{{ dimension }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from contributions
    window account_day as (partition by account_id, date_day)
    qualify row_number() over account_day = 1
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

-- The changes against earlier days need the 30 days before the rewritten ones. On a daily run
-- their scores and bands are the stored ones (the same contributions made them, and a change of
-- scoring configuration rewrites every day), so only the rewritten days are scored again.
scored as (
    select * from banded
    {%- if is_incremental() %}
        union all by name
        select
            account_id,
            date_day,
            health_score,
            health_band
        from {{ this }}
        where {{ in_run_days('date_day', context_days=longest_lag) }}
            and not {{ in_run_days('date_day') }}
    {%- endif %}
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
    from scored
    window account_history as (partition by account_id order by date_day)
)

select * from final
where {{ in_run_days('date_day') }}
