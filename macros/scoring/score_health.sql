{#- The composite health of account-days, computed in the row from their wide signal scores and
    the weight set in force: the query int_account_health_daily scores every stored day with, and
    the what-if (macro what_if_health) scores a changed day with, so both are the same SQL.
    Arguments are relations or CTE names:
      signal_scores  one wide row per account-day, columns as int_account_signal_scores
      stages         int_account_stage_daily's rows for (at least) those account-days
      weights        int_health_weights; as_of: int_as_of_date; bands: seed health_bands
    One row per account-day that some signal is weighted for: the score (50 + the points of its
    signals), coverage (the share of configured weight that had data), dimension scores, the score
    with today's weights, the weight sets used, each signal's weight in force (<signal>__weight),
    the band of the published score and the top driver down. -#}
{% macro score_health(signal_scores, stages, weights, as_of, bands) %}
    {%- set signal_names = scoring_signal_names() %}
with
-- One row per weight set with its weights side by side (0 for a signal the set does not name),
-- each also as the decimal macro exact_row_sum adds (<signal>__exact_weight), converted here once
-- per set rather than on every account-day.
weight_sets as (
    select
        effective_from,
        effective_to,
        lifecycle_stage,
        customer_tier,
        {%- for signal_name in signal_names %}
            coalesce(max(weight) filter (where signal_name = '{{ signal_name }}'), 0)
                as {{ signal_name }}__weight,
            cast(coalesce(max(weight) filter (where signal_name = '{{ signal_name }}'), 0) as {{ exact_weight_type() }})
                as {{ signal_name }}__exact_weight{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ weights }} as weights
    group by effective_from, effective_to, lifecycle_stage, customer_tier
),

-- Each set with the total of its weights, added exactly (macro exact_row_sum).
weight_set_totals as (
    select
        *,
        {%- set set_weights = [] %}
        {%- for signal_name in signal_names %}{% do set_weights.append(signal_name ~ '__exact_weight') %}{% endfor %}
        {{ exact_row_sum(set_weights) }} as set_total_weight
    from weight_sets
),

tiers as (
    select distinct customer_tier from {{ stages }} as stages
),

-- The churn day has no weights of its own; it is weighted like var churned_day_weights_stage.
segment_days as (
    select distinct
        date_day,
        lifecycle_stage,
        case when lifecycle_stage = {{ churned_stage() }} then '{{ var("churned_day_weights_stage") }}'
            else lifecycle_stage
        end as weights_stage,
        customer_tier
    from {{ stages }} as stages
),

