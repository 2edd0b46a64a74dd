-- Which weights are in force when? One row per weight of seed health_weights (or, for a what-if
-- run, the seed named by var scenario) with the day its set stops applying: a set applies from
-- its effective_from until the next set of the same stage and tier, and whether it is in force on
-- the as-of date (macro weight_set_in_force).
with weights as (
    select * from {{ ref(var('scenario') or 'health_weights') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

weight_sets as (
    select distinct
        effective_from,
        lifecycle_stage,
        customer_tier
    from weights
),

set_periods as (
    select
        effective_from,
        lifecycle_stage,
        customer_tier,
        lead(effective_from) over (
            partition by lifecycle_stage, customer_tier order by effective_from
        ) as effective_to
    from weight_sets
),

final as (
    select
        weights.effective_from,
        set_periods.effective_to,
        weights.lifecycle_stage,
        weights.customer_tier,
        weights.signal_name,
        cast(weights.weight as {{ type_double() }}) as weight,
        weights.reason,
        weights.author,
        '{{ var("scenario") or "health_weights" }}' as weights_source,
        {{ weight_set_in_force('set_periods', 'as_of.as_of_on') }} as is_in_force_on_as_of
    from weights
    inner join set_periods
        on weights.effective_from = set_periods.effective_from
            and weights.lifecycle_stage = set_periods.lifecycle_stage
            and weights.customer_tier = set_periods.customer_tier
    cross join as_of
)

select * from final
