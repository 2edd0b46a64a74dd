-- What is each account's composite health on each day, why, and how has it moved? One row per
-- account-day, computed in the row from the stored signal scores (int_account_signal_scores) and
-- the weight set in force: the score (50 + the points of its signals), coverage (the share of
-- configured weight that had data), dimension scores, the score with today's weights, the band
-- (seed health_bands), the top driver down (the signal taking the most points: the alerts name it)
-- and the changes against 7 and 30 days before. The other drivers are labelled where they are
-- read, for each account's latest day (int_account_health_movers). Nothing here recomputes a
-- signal, so a change of weights re-scores every stored day from int_account_signal_scores alone.
{%- set longest_lag = 30 %}

-- The days rewritten (macro in_run_days), in day batches at scale (macro in_day_batch, meta batch
-- in dbt_project.yml): a batch reads the 30 days before its own too, for the changes below.
with signal_scores as (
    select * from {{ ref('int_account_signal_scores') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day', context_days=longest_lag) }}
),

stages as (
    select * from {{ ref('int_account_stage_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day', context_days=longest_lag) }}
),

weights as (
    select * from {{ ref('int_health_weights') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

-- The composite of every account-day (macro score_health, the what-if's SQL too): score, band,
-- coverage, dimension scores, top driver down and the weight sets used.
health as (
    {{ score_health('signal_scores', 'stages', 'weights', 'as_of', 'bands') }}
),

{%- set scored_columns = [
    'account_id', 'date_day', 'lifecycle_stage', 'customer_tier', 'contract_type', 'usage_band',
    'health_score', 'health_band', 'band_order', 'coverage', 'health_score_current_weights',
    'weights_effective_from', 'weights_tier', 'weights_stage', 'current_weights_effective_from',
    'current_weights_tier', 'total_weight', 'present_weight', 'present_current_weight',
] %}
{%- for dimension in var('signals') %}{% do scored_columns.append('score_' ~ dimension) %}{% endfor %}
{%- do scored_columns.append('top_driver_down') %}

-- The changes against 7 and 30 days before, over narrow rows (account, day, score, band): a
-- window sorts every column it carries. They need the 30 days before the rewritten ones; on a
-- daily run those are the stored scores and bands (the same signal scores made them, and a change
-- of scoring configuration rewrites every day), so only the rewritten days are scored again. A
-- day batch after the first scored its 30 days before itself above.
scores as (
    select
        account_id,
        date_day,
        health_score,
        health_band
    from health
    {%- if is_incremental() %}
        union all
        select
            account_id,
            date_day,
            health_score,
            health_band
        from {{ this }}
        where {{ in_run_days('date_day', context_days=longest_lag) }}
            and not {{ in_run_days('date_day') }}
            and {{ in_day_batch('date_day', context_days=longest_lag) }}
    {%- endif %}
),

changes as (
    select
        account_id,
        date_day,
        lag(health_band) over account_history as previous_health_band,
        health_score - lag(health_score, 7) over account_history as score_change_7d,
        health_score - lag(health_score, 30) over account_history as score_change_30d
    from scores
    window account_history as (partition by account_id order by date_day)
),

final as (
    select
        {%- for column in scored_columns %}
            health.{{ column }},
        {%- endfor %}
        changes.previous_health_band,
        changes.score_change_7d,
        changes.score_change_30d,
        {{ scoring_config_hash() }} as scoring_config_hash
    from health
    inner join changes
        on health.account_id = changes.account_id
            and health.date_day = changes.date_day
    where {{ in_day_batch('health.date_day') }}
)

select * from final
