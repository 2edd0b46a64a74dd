{#- The points each signal adds to or takes from the score of account-days: `signals` (rows as
    int_account_signals_daily), `health` (int_account_health_daily's rows of the same
    account-days) and `weights` (int_health_weights), relations or CTE names. One row per
    account-day per signal with a weight above zero in the set in force (or in today's set):
    points = weight_share x (score - 50), which add up to the score - 50. The query of
    int_account_signal_contributions, and of the movers' few compared days. -#}
{% macro signal_contributions(signals, health, weights) %}
    select
        signals.account_id,
        signals.date_day,
        signals.dimension,
        signals.signal_name,
        signals.signal_value,
        signals.score,
        signals.is_missing,
        signals.missing_reason,
        signals.lifecycle_stage,
        signals.customer_tier,
        health.weights_effective_from,
        health.weights_tier,
        in_force.weight,
        case when not signals.is_missing
                then in_force.weight / nullif(health.present_weight, 0)
        end as weight_share,
        in_force.weight / nullif(health.total_weight, 0) as configured_weight_share,
        case when not signals.is_missing
                then in_force.weight / nullif(health.present_weight, 0) * (signals.score - 50)
        end as points,
        case when not signals.is_missing
                then coalesce(current_weights.weight, 0) / nullif(health.present_current_weight, 0)
                    * (signals.score - 50)
        end as points_current_weights
    from {{ signals }} as signals
    inner join {{ health }} as health
        on signals.account_id = health.account_id
            and signals.date_day = health.date_day
    -- The sets int_account_health_daily used that day (macro is_weight_set), this signal's row.
    inner join {{ weights }} as in_force
        on {{ is_weight_set(
            'in_force', 'health.weights_effective_from', 'health.weights_stage', 'health.weights_tier') }}
            and signals.signal_name = in_force.signal_name
    left join {{ weights }} as current_weights
        on {{ is_weight_set(
            'current_weights', 'health.current_weights_effective_from', 'health.weights_stage',
            'health.current_weights_tier') }}
            and signals.signal_name = current_weights.signal_name
    where in_force.weight > 0 or coalesce(current_weights.weight, 0) > 0
{% endmacro %}
