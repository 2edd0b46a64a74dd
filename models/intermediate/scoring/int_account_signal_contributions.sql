-- How many points does each signal add to or take from an account's score on each day? One row
-- per account-day per signal with a weight above zero. The weight set in force that day applies
-- (the account's tier's set if there is one, else the default set); missing signals get no share
-- and the present ones share all the weight. points = share × (score − 50), so the composite
-- score is 50 + the sum of points. The same is done with the weights in force on the as-of date,
-- so a change of configuration can be told from a change in the customer.
with signals as (
    select * from {{ ref('int_account_signals_daily') }}
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

tiers as (
    select distinct customer_tier from stages
),

weight_sets as (
    select distinct
        effective_from,
        effective_to,
        lifecycle_stage,
        customer_tier
    from weights
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
segment_day_sets as (
    select
        segment_days.date_day,
        segment_days.lifecycle_stage,
        segment_days.weights_stage,
        segment_days.customer_tier,
        weight_sets.effective_from as weights_effective_from,
        weight_sets.customer_tier as weights_tier
    from segment_days
    inner join weight_sets
        on segment_days.weights_stage = weight_sets.lifecycle_stage
            and weight_sets.customer_tier in (segment_days.customer_tier, 'default')
            and segment_days.date_day >= weight_sets.effective_from
            and (weight_sets.effective_to is null or segment_days.date_day < weight_sets.effective_to)
    qualify row_number() over (
            partition by segment_days.date_day, segment_days.lifecycle_stage, segment_days.customer_tier
            order by case when weight_sets.customer_tier = 'default' then 1 else 0 end
        ) = 1
),

current_sets as (
    select
        weight_sets.lifecycle_stage,
        tiers.customer_tier,
        weight_sets.effective_from,
        weight_sets.customer_tier as weights_tier
    from weight_sets
    cross join as_of
    inner join tiers
        on weight_sets.customer_tier in (tiers.customer_tier, 'default')
    where weight_sets.effective_from <= as_of.as_of_on
        and (weight_sets.effective_to is null or as_of.as_of_on < weight_sets.effective_to)
    qualify row_number() over (
            partition by weight_sets.lifecycle_stage, tiers.customer_tier
            order by case when weight_sets.customer_tier = 'default' then 1 else 0 end
        ) = 1
),

weighted as (
    select
        signals.account_id,
        signals.date_day,
        signals.dimension,
        signals.signal_name,
        signals.signal_value,
        signals.score,
        signals.is_missing,
        signals.lifecycle_stage,
        signals.customer_tier,
        segment_day_sets.weights_effective_from,
        segment_day_sets.weights_tier,
        weights.weight,
        coalesce(current_weights.weight, 0) as current_weight
    from signals
    inner join segment_day_sets
        on signals.date_day = segment_day_sets.date_day
            and signals.lifecycle_stage = segment_day_sets.lifecycle_stage
            and signals.customer_tier = segment_day_sets.customer_tier
    inner join weights
        on segment_day_sets.weights_effective_from = weights.effective_from
            and segment_day_sets.weights_stage = weights.lifecycle_stage
            and segment_day_sets.weights_tier = weights.customer_tier
            and signals.signal_name = weights.signal_name
    left join current_sets
        on segment_day_sets.weights_stage = current_sets.lifecycle_stage
            and signals.customer_tier = current_sets.customer_tier
    left join weights as current_weights
        on current_sets.effective_from = current_weights.effective_from
            and current_sets.lifecycle_stage = current_weights.lifecycle_stage
            and current_sets.weights_tier = current_weights.customer_tier
            and signals.signal_name = current_weights.signal_name
    where weights.weight > 0 or coalesce(current_weights.weight, 0) > 0
),

account_day_totals as (
    select
        account_id,
        date_day,
        -- Exact sums (macro exact_sum): a day scores the same whatever rows share its run.
        {{ exact_sum("weight") }} as total_weight,
        {{ exact_sum("case when not is_missing then weight end") }} as present_weight,
        {{ exact_sum("case when not is_missing then current_weight end") }} as present_current_weight
    from weighted
    group by account_id, date_day
),

final as (
    select
        weighted.account_id,
        weighted.date_day,
        weighted.dimension,
        weighted.signal_name,
        weighted.signal_value,
        weighted.score,
        weighted.is_missing,
        weighted.lifecycle_stage,
        weighted.customer_tier,
        weighted.weights_effective_from,
        weighted.weights_tier,
        weighted.weight,
        case when not weighted.is_missing
                then weighted.weight / nullif(totals.present_weight, 0)
        end as weight_share,
        weighted.weight / nullif(totals.total_weight, 0) as configured_weight_share,
        case when not weighted.is_missing
                then weighted.weight / nullif(totals.present_weight, 0) * (weighted.score - 50)
        end as points,
        case when not weighted.is_missing
                then weighted.current_weight / nullif(totals.present_current_weight, 0) * (weighted.score - 50)
        end as points_current_weights,
        {{ scoring_config_hash() }} as scoring_config_hash
    from weighted
    inner join account_day_totals as totals
        on weighted.account_id = totals.account_id
            and weighted.date_day = totals.date_day
)

select * from final
