-- How likely is an account to churn within the horizon, given its stage and score? One row per
-- fit_set × lifecycle stage × score bin (var churn_probability_bin_width points wide): the
-- back-test's churn rate in the bin, shrunk towards the stage's rate (var
-- churn_probability_prior_weight pseudo-snapshots) and made monotone by isotonic regression (a bin
-- never gets a lower probability than a better-scoring bin of its stage).
-- fit_set 'evaluation' is fitted on the snapshots whose horizon ends before the newest var
-- churn_calibration_holdout_snapshots snapshots (rpt_health_calibration measures it on those);
-- 'production' is fitted on every snapshot and gives dim_account_health.churn_probability.
{%- set prior = var('churn_probability_prior_weight') %}
{%- set bins = (100 / var('churn_probability_bin_width')) | round(0, 'ceil') | int %}

with backtest as (
    select * from {{ ref('fct_health_backtest') }}
),

snapshot_order as (
    select
        snapshot_on,
        dense_rank() over (order by snapshot_on desc) as snapshots_from_newest
    from backtest
),

holdout_start as (
    select min(snapshot_on) as holdout_start_on
    from snapshot_order
    where snapshots_from_newest <= {{ var('churn_calibration_holdout_snapshots') }}
),

-- Training rows per fit set: evaluation drops every snapshot whose horizon reaches the held-out
-- period, so no outcome it learns from happened after the first held-out snapshot.
training as (
    select
        'evaluation' as fit_set,
        backtest.*
    from backtest
    cross join holdout_start
    where backtest.snapshot_on + backtest.horizon_days <= holdout_start.holdout_start_on
    union all
    select
        'production' as fit_set,
        backtest.*
    from backtest
),

overall_rates as (
    select
        fit_set,
        {{ share_of_rows('is_churned_within_horizon') }} as churn_rate
    from training
    group by fit_set
),

stage_rates as (
    select
        training.fit_set,
        training.lifecycle_stage,
        (
            sum(case when training.is_churned_within_horizon then 1.0 else 0.0 end)
            + {{ prior }} * overall_rates.churn_rate
        )
        / (count(*) + {{ prior }}) as churn_rate
    from training
    inner join overall_rates on training.fit_set = overall_rates.fit_set
    group by training.fit_set, training.lifecycle_stage, overall_rates.churn_rate
),

bin_numbers as (
    select score_bin from {{ integer_series(0, bins - 1) }} as score_bins (score_bin)
),

bin_grid as (
    select
        stage_rates.fit_set,
        stage_rates.lifecycle_stage,
        stage_rates.churn_rate as stage_churn_rate,
        bin_numbers.score_bin
    from stage_rates
    cross join bin_numbers
),

bin_counts as (
    select
        fit_set,
        lifecycle_stage,
        {{ score_bin('health_score') }} as score_bin,
        count(*) as count_account_snapshots,
        cast(sum(case when is_churned_within_horizon then 1 else 0 end) as bigint) as count_churned
    from training
    group by fit_set, lifecycle_stage, {{ score_bin('health_score') }}
),

shrunk as (
    select
        bin_grid.fit_set,
        bin_grid.lifecycle_stage,
        bin_grid.score_bin,
        coalesce(bin_counts.count_account_snapshots, 0) as count_account_snapshots,
        coalesce(bin_counts.count_churned, 0) as count_churned,
        (coalesce(bin_counts.count_churned, 0) + {{ prior }} * bin_grid.stage_churn_rate)
        / (coalesce(bin_counts.count_account_snapshots, 0) + {{ prior }}) as shrunk_churn_rate
    from bin_grid
    left join bin_counts
        on bin_grid.fit_set = bin_counts.fit_set
            and bin_grid.lifecycle_stage = bin_counts.lifecycle_stage
            and bin_grid.score_bin = bin_counts.score_bin
),

-- Monotone: the shrunk rates of the bins with data, weighted by their snapshots, fitted
-- non-increasing in the score (isotonic regression). With ten-odd bins a stage, the min-max
-- formula is computed directly: a bin's value is the max over runs starting at or before it (in
-- risk order, best score first) of the min over runs ending at or after it of the run's pooled rate.
populated as (
    select
        *,
        row_number() over (partition by fit_set, lifecycle_stage order by score_bin desc) as risk_rank
    from shrunk
    where count_account_snapshots > 0
),

runs as (
    select
        run_first.fit_set,
        run_first.lifecycle_stage,
        run_first.risk_rank as run_start,
        run_last.risk_rank as run_end,
        sum(member.count_account_snapshots * member.shrunk_churn_rate)
        / sum(member.count_account_snapshots) as pooled_rate
    from populated as run_first
    inner join populated as run_last
        on run_first.fit_set = run_last.fit_set
            and run_first.lifecycle_stage = run_last.lifecycle_stage
            and run_first.risk_rank <= run_last.risk_rank
    inner join populated as member
        on run_first.fit_set = member.fit_set
            and run_first.lifecycle_stage = member.lifecycle_stage
            and member.risk_rank between run_first.risk_rank and run_last.risk_rank
    group by run_first.fit_set, run_first.lifecycle_stage, run_first.risk_rank, run_last.risk_rank
),

min_over_run_ends as (
    select
        populated.fit_set,
        populated.lifecycle_stage,
        populated.score_bin,
        runs.run_start,
        min(runs.pooled_rate) as pooled_rate
    from populated
    inner join runs
        on populated.fit_set = runs.fit_set
            and populated.lifecycle_stage = runs.lifecycle_stage
            and runs.run_start <= populated.risk_rank
            and populated.risk_rank <= runs.run_end
    group by populated.fit_set, populated.lifecycle_stage, populated.score_bin, runs.run_start
),

isotonic as (
    select
        fit_set,
        lifecycle_stage,
        score_bin,
        max(pooled_rate) as isotonic_churn_rate
    from min_over_run_ends
    group by fit_set, lifecycle_stage, score_bin
),

-- A bin without data takes the nearest better-scoring bin's value (the highest value among the
-- bins above it), or the best-scoring bin's with data when none scores better.
monotone as (
    select
        shrunk.*,
        coalesce(
            max(isotonic.isotonic_churn_rate) over (
                partition by shrunk.fit_set, shrunk.lifecycle_stage
                order by shrunk.score_bin desc rows unbounded preceding
            ),
            min(isotonic.isotonic_churn_rate) over (partition by shrunk.fit_set, shrunk.lifecycle_stage)
        ) as monotone_churn_rate
    from shrunk
    left join isotonic
        on shrunk.fit_set = isotonic.fit_set
            and shrunk.lifecycle_stage = isotonic.lifecycle_stage
            and shrunk.score_bin = isotonic.score_bin
),

final as (
    select
        fit_set,
        lifecycle_stage,
        cast(score_bin as integer) as score_bin,
        cast(score_bin * {{ var('churn_probability_bin_width') }} as {{ type_double() }}) as score_from,
        cast(
            {{ least_ignore_nulls('100', '(score_bin + 1) * ' ~ var('churn_probability_bin_width')) }}
            as {{ type_double() }}
        ) as score_to,
        count_account_snapshots,
        count_churned,
        {{ round_half_away('shrunk_churn_rate', 6) }} as shrunk_churn_rate,
        {{ round_half_away('coalesce(monotone_churn_rate, shrunk_churn_rate)', 6) }} as churn_probability
    from monotone
)

select * from final