-- The days a weight set is picked for: each stage and tier on each day scored, and each weights
-- stage and tier on the as-of date (the set in force today, for the score with today's weights).
set_days as (
    select
        date_day,
        lifecycle_stage,
        weights_stage,
        customer_tier,
        false as is_as_of
    from segment_days
    union all
    select distinct
        as_of.as_of_on as date_day,
        weight_sets.lifecycle_stage,
        weight_sets.lifecycle_stage as weights_stage,
        tiers.customer_tier,
        true as is_as_of
    from weight_sets
    cross join {{ as_of }} as as_of
    cross join tiers
),

-- Which set applies to a stage and tier on a day (a small table: days × stages × tiers): the one
-- in force that day, the tier's own set over the default set.
set_candidates as (
    select
        set_days.*,
        weight_sets.effective_from as weights_effective_from,
        weight_sets.customer_tier as weights_tier,
        row_number() over (
            partition by set_days.is_as_of, set_days.date_day, set_days.lifecycle_stage, set_days.customer_tier
            order by case when weight_sets.customer_tier = 'default' then 1 else 0 end
        ) as set_rank
    from set_days
    inner join weight_sets
        on set_days.weights_stage = weight_sets.lifecycle_stage
            and weight_sets.customer_tier in (set_days.customer_tier, 'default')
            and {{ weight_set_in_force('weight_sets', 'set_days.date_day') }}
),

segment_day_sets as (
    select
        date_day,
        lifecycle_stage,
        weights_stage,
        customer_tier,
        weights_effective_from,
        weights_tier
    from set_candidates
    where set_rank = 1 and not is_as_of
),

current_sets as (
    select
        lifecycle_stage,
        customer_tier,
        weights_effective_from as effective_from,
        weights_tier
    from set_candidates
    where set_rank = 1 and is_as_of
),

-- Each account-day with the weights in force and those in force on the as-of date. A signal is
-- present when it has a score; missing signals get no share and the present ones share all the
-- weight.
weighted as {{ materialized_cte() }}(
    select
        signal_scores.*,
        segment_day_sets.weights_stage,
        segment_day_sets.weights_effective_from,
        segment_day_sets.weights_tier,
        current_sets.effective_from as current_weights_effective_from,
        current_sets.weights_tier as current_weights_tier,
        {%- for signal_name in signal_names %}
            in_force.{{ signal_name }}__weight,
            coalesce(current_weights.{{ signal_name }}__weight, 0) as {{ signal_name }}__current_weight,
        {%- endfor %}
        {%- set present_weights, present_current_weights = [], [] %}
        {%- for signal_name in signal_names %}
            {%- set present = 'signal_scores.' ~ signal_name ~ '__score is not null' %}
            {%- do present_weights.append('case when ' ~ present ~ ' then in_force.' ~ signal_name ~ '__exact_weight end') %}
            {%- do present_current_weights.append(
                'case when ' ~ present ~ ' then current_weights.' ~ signal_name ~ '__exact_weight end') %}
        {%- endfor %}
        -- Sums of weights added exactly (macro exact_row_sum): weights are decimals (0.05, 0.15),
        -- and a present weight of exactly 1 keeps a signal's points on a tie such as -0.95 where
        -- a double sum (1.0000000000000002) would publish them as -0.9. The sets' own totals once
        -- per set (no current set: 0); the present weight of each dimension for its score.
        in_force.set_total_weight as total_weight,
        {{ exact_row_sum(present_weights) }} as present_weight,
        {{ exact_row_sum(present_current_weights) }} as present_current_weight,
        {%- for dimension, names in var('signals').items() %}
            {%- set dimension_weights = [] %}
            {%- for signal_name in names %}
                {%- do dimension_weights.append('case when signal_scores.' ~ signal_name
                    ~ '__score is not null then in_force.' ~ signal_name ~ '__exact_weight end') %}
            {%- endfor %}
        {{ exact_row_sum(dimension_weights) }} as present_weight_{{ dimension }},
        {%- endfor %}
        coalesce(current_weights.set_total_weight, 0) as total_current_weight
    from {{ signal_scores }} as signal_scores
    inner join segment_day_sets
        on signal_scores.date_day = segment_day_sets.date_day
            and signal_scores.lifecycle_stage = segment_day_sets.lifecycle_stage
            and signal_scores.customer_tier = segment_day_sets.customer_tier
    inner join weight_set_totals as in_force
        on {{ is_weight_set('in_force', 'segment_day_sets.weights_effective_from',
            'segment_day_sets.weights_stage', 'segment_day_sets.weights_tier') }}
    left join current_sets
        on segment_day_sets.weights_stage = current_sets.lifecycle_stage
            and signal_scores.customer_tier = current_sets.customer_tier
    left join weight_set_totals as current_weights
        on {{ is_weight_set('current_weights', 'current_sets.effective_from',
            'current_sets.lifecycle_stage', 'current_sets.weights_tier') }}
),

-- points = the signal's share of the present weight × (score − 50): the composite score is 50 +
-- the sum of points. Null for a missing signal.
pointed as {{ materialized_cte() }}(
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

-- The top driver down of every account-day (macro top_driver_down_key: the lowest rank key of the
-- signals taking points), named in the composite below. The other drivers are labelled only
-- where they are read (macro signal_driver_labels).
top_driver_keyed as (
    select
        *,
        {{ top_driver_down_key(signal_names) }}
    from pointed
),

-- Points and weighted scores added in signal order within the row (macro row_sum: doubles, a
-- fixed order of additions) and rounded to 6 decimals: a day scores the same in any run and on
-- every engine. Coverage is the present share of the set's weight, both added exactly above.
composite as (
    select
        account_id,
        date_day,
        lifecycle_stage,
        customer_tier,
        weights_stage,
        weights_effective_from,
        weights_tier,
        current_weights_effective_from,
        current_weights_tier,
        total_weight,
        present_weight,
        present_current_weight,
        {%- for signal_name in signal_names %}
        {{ signal_name }}__weight,
        {%- endfor %}
        {%- set points, current_points = [], [] %}
        {%- for signal_name in signal_names %}
            {%- do points.append(signal_name ~ '__points') %}
            {%- do current_points.append(signal_name ~ '__current_points') %}
        {%- endfor %}
        case when present_weight > 0 then {{ round_half_away('50 + ' ~ row_sum(points), 6) }} end as health_score,
        case when present_weight > 0 and present_current_weight > 0
                then {{ round_half_away('50 + ' ~ row_sum(current_points), 6) }}
        end as health_score_current_weights,
        {{ round_half_away('coalesce(present_weight / nullif(total_weight, 0), 0)', 6) }} as coverage,
        {%- for dimension, names in var('signals').items() %}
            {%- set weighted_scores = [] %}
            {%- for signal_name in names %}
                {%- do weighted_scores.append(signal_name ~ '__weight * ' ~ signal_name ~ '__score') %}
            {%- endfor %}
            {%- set dimension_score = row_sum(weighted_scores) ~ ' / nullif(present_weight_' ~ dimension ~ ', 0)' %}
            {{ round_half_away(dimension_score, 6) }} as score_{{ dimension }},
        {%- endfor %}
        {{ top_driver_down(signal_names) }} as top_driver_down
    from top_driver_keyed
),

-- The account's contract type and usage band that day joined last, to the composite's narrow
-- rows: joined to the wide signal scores above, they made the query spill (at 20,000 accounts
-- 45 s against 32 s for the composite of the whole history).
banded as (
    select
        composite.*,
        stages.contract_type,
        stages.usage_band,
        bands.band as health_band,
        bands.band_order
    from composite
    inner join {{ stages }} as stages
        on composite.account_id = stages.account_id
            and composite.date_day = stages.date_day
    -- Banded on the published score (1 decimal), so a reader can check band against score.
    left join {{ bands }} as bands on {{ in_score_band('composite.health_score') }}
)

select * from banded
{% endmacro %}


{#- A weight set's rows in a join: `weights` (an alias of int_health_weights or of its wide
    weight_sets) is the set that took effect on `effective_from` for stage `stage` and tier `tier`
    (the tier's own set or 'default'), the three columns a set is keyed by. -#}
{% macro is_weight_set(weights, effective_from, stage, tier) -%}
    {{ weights }}.effective_from = {{ effective_from }}
    and {{ weights }}.lifecycle_stage = {{ stage }}
    and {{ weights }}.customer_tier = {{ tier }}
{%- endmacro %}


{#- A weight set's rows in force on `day`: `weights` (an alias of int_health_weights or of its wide
    weight_sets) took effect by then and its period (effective_to, int_health_weights: the next set
    of its stage and tier) has not ended. The one place the rule is written: the composite picks
    each day's set with it, int_health_weights marks the sets in force on the as-of date
    (is_in_force_on_as_of, which int_scoring_config hashes and the scenario compares). -#}
{% macro weight_set_in_force(weights, day) -%}
    {{ day }} >= {{ weights }}.effective_from
    and ({{ weights }}.effective_to is null or {{ day }} < {{ weights }}.effective_to)
{%- endmacro %}
