-- Are the churn probabilities right? Out of time: the newest var
-- churn_calibration_holdout_snapshots back-test snapshots, scored with the 'evaluation' fit of
-- rpt_churn_probability_bins (fitted only on snapshots whose horizon ended before them). One row
-- per lifecycle stage × score bin (the reliability table: predicted probability beside the churn
-- rate observed), plus a row per stage and one for all with score_bin 'all'. brier_score is the
-- mean squared error of the probability on the row's account-snapshots; brier_score_reference is
-- that of always predicting the training churn rate; brier_skill = 1 - their ratio (above 0: the
-- score adds information).
with backtest as (
    select * from {{ ref('fct_health_backtest') }}
),

bins as (
    select * from {{ ref('rpt_churn_probability_bins') }}
    where fit_set = 'evaluation'
),

snapshots as (
    select distinct snapshot_on
    from backtest
),

ranked_snapshots as (
    select
        snapshot_on,
        row_number() over (order by snapshot_on desc) as snapshot_rank
    from snapshots
),

holdout as (
    select snapshot_on
    from ranked_snapshots
    where snapshot_rank <= {{ var('churn_calibration_holdout_snapshots') }}
),

training_rate as (
    select
        {{ exact_sum('count_churned') }} / nullif({{ exact_sum('count_account_snapshots') }}, 0) as churn_rate
    from bins
),

predicted as (
    select
        backtest.lifecycle_stage,
        cast(bins.score_bin as {{ type_text() }}) as score_bin,
        bins.churn_probability,
        training_rate.churn_rate as reference_probability,
        case when backtest.is_churned_within_horizon then 1.0 else 0.0 end as churned
    from backtest
    inner join holdout on backtest.snapshot_on = holdout.snapshot_on
    inner join bins
        on backtest.lifecycle_stage = bins.lifecycle_stage
            and {{ score_bin('backtest.health_score') }} = bins.score_bin
    cross join training_rate
),

-- The reliability rows (stage × bin), each stage's total and the overall total, one grouping each.
groupings as (
    select
        lifecycle_stage,
        score_bin,
        churn_probability,
        reference_probability,
        churned
    from predicted
    union all
    select
        lifecycle_stage,
        'all' as score_bin,
        churn_probability,
        reference_probability,
        churned
    from predicted
    union all
    select
        'all' as lifecycle_stage,
        'all' as score_bin,
        churn_probability,
        reference_probability,
        churned
    from predicted
),

grouped as (
    select
        lifecycle_stage,
        score_bin,
        count(*) as count_account_snapshots,
        cast(sum(churned) as bigint) as count_churned,
        avg(churn_probability) as mean_churn_probability,
        avg(churned) as observed_churn_rate,
        avg((churn_probability - churned) * (churn_probability - churned)) as brier_score,
        avg((reference_probability - churned) * (reference_probability - churned)) as brier_score_reference
    from groupings
    group by lifecycle_stage, score_bin
),

final as (
    select
        lifecycle_stage,
        score_bin,
        count_account_snapshots,
        count_churned,
        {{ round_half_away('mean_churn_probability', 4) }} as mean_churn_probability,
        {{ round_half_away('observed_churn_rate', 4) }} as observed_churn_rate,
        {{ round_half_away('brier_score', 5) }} as brier_score,
        {{ round_half_away('brier_score_reference', 5) }} as brier_score_reference,
        {{ round_half_away('1 - brier_score / nullif(brier_score_reference, 0)', 4) }} as brier_skill
    from grouped
)

select * from final
