-- What is each account's composite health on each day, why, and how has it moved? One row per
-- account-day, computed in the row from the stored signal scores (int_account_signal_scores) and
-- the weight set in force: the score (50 + the points of its signals), coverage (the share of
-- configured weight that had data), dimension scores, the score with today's weights, the band
-- (seed health_bands), the drivers (the signals taking and adding the most points) and the
-- changes against 7 and 30 days before. Nothing here recomputes a signal, so a change of weights
-- re-scores every stored day from int_account_signal_scores alone.
{%- set longest_lag = 30 %}
{%- set signal_names = [] %}
{%- for names in var('signals').values() %}{% do signal_names.extend(names) %}{% endfor %}

with signal_scores as (
    select * from {{ ref('int_account_signal_scores') }}
    where {{ in_run_days('date_day') }}
),

stages as (
    select * from {{ ref('int_account_stage_daily') }}
    where {{ in_run_days('date_day') }}
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

-- One row per weight set with its weights side by side (0 for a signal the set does not name).
weight_sets as (
    select
        effective_from,
        effective_to,
        lifecycle_stage,
        customer_tier,
        {%- for signal_name in signal_names %}
            coalesce(max(weight) filter (where signal_name = '{{ signal_name }}'), 0)
                as {{ signal_name }}__weight{% if not loop.last %},{% endif %}
        {%- endfor %}
    from weights
    group by effective_from, effective_to, lifecycle_stage, customer_tier
),

tiers as (
    select distinct customer_tier from stages
),

-- The churn day has no weights of its own; it is weighted like var churned_day_weights_stage.
segment_days as (
    select distinct
        date_day,
        lifecycle_stage,
        case when lifecycle_stage = 'churned' then '{{ var("churned_day_weights_stage") }}'
            else lifecycle_stage
        end as weights_stage,
        customer_tier
    from stages
),

-- Which set applies to a stage and tier on a day (a small table: days × stages × tiers), and
-- which applies on the as-of date. The tier's own set wins over the default set.
segment_day_candidates as (
    select
        segment_days.date_day,
        segment_days.lifecycle_stage,
        segment_days.weights_stage,
        segment_days.customer_tier,
        weight_sets.effective_from as weights_effective_from,
        weight_sets.customer_tier as weights_tier,
        row_number() over (
            partition by segment_days.date_day, segment_days.lifecycle_stage, segment_days.customer_tier
            order by case when weight_sets.customer_tier = 'default' then 1 else 0 end
        ) as set_rank
    from segment_days
    inner join weight_sets
        on segment_days.weights_stage = weight_sets.lifecycle_stage
            and weight_sets.customer_tier in (segment_days.customer_tier, 'default')
            and segment_days.date_day >= weight_sets.effective_from
            and (weight_sets.effective_to is null or segment_days.date_day < weight_sets.effective_to)
),

segment_day_sets as (
    select
        date_day,
        lifecycle_stage,
        weights_stage,
        customer_tier,
        weights_effective_from,
        weights_tier
    from segment_day_candidates
    where set_rank = 1
),

current_set_candidates as (
    select
        weight_sets.lifecycle_stage,
        tiers.customer_tier,
        weight_sets.effective_from,
        weight_sets.customer_tier as weights_tier,
        row_number() over (
            partition by weight_sets.lifecycle_stage, tiers.customer_tier
            order by case when weight_sets.customer_tier = 'default' then 1 else 0 end
        ) as set_rank
    from weight_sets
    cross join as_of
    inner join tiers
        on weight_sets.customer_tier in (tiers.customer_tier, 'default')
    where weight_sets.effective_from <= as_of.as_of_on
        and (weight_sets.effective_to is null or as_of.as_of_on < weight_sets.effective_to)
),

current_sets as (
    select
        lifecycle_stage,
        customer_tier,
        effective_from,
        weights_tier
    from current_set_candidates
    where set_rank = 1
),

-- Each account-day with the weights in force and those in force on the as-of date. A signal is
-- present when it has a score; missing signals get no share and the present ones share all the
-- weight.
weighted as (
    select
        signal_scores.*,
        stages.contract_type,
        stages.usage_band,
        segment_day_sets.weights_stage,
        segment_day_sets.weights_effective_from,
        segment_day_sets.weights_tier,
        current_sets.effective_from as current_weights_effective_from,
        current_sets.weights_tier as current_weights_tier,
        {%- for signal_name in signal_names %}
            in_force.{{ signal_name }}__weight,
            coalesce(current_weights.{{ signal_name }}__weight, 0) as {{ signal_name }}__current_weight,
        {%- endfor %}
        {%- set in_force_weights, present_weights, present_current_weights, current_weights = [], [], [], [] %}
        {%- for signal_name in signal_names %}
            {%- set present = 'signal_scores.' ~ signal_name ~ '__score is not null' %}
            {%- do in_force_weights.append('in_force.' ~ signal_name ~ '__weight') %}
            {%- do current_weights.append('current_weights.' ~ signal_name ~ '__weight') %}
            {%- do present_weights.append('case when ' ~ present ~ ' then in_force.' ~ signal_name ~ '__weight end') %}
            {%- do present_current_weights.append(
                'case when ' ~ present ~ ' then current_weights.' ~ signal_name ~ '__weight end') %}
        {%- endfor %}
        -- Totals added exactly (macro exact_row_sum), as the composite and the points are.
        {{ exact_row_sum(in_force_weights) }} as total_weight,
        {{ exact_row_sum(present_weights) }} as present_weight,
        {{ exact_row_sum(present_current_weights) }} as present_current_weight,
        {{ exact_row_sum(current_weights) }} as total_current_weight
    from signal_scores
    inner join stages
        on signal_scores.account_id = stages.account_id
            and signal_scores.date_day = stages.date_day
    inner join segment_day_sets
        on signal_scores.date_day = segment_day_sets.date_day
            and signal_scores.lifecycle_stage = segment_day_sets.lifecycle_stage
            and signal_scores.customer_tier = segment_day_sets.customer_tier
    inner join weight_sets as in_force
        on segment_day_sets.weights_effective_from = in_force.effective_from
            and segment_day_sets.weights_stage = in_force.lifecycle_stage
            and segment_day_sets.weights_tier = in_force.customer_tier
    left join current_sets
        on segment_day_sets.weights_stage = current_sets.lifecycle_stage
            and signal_scores.customer_tier = current_sets.customer_tier
    left join weight_sets as current_weights
        on current_sets.effective_from = current_weights.effective_from
            and current_sets.lifecycle_stage = current_weights.lifecycle_stage
            and current_sets.weights_tier = current_weights.customer_tier
),

-- points = the signal's share of the present weight × (score − 50): the composite score is 50 +
-- the sum of points. Null for a missing signal.
pointed as (
    select
        *,
        {%- for signal_name in signal_names %}
            {{ signal_name }}__weight / nullif(present_weight, 0) * ({{ signal_name }}__score - 50)
                as {{ signal_name }}__points,
            {{ signal_name }}__current_weight / nullif(present_current_weight, 0) * ({{ signal_name }}__score - 50)
                as {{ signal_name }}__current_points{% if not loop.last %},{% endif %}
        {%- endfor %}
    from weighted
    -- An account-day no signal is weighted for (a set of zero weights) has no composite.
    where total_weight > 0 or total_current_weight > 0
),

-- Sums added exactly within the row (macro exact_row_sum) and rounded to 6 decimals: a day scores
-- the same in any run, and as the same sums over long rows would. (RF03 is off here: the drivers'
-- list lambdas, macro signal_drivers, read to the linter as qualified references.)
composite as (  -- noqa: disable=RF03
    select
        account_id,
        date_day,
        lifecycle_stage,
        customer_tier,
        contract_type,
        usage_band,
        weights_stage,
        weights_effective_from,
        weights_tier,
        current_weights_effective_from,
        current_weights_tier,
        total_weight,
        present_weight,
        present_current_weight,
        {%- set points, current_points, coverage_shares = [], [], [] %}
        {%- for signal_name in signal_names %}
            {%- do points.append(signal_name ~ '__points') %}
            {%- do current_points.append(signal_name ~ '__current_points') %}
            {%- do coverage_shares.append('case when ' ~ signal_name ~ '__score is not null then '
                ~ signal_name ~ '__weight / nullif(total_weight, 0) end') %}
        {%- endfor %}
        case when present_weight > 0 then {{ round_half_away('50 + ' ~ exact_row_sum(points), 6) }} end as health_score,
        case when present_weight > 0 and present_current_weight > 0
                then {{ round_half_away('50 + ' ~ exact_row_sum(current_points), 6) }}
        end as health_score_current_weights,
        {{ round_half_away(exact_row_sum(coverage_shares), 6) }} as coverage,
        {%- for dimension, names in var('signals').items() %}
            {%- set weighted_scores, present_weights = [], [] %}
            {%- for signal_name in names %}
                {%- do weighted_scores.append(signal_name ~ '__weight * ' ~ signal_name ~ '__score') %}
                {%- do present_weights.append(
                    'case when ' ~ signal_name ~ '__score is not null then ' ~ signal_name ~ '__weight end') %}
            {%- endfor %}
            {%- set dimension_score = exact_row_sum(weighted_scores)
                ~ ' / nullif(' ~ exact_row_sum(present_weights) ~ ', 0)' %}
            {{ round_half_away(dimension_score, 6) }} as score_{{ dimension }},
        {%- endfor %}
        {{ signal_drivers(signal_names, 'down', var('drivers_top_n')) }} as drivers_down,
        {{ signal_drivers(signal_names, 'up', var('drivers_top_n')) }} as drivers_up,
        {{ signal_drivers(signal_names, 'top_down', 1) }} as top_driver_down
    from pointed  -- noqa: enable=RF03
),

banded as (
    select
        composite.*,
        bands.band as health_band,
        bands.band_order
    from composite
    -- Banded on the published score (1 decimal), so a reader can check band against score.
    left join bands on {{ in_score_band('composite.health_score') }}
),

-- The changes against earlier days need the 30 days before the rewritten ones. On a daily run
-- their scores and bands are the stored ones (the same signal scores made them, and a change of
-- scoring configuration rewrites every day), so only the rewritten days are scored again; their
-- other columns are not read (null).
{%- set lagged_columns = ['account_id', 'date_day', 'health_score', 'health_band'] %}
{%- set scored_columns = [
    'account_id', 'date_day', 'lifecycle_stage', 'customer_tier', 'contract_type', 'usage_band',
    'health_score', 'health_band', 'band_order', 'coverage', 'health_score_current_weights',
    'weights_effective_from', 'weights_tier', 'weights_stage', 'current_weights_effective_from',
    'current_weights_tier', 'total_weight', 'present_weight', 'present_current_weight',
] %}
{%- for dimension in var('signals') %}{% do scored_columns.append('score_' ~ dimension) %}{% endfor %}
{%- do scored_columns.extend(['drivers_down', 'drivers_up', 'top_driver_down']) %}
scored as (
    select
        {%- for column in scored_columns %}
            {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from banded
    {%- if is_incremental() %}
        union all
        select
            {%- for column in scored_columns %}
                {{ column if column in lagged_columns else 'null as ' ~ column }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ this }}
        where {{ in_run_days('date_day', context_days=longest_lag) }}
            and not {{ in_run_days('date_day') }}
    {%- endif %}
),

final as (
    select
        {%- for column in scored_columns %}
            {{ column }},
        {%- endfor %}
        lag(health_band) over account_history as previous_health_band,
        health_score - lag(health_score, 7) over account_history as score_change_7d,
        health_score - lag(health_score, 30) over account_history as score_change_30d,
        {{ scoring_config_hash() }} as scoring_config_hash
    from scored
    window account_history as (partition by account_id order by date_day)
)

select * from final
where {{ in_run_days('date_day') }}
